// A new data folder starts from a copy of a migrated, empty PGlite cluster instead of running
// initdb: PGlite's initdb (a second PostgreSQL instance in WebAssembly bootstrapping template1,
// the catalog views, template0 and postgres) is most of an empty folder's first start.
//
// The template is made once, after `pnpm install` (scripts/build-template.ts, run by postinstall), in
// node_modules/.cache/hoshin/pglite-<key>, by the same steps a first start takes: PGlite creates
// the cluster, applyMigrationsToEmpty applies every migration and records it in
// _prisma_migrations, PGlite shuts down cleanly. <key> hashes the PGlite version, the extensions
// and every migration's name and checksum: a template made for other migrations (or another
// PGlite) is never used, and without one a first start takes the long way. No data, no seed,
// no secret is in it: the seed is loaded and the cursor secret made at the first start.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createPGlite, PGLITE_EXTENSIONS } from './client.ts';
import { applyMigrationsToEmpty, migrationChecksum, readMigrationList } from './migrations.ts';

/** Where templates are kept: beside the installed packages, gone with them. */
export const templateRoot = resolve(import.meta.dirname, '../../../../node_modules/.cache/hoshin');

/** The file PostgreSQL (and PGlite) looks for to tell a cluster from an empty folder. */
const CLUSTER_MARKER = 'PG_VERSION';
/** The extensions createPGlite() loads: part of what the cluster was made with. */
const EXTENSIONS = Object.keys(PGLITE_EXTENSIONS);

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  // The package's exports map has no package.json: find it above the entry point.
  let dir = dirname(require.resolve('@electric-sql/pglite'));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string })
    .version;
}

/** The template folder for the current PGlite, extensions and migrations (made or not). */
export async function templatePath(): Promise<string> {
  const { migrationDirectories } = await readMigrationList();
  const hash = createHash('sha256');
  hash.update(`pglite ${pgliteVersion()}\nextensions ${EXTENSIONS.join(',')}\n`);
  for (const { path, migrationFile } of migrationDirectories) {
    const sql = migrationFile.content.tag === 'ok' ? migrationFile.content.value : '';
    hash.update(`${path} ${migrationChecksum(sql)}\n`);
  }
  return join(templateRoot, `pglite-${hash.digest('hex').slice(0, 16)}`);
}

/**
 * Makes the template for the current migrations unless it exists; removes templates made for
 * other ones. Safe to run twice at once: each builds in its own folder and renames it into
 * place (a cluster is only ever visible whole).
 */
export async function buildTemplate(): Promise<{ path: string; built: boolean }> {
  const path = await templatePath();
  await mkdir(templateRoot, { recursive: true });
  for (const entry of await readdir(templateRoot)) {
    const other = join(templateRoot, entry);
    if (entry.startsWith('pglite-') && other !== path && !entry.includes('.tmp-')) {
      await rm(other, { recursive: true, force: true });
    }
  }
  if (existsSync(join(path, CLUSTER_MARKER))) return { path, built: false };
  const building = `${path}.tmp-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  try {
    const pglite = await createPGlite(building);
    try {
      const applied = await applyMigrationsToEmpty(pglite);
      if (!applied) throw new Error(`${building}: a new cluster was not empty`);
    } finally {
      await pglite.close();
    }
    try {
      await rename(building, path);
    } catch (error) {
      // Another process made it first: theirs is as good.
      if (!existsSync(join(path, CLUSTER_MARKER))) throw error;
    }
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  return { path, built: true };
}

/**
 * Copies the template into `dataDir` when the folder holds no cluster yet and a template for
 * the current migrations exists; returns whether it did. The caller holds the folder's lock.
 *
 * Crash-safe: PG_VERSION, which makes the folder a cluster for PGlite, is copied last, so a copy
 * cut short leaves a folder without it; the next start removes what that copy left (only the
 * entries a cluster has, nothing else in the folder) and copies again.
 */
export async function copyTemplateInto(dataDir: string): Promise<boolean> {
  if (existsSync(join(dataDir, CLUSTER_MARKER))) return false;
  const template = await templatePath();
  if (!existsSync(join(template, CLUSTER_MARKER))) return false;
  const entries = (await readdir(template)).filter((name) => name !== CLUSTER_MARKER);
  for (const name of entries) await rm(join(dataDir, name), { recursive: true, force: true });
  await copyEntries(
    template,
    entries.map((name) => join(template, name)),
    dataDir,
  );
  // Whole or not at all, even if the copy is cut short while writing it.
  const marker = join(dataDir, CLUSTER_MARKER);
  await cp(join(template, CLUSTER_MARKER), `${marker}.tmp`);
  await rename(`${marker}.tmp`, marker);
  return true;
}

/**
 * Copies `sources` (entries of `from`) into `to`. The system's `cp -R` copies the cluster's
 * thousand-odd files about ten times faster than fs.cp (0.14 s against 1.8 s here); where
 * there is none (Windows), fs.cp.
 */
async function copyEntries(from: string, sources: string[], to: string) {
  await mkdir(to, { recursive: true });
  if (process.platform !== 'win32') {
    try {
      await promisify(execFile)('cp', ['-R', ...sources, to]);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  for (const source of sources) {
    await cp(source, join(to, source.slice(from.length + 1)), { recursive: true });
  }
}
