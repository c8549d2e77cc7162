// Applies the committed migrations in prisma/migrations (Prisma's own layout, so
// `prisma migrate deploy` stays usable) through the WebAssembly schema engine, and compares
// them with schema.prisma. No Prisma CLI binary and no network needed.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { createPGlite } from './client.ts';
import { openSchemaEngine } from './schema-engine.ts';

const prismaDir = resolve(import.meta.dirname, '../../../../prisma');
export const schemaPath = join(prismaDir, 'schema.prisma');
export const migrationsDir = join(prismaDir, 'migrations');
const noFilters = { externalTables: [], externalEnums: [] };

async function readSchema() {
  return { path: schemaPath, text: await readFile(schemaPath, 'utf8') };
}

/** Reads prisma/migrations the way the Prisma CLI does: one folder per migration, in name order. */
export async function readMigrationList(): Promise<MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const folders = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const lockPath = join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: await readFile(lockPath, 'utf8') },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      folders.map(async (folder) => ({
        // Relative to baseDir: the engine records this path as the migration's name.
        path: folder,
        migrationFile: {
          path: 'migration.sql',
          content: {
            tag: 'ok' as const,
            value: await readFile(join(migrationsDir, folder, 'migration.sql'), 'utf8'),
          },
        },
      })),
    ),
  };
}

/** Applies every migration not yet recorded in _prisma_migrations; returns the names applied. */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
): Promise<string[]> {
  const engine = await openSchemaEngine(adapterFactory, await readSchema());
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: await readMigrationList(),
      filters: noFilters,
    });
    return appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/** The checksum Prisma records for a migration: SHA-256 of migration.sql, in hex. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/**
 * The table Prisma's schema engine keeps its record in, exactly as the engine creates it on
 * PostgreSQL (same columns, types, defaults and primary key): `prisma migrate` reads a record
 * written here as its own.
 */
export const PRISMA_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

/**
 * Applies every committed migration to an EMPTY embedded database without the schema engine:
 * each migration.sql as it is (the simple query protocol, as the engine sends it), recorded in
 * _prisma_migrations as the engine records it (a random UUID, the checksum, started and
 * finished times, one applied step), all in ONE transaction: a failure or a crash leaves the
 * database as empty as it was, and the next start tries again. Loading the engine's
 * WebAssembly and its per-statement round trips cost seconds; this costs a fraction.
 *
 * Returns null, touching nothing, unless the database is empty (no _prisma_migrations and no
 * table, view, sequence, type or function in the public schema, no extension): anything else goes to the
 * engine, which decides (and refuses a schema it did not make, P3005).
 */
export async function applyMigrationsToEmpty(
  pglite: PGlite,
  list?: MigrationList,
): Promise<string[] | null> {
  const migrations = list ?? (await readMigrationList());
  return pglite.transaction(async (tx) => {
    const {
      rows: [found],
    } = await tx.query<{ objects: number }>(
      `SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public')
            + (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c')
                  AND t.typrelid = 0)
            + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'public')
            + (SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql')
              AS objects`,
    );
    if (Number(found?.objects ?? 1) !== 0) return null;
    await tx.exec(PRISMA_MIGRATIONS_TABLE);
    const applied: string[] = [];
    for (const { path, migrationFile } of migrations.migrationDirectories) {
      if (migrationFile.content.tag !== 'ok') {
        throw new Error(`migration ${path}: migration.sql could not be read`);
      }
      const sql = migrationFile.content.value;
      const id = randomUUID();
      await tx.query(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count)
         VALUES ($1, $2, $3, clock_timestamp(), 0)`,
        [id, migrationChecksum(sql), path],
      );
      try {
        await tx.exec(sql);
      } catch (error) {
        throw new Error(`migration ${path} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      await tx.query(
        `UPDATE _prisma_migrations SET finished_at = clock_timestamp(), applied_steps_count = 1
         WHERE id = $1`,
        [id],
      );
      applied.push(path);
    }
    return applied;
  });
}

/**
 * True when every committed migration is already recorded as applied, with the checksum Prisma
 * records (SHA-256 of migration.sql). Then start-up needs no schema engine at all: loading its
 * WebAssembly costs seconds, and it leaves a 10 s timer behind that keeps a CLI process alive.
 * Anything else (a new folder, an edited one, a failed one) goes to the engine, which decides.
 */
export async function migrationsUpToDate(prisma: PrismaClient): Promise<boolean> {
  const [found] = await prisma.$queryRaw<{ table: string | null }[]>`
    SELECT to_regclass('_prisma_migrations')::text AS "table"`;
  if (!found?.table) return false;
  const applied = await prisma.$queryRaw<{ name: string; checksum: string }[]>`
    SELECT migration_name AS name, checksum FROM _prisma_migrations
    WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  const recorded = new Set(applied.map((row) => `${row.name} ${row.checksum}`));
  const { migrationDirectories } = await readMigrationList();
  return migrationDirectories.every(({ path, migrationFile }) => {
    const sql = migrationFile.content.tag === 'ok' ? migrationFile.content.value : '';
    return recorded.has(`${path} ${migrationChecksum(sql)}`);
  });
}

/**
 * The SQL that would bring a database built from the committed migrations to schema.prisma:
 * empty when they agree. Replays the migrations in a scratch in-memory PGlite.
 */
export async function diffMigrationsToSchema(): Promise<string> {
  const schema = await readSchema();
  const scratch = await createPGlite();
  const shadows: Awaited<ReturnType<typeof createPGlite>>[] = [];
  const factory = new PrismaPGlite(scratch);
  // The adapter's own shadow database is a bare PGlite, without the extensions the
  // migrations create (PGLITE_EXTENSIONS): replay them in one that has them.
  const withExtensions: SqlMigrationAwareDriverAdapterFactory = {
    adapterName: factory.adapterName,
    provider: factory.provider,
    connect: () => factory.connect(),
    connectToShadowDb: async () => {
      const shadow = await createPGlite();
      shadows.push(shadow);
      return new PrismaPGlite(shadow).connect();
    },
  };
  const engine = await openSchemaEngine(withExtensions, schema);
  try {
    const result = await engine.diff({
      from: { tag: 'migrations', ...(await readMigrationList()) },
      to: { tag: 'schemaDatamodel', files: [{ path: schema.path, content: schema.text }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return (result.stdout ?? '').replace(/^-- This is an empty migration\.\s*$/m, '').trim();
  } finally {
    engine.free();
    await scratch.close();
    for (const shadow of shadows) await shadow.close();
  }
}
