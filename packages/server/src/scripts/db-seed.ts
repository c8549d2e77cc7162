// Loads a seed file (default: the Mitaka FY2012 data) into the configured database, after
// applying migrations. Idempotent: rows that exist are left as they are.
//   pnpm db:seed [path/to/seed.json]
import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { applyMigrations } from '../db/migrations.ts';
import { loadSeed, mitakaSeedPath, readSeedFile } from '../db/seed.ts';

const config = loadConfig();
const path = process.argv[2]
  ? resolve(process.env.INIT_CWD ?? '.', process.argv[2])
  : mitakaSeedPath;
const db = await openDatabase(
  config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir },
);
try {
  await applyMigrations(db.adapterFactory);
  const { created } = await loadSeed(db.prisma, await readSeedFile(path));
  console.log('created', created);
} finally {
  await db.close();
}
