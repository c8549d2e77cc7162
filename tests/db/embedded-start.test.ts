// What a new embedded data folder starts from (docs/embedded.md, "Start-up"): every migration
// applied without the schema engine in one transaction, and the migrated template copied into
// a new folder. Both must give exactly the database the engine gives, recorded so that the
// engine (and `prisma migrate`) takes it as its own.
import { copyFile, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyMigrations,
  applyMigrationsToEmpty,
  buildSeededTemplate,
  buildTemplate,
  copySeededTemplateInto,
  copyTemplateInto,
  type Database,
  migrationsUpToDate,
  mitakaSeedPath,
  openDatabase,
  prepareDatabase,
  readMigrationList,
  seededTemplatePath,
  seedLoaderSources,
  templatePath,
} from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

function pgliteOf(db: Database) {
  if (!db.pglite) throw new Error('not an embedded database');
  return db.pglite;
}

/** The schema as the catalog describes it: everything the migrations create. */
async function schemaOf(db: Database) {
  const q = (sql: string) => db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(sql);
  return {
    columns: await q(`SELECT table_name, column_name, data_type, udt_name, is_nullable,
        column_default, character_maximum_length, numeric_precision, datetime_precision
      FROM information_schema.columns WHERE table_schema = 'public'
      ORDER BY table_name, column_name`),
    constraints: await q(`SELECT conrelid::regclass::text AS tbl, conname, contype,
        pg_get_constraintdef(oid) AS def
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`),
    indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' ORDER BY 1, 2`),
    enums:
      await q(`SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY 1 ORDER BY 1`),
    functions: await q(`SELECT p.proname, pg_get_functiondef(p.oid) AS def FROM pg_proc p
      WHERE p.pronamespace = 'public'::regnamespace ORDER BY 1, 2`),
    triggers: await q(`SELECT tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger
      WHERE NOT tgisinternal ORDER BY 1`),
    sequences: await q(`SELECT sequence_name, data_type, start_value, increment
      FROM information_schema.sequences WHERE sequence_schema = 'public' ORDER BY 1`),
    extensions: await q('SELECT extname FROM pg_extension ORDER BY 1'),
  };
}

/** The record of applied migrations, without what differs run to run (ids, times). */
async function recordOf(db: Database) {
  return db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(`
    SELECT migration_name, checksum, logs, rolled_back_at, applied_steps_count,
      length(id) AS id_length, finished_at IS NOT NULL AS finished,
      started_at <= finished_at AS ordered
    FROM _prisma_migrations ORDER BY migration_name`);
}

// What the schema engine makes of an empty database: what both ways below must give. One for
// the file (every migration through the engine is its slowest step); no test writes to it.
let byEngine: Database;
beforeAll(async () => {
  byEngine = await openDatabase({ memory: true });
  await applyMigrations(byEngine.adapterFactory);
}, 180_000);
afterAll(() => byEngine.close());

describe('an empty embedded database migrated without the schema engine', {
  timeout: 180_000,
}, () => {
  let direct: Database;
  beforeAll(async () => {
    direct = await openDatabase({ memory: true });
  }, 180_000); // a new in-memory cluster (PGlite's initdb): 5 s quiet here, minutes at load 15
  afterAll(async () => {
    await direct?.close();
  });

  it('has the same schema and the same record as the engine gives', async () => {
    const { migrationDirectories } = await readMigrationList();
    expect(await applyMigrationsToEmpty(pgliteOf(direct))).toEqual(
      migrationDirectories.map((m) => m.path),
    );
    expect(await schemaOf(direct)).toEqual(await schemaOf(byEngine));
    const record = await recordOf(direct);
    expect(record).toEqual(await recordOf(byEngine));
    expect(record[0]).toMatchObject({ id_length: 36, applied_steps_count: 1, finished: true });
  });

  it('is taken by the engine as its own: up to date, nothing to apply', async () => {
    expect(await migrationsUpToDate(direct.prisma)).toBe(true);
    expect(await applyMigrations(direct.adapterFactory)).toEqual([]);
  });

  it('touches nothing that is not empty', async () => {
    expect(await applyMigrationsToEmpty(pgliteOf(direct))).toBeNull();
    const other = await openDatabase({ memory: true });
    try {
      await other.prisma.$executeRawUnsafe('CREATE TABLE "Mine" (id int)');
      expect(await applyMigrationsToEmpty(pgliteOf(other))).toBeNull();
      const [found] = await other.prisma.$queryRawUnsafe<{ t: string | null }[]>(
        `SELECT to_regclass('_prisma_migrations')::text AS t`,
      );
      expect(found?.t).toBeNull();
    } finally {
      await other.close();
    }
  });

  it('leaves nothing behind when a migration fails: the next start begins again', async () => {
    const list = await readMigrationList();
    const failing = {
      ...list,
      migrationDirectories: [
        ...list.migrationDirectories,
        {
          path: '29991231000000_broken',
          migrationFile: {
            path: 'migration.sql',
            content: { tag: 'ok' as const, value: 'CREATE TABLE "Late" (id int);\nSELECT 1/0;' },
          },
        },
      ],
    };
    const db = await openDatabase({ memory: true });
    try {
      await expect(applyMigrationsToEmpty(pgliteOf(db), failing)).rejects.toThrow(
        /migration 29991231000000_broken failed: division by zero/,
      );
      const [left] = await db.prisma.$queryRawUnsafe<{ tables: number }[]>(
        `SELECT count(*)::int AS tables FROM pg_class WHERE relnamespace = 'public'::regnamespace`,
      );
      expect(left?.tables).toBe(0);
      // Still empty, so the next attempt takes the same path and succeeds.
      expect(await applyMigrationsToEmpty(pgliteOf(db))).toHaveLength(
        list.migrationDirectories.length,
      );
    } finally {
      await db.close();
    }
  });

  it('a database recorded with fewer migrations than the files gets the rest from the engine', async () => {
    const list = await readMigrationList();
    const older = { ...list, migrationDirectories: list.migrationDirectories.slice(0, -2) };
    const db = await openDatabase({ memory: true });
    try {
      await applyMigrationsToEmpty(pgliteOf(db), older);
      expect(await migrationsUpToDate(db.prisma)).toBe(false);
      const lines: unknown[] = [];
      await prepareDatabase(db, { seed: false, log: { info: (fields) => lines.push(fields) } });
      expect(lines).toEqual([{ applied: list.migrationDirectories.slice(-2).map((m) => m.path) }]);
      expect(await schemaOf(db)).toEqual(await schemaOf(byEngine));
      expect(await migrationsUpToDate(db.prisma)).toBe(true);
    } finally {
      await db.close();
    }
  });
});

describe('a new data folder copied from the migrated template', { timeout: 180_000 }, () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hoshin-template-'));
    await buildTemplate();
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('opens migrated, with the schema the engine gives', async () => {
    const dataDir = join(root, 'fresh');
    const db = await openDatabase({
      dataDir,
      beforeOpen: async (dir) => {
        expect(await copyTemplateInto(dir)).toBe(true);
      },
    });
    try {
      expect(await migrationsUpToDate(db.prisma)).toBe(true);
      expect(await schemaOf(db)).toEqual(await schemaOf(byEngine));
      expect(await recordOf(db)).toEqual(await recordOf(byEngine));
    } finally {
      await db.close();
    }
    // A folder that holds a cluster is never copied over.
    expect(await copyTemplateInto(dataDir)).toBe(false);
  });

  it('a copy cut short (no PG_VERSION yet, a damaged file) is redone on the next start', async () => {
    const dataDir = join(root, 'cut-short');
    expect(await copyTemplateInto(dataDir)).toBe(true);
    // As if the process died before the last file: PG_VERSION missing, a file half written,
    // and the folder's own files (lock, secret) beside them.
    await unlink(join(dataDir, 'PG_VERSION'));
    await writeFile(join(dataDir, 'global', 'pg_control'), 'half');
    await writeFile(join(dataDir, 'cursor-secret'), 'kept\n');
    const db = await openDatabase({
      dataDir,
      beforeOpen: (dir) => copyTemplateInto(dir).then(() => {}),
    });
    try {
      expect(await migrationsUpToDate(db.prisma)).toBe(true);
      expect(await db.prisma.municipality.count()).toBe(0);
    } finally {
      await db.close();
    }
    expect(await readdir(dataDir)).toContain('cursor-secret');
  });
});

/**
 * Every row of every table in `public` (and each sequence's position), in a fixed order, with
 * the timestamps seeding takes from the clock (this century's: the seed's own dates are of
 * 2012) as 'clock': they are when the rows were made, at install for the seeded template.
 */
async function contentOf(db: Database) {
  const q = <T>(sql: string) => db.prisma.$queryRawUnsafe<T[]>(sql);
  const tables = await q<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'
    ORDER BY 1`);
  const content: Record<string, unknown> = {};
  for (const { name } of tables) {
    const [row] = await q<{ rows: string }>(
      `SELECT coalesce(json_agg(to_jsonb(t)), '[]')::text AS rows FROM "${name}" t`,
    );
    const rows = (JSON.parse(row?.rows ?? '[]') as unknown[]).map((r) =>
      JSON.stringify(r, (_key, value) =>
        typeof value === 'string' && /^20[2-9]\d-\d\d-\d\dT/.test(value) ? 'clock' : value,
      ),
    );
    content[name] = rows.sort();
  }
  content.sequences = await q('SELECT sequencename, last_value::text FROM pg_sequences ORDER BY 1');
  return content;
}

describe('a new data folder copied from the seeded template', { timeout: 180_000 }, () => {
  let root: string;
  let seeded: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hoshin-seeded-'));
    ({ path: seeded } = await buildSeededTemplate());
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('holds exactly what seeding a new folder at start gives, and is not seeded again', async () => {
    const lines: string[][] = [[], []];
    const [fromSeeded, seededAtStart] = await Promise.all(
      [copySeededTemplateInto, copyTemplateInto].map((copy, index) =>
        openDatabase({
          dataDir: join(root, `start-${index}`),
          beforeOpen: async (dir) => {
            expect(await copy(dir)).toBe(true);
          },
        }),
      ),
    );
    if (!fromSeeded || !seededAtStart) throw new Error('not opened');
    try {
      for (const [index, db] of [fromSeeded, seededAtStart].entries()) {
        await prepareDatabase(db, {
          seed: true,
          log: { info: (_fields, message) => lines[index]?.push(message) },
        });
      }
      expect(lines).toEqual([
        ['schema up to date', 'seed present'],
        ['schema up to date', 'seed data loaded'],
      ]);
      const content = await contentOf(fromSeeded);
      expect(content).toEqual(await contentOf(seededAtStart));
      expect((content.Initiative as unknown[]).length).toBeGreaterThan(0);
      expect(content.ApiToken).toEqual([]);
      expect(await recordOf(fromSeeded)).toEqual(await recordOf(byEngine));
    } finally {
      await Promise.all([fromSeeded.close(), seededAtStart.close()]);
    }
  });

  it('holds no secret, no lock: the files of the migrated template only', async () => {
    const names = async (dir: string) => (await readdir(dir)).sort();
    expect(await names(seeded)).toEqual(await names(await templatePath()));
  });

  it('is named for the seed file and every source that loads it: an edited one is never served', async () => {
    const sources = seedLoaderSources();
    const relativeNames = sources.map((path) => path.slice(path.indexOf('packages/server/')));
    expect(relativeNames).toEqual(
      expect.arrayContaining([
        'packages/server/src/db/template.ts',
        'packages/server/src/db/prepare.ts',
        'packages/server/src/db/seed.ts',
        'packages/server/src/db/audience.ts',
        'packages/server/src/db/migrations.ts',
        'packages/server/generated/prisma/internal/class.ts',
      ]),
    );
    expect(await seededTemplatePath()).toBe(seeded);
    const edited = join(root, 'edited');
    await writeFile(`${edited}.json`, `${await readFile(mitakaSeedPath, 'utf8')}\n`);
    expect(await seededTemplatePath(`${edited}.json`)).not.toBe(seeded);
    const seedTs = sources.find((path) => path.endsWith('db/seed.ts')) as string;
    await copyFile(seedTs, `${edited}.ts`);
    await writeFile(`${edited}.ts`, '// an edit\n', { flag: 'a' });
    const withEdit = sources.map((path) => (path === seedTs ? `${edited}.ts` : path));
    expect(await seededTemplatePath(mitakaSeedPath, withEdit)).not.toBe(seeded);
  });

  it("is not used where the loader's sources are not shipped (only the bundle): the folder stays empty", async () => {
    const dataDir = join(root, 'bundle-only');
    const shipped = [...seedLoaderSources(), join(root, 'not-shipped/seed.ts')];
    expect(await copySeededTemplateInto(dataDir, shipped)).toBe(false);
    expect(await readdir(dataDir).catch(() => [])).toEqual([]);
  });

  it('a copy cut short is redone on the next start', async () => {
    const dataDir = join(root, 'cut-short');
    expect(await copySeededTemplateInto(dataDir)).toBe(true);
    await unlink(join(dataDir, 'PG_VERSION'));
    await writeFile(join(dataDir, 'global', 'pg_control'), 'half');
    await writeFile(join(dataDir, 'cursor-secret'), 'kept\n');
    const db = await openDatabase({
      dataDir,
      beforeOpen: (dir) => copySeededTemplateInto(dir).then(() => {}),
    });
    try {
      expect(await migrationsUpToDate(db.prisma)).toBe(true);
      expect(await db.prisma.municipality.count()).toBe(1);
    } finally {
      await db.close();
    }
    expect(await readdir(dataDir)).toContain('cursor-secret');
    // A folder that holds a cluster is never copied over.
    expect(await copySeededTemplateInto(dataDir)).toBe(false);
  });
});
