// Prints the SQL that brings the committed migrations up to prisma/schema.prisma ("in sync" when
// they agree); with a folder name, writes it as a new migration. Replaces `prisma migrate dev`
// where the CLI's schema-engine binary cannot be downloaded.
//   pnpm db:diff                      # show the difference
//   pnpm db:diff 20261201000000_name  # write prisma/migrations/<name>/migration.sql
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diffMigrationsToSchema, migrationsDir } from '../db/migrations.ts';

const name = process.argv[2];
if (name !== undefined && !/^\d{14}_[a-z0-9_]+$/.test(name)) {
  console.error('Migration names look like 20261201000000_add_something.');
  process.exit(2);
}
const sql = await diffMigrationsToSchema();
if (sql === '') {
  console.log('in sync: the migrations match schema.prisma');
} else if (name === undefined) {
  console.log(sql);
} else {
  await mkdir(join(migrationsDir, name));
  await writeFile(join(migrationsDir, name, 'migration.sql'), `${sql}\n`);
  console.log(`wrote prisma/migrations/${name}/migration.sql`);
}
