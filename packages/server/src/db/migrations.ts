// Applies the committed migrations in prisma/migrations (Prisma's own layout, so
// `prisma migrate deploy` stays usable) through the WebAssembly schema engine, and compares
// them with schema.prisma. No Prisma CLI binary and no network needed.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { PrismaClient } from '../generated/prisma/client.ts';
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
    return recorded.has(`${path} ${createHash('sha256').update(sql).digest('hex')}`);
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
  // migrations create (pg_trgm): replay them in one that has them.
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
