// Brings a database to the state the server needs: committed migrations applied, and the
// Mitaka seed loaded when asked and the database holds no municipality yet.
import type { Database } from './client.ts';
import { applyMigrations, applyMigrationsToEmpty, migrationsUpToDate } from './migrations.ts';
import { loadSeed, mitakaSeedPath, readSeedFile } from './seed.ts';

export interface PrepareLog {
  info(fields: object, message: string): void;
}

export async function prepareDatabase(
  db: Database,
  options: { seed: boolean; log?: PrepareLog },
): Promise<void> {
  // An empty embedded database (a new data folder) takes every migration in one transaction
  // without the schema engine; anything else not up to date goes to the engine.
  const applied = (await migrationsUpToDate(db.prisma))
    ? []
    : ((db.pglite && (await applyMigrationsToEmpty(db.pglite))) ??
      (await applyMigrations(db.adapterFactory)));
  options.log?.info({ applied }, applied.length ? 'migrations applied' : 'schema up to date');
  if (!options.seed) return;
  if ((await db.prisma.municipality.count()) === 0) {
    const { created } = await loadSeed(db.prisma, await readSeedFile(mitakaSeedPath));
    options.log?.info({ created }, 'seed data loaded');
  } else {
    options.log?.info({}, 'seed present');
  }
}
