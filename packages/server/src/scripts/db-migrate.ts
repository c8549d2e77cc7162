// Applies the committed migrations to the configured database (DATABASE_URL, or the embedded
// one in HOSHIN_DATA_DIR) and exits. The server does the same at start-up.
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { applyMigrations } from '../db/migrations.ts';

const config = loadConfig();
const db = await openDatabase(
  config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir },
);
try {
  const applied = await applyMigrations(db.adapterFactory);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema up to date');
} finally {
  await db.close();
}
