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
//
// Beside it, the SEEDED template (seeded-<key>): a copy of the migrated one on which
// prepareDatabase() loaded the Mitaka seed, as a first start with seedOnStart does (the same
// function, so the same rows, ids and sequences). A new folder that would be seeded starts from
// it and skips the seed (about a quarter of an empty folder's first start). Its key adds to the
// migrated one's the seed file and every source that loading it runs (the relative imports of
// prepare.ts and of this file, followed to the end: seed.ts, audience.ts, the generated Prisma
// client...) and @prisma/client's version: an edited seed or loader is never served from an old
// template; until `pnpm db:template` (or an install) makes the new one, new folders seed at
// start. Still no secret (cursor-secret is a file of the data folder, made at first start).
// Its rows' timestamps that seeding takes from the clock (createdAt, updatedAt, the change
// records of rows without a publication date) are those of when the template was made, at
// install, not of the first start.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { createPGlite, openDatabase, PGLITE_EXTENSIONS } from './client.ts';
import { lockFileName } from './data-lock.ts';
import { applyMigrationsToEmpty, migrationChecksum, readMigrationList } from './migrations.ts';
import { prepareDatabase } from './prepare.ts';
import { mitakaSeedPath } from './seed.ts';

/** Where templates are kept: beside the installed packages, gone with them. */
export const templateRoot = resolve(import.meta.dirname, '../../../../node_modules/.cache/hoshin');

/** The file PostgreSQL (and PGlite) looks for to tell a cluster from an empty folder. */
const CLUSTER_MARKER = 'PG_VERSION';
/** The extensions createPGlite() loads: part of what the cluster was made with. */
const EXTENSIONS = Object.keys(PGLITE_EXTENSIONS);

function packageVersion(name: string): string {
  const require = createRequire(import.meta.url);
  // The package's exports map has no package.json: find it above the entry point.
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string })
    .version;
}
const pgliteVersion = () => packageVersion('@electric-sql/pglite');

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

/** Where the code that makes the seeded template starts: it and what it imports load the seed. */
const SEED_LOADER_ENTRIES = [resolve(import.meta.dirname, 'template.ts')];
const GENERATED = resolve(import.meta.dirname, '../../generated/prisma');
/**
 * A relative import or re-export at the start of a line: its first string is where from.
 * Comments are removed first (one may quote an import).
 */
const RELATIVE_IMPORT = /^(?:import|export)\b[^;'"=(]*?['"](\.{1,2}\/[^'"]+)['"]/gm;
const COMMENT = /\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm;

/**
 * The sources that loading the seed runs: the entries and their relative imports, followed to
 * the end (packages are covered by their versions), sorted. Read from the sources, which the
 * bundle also reads its seed and migrations beside (scripts/start.mjs rebuilds it when one
 * changes), so the server finds the same list whether it runs from the bundle or from them.
 */
export function seedLoaderSources(entries = SEED_LOADER_ENTRIES): string[] {
  const found = new Set<string>();
  const pending = [...entries];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (found.has(path)) continue;
    found.add(path);
    // The generated Prisma client is not followed (2 MB of model types): what it runs is its
    // entry and internal/class.ts (the schema, the client's and engine's versions).
    if (path.startsWith(`${GENERATED}${sep}`)) {
      pending.push(join(GENERATED, 'internal/class.ts'));
      continue;
    }
    for (const [, specifier] of readFileSync(path, 'utf8')
      .replace(COMMENT, '')
      .matchAll(RELATIVE_IMPORT)) {
      pending.push(resolve(dirname(path), specifier as string));
    }
  }
  return [...found].sort();
}

/** The seeded template's folder for the current migrations, seed file and loader (made or not). */
export async function seededTemplatePath(
  seedFile = mitakaSeedPath,
  sources = seedLoaderSources(),
): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`${basename(await templatePath())}\nprisma ${packageVersion('@prisma/client')}\n`);
  hash.update(`seed ${createHash('sha256').update(readFileSync(seedFile)).digest('hex')}\n`);
  const root = resolve(templateRoot, '../../..');
  for (const path of sources) {
    const digest = createHash('sha256').update(readFileSync(path)).digest('hex');
    hash.update(`${relative(root, path)} ${digest}\n`);
  }
  return join(templateRoot, `seeded-${hash.digest('hex').slice(0, 16)}`);
}

/**
 * Makes the template for the current migrations unless it exists; removes templates made for
 * other ones. Safe to run twice at once (see madeOnce).
 */
export async function buildTemplate(): Promise<{ path: string; built: boolean }> {
  return madeOnce('pglite-', await templatePath(), async (building) => {
    const pglite = await createPGlite(building);
    try {
      const applied = await applyMigrationsToEmpty(pglite);
      if (!applied) throw new Error(`${building}: a new cluster was not empty`);
    } finally {
      await pglite.close();
    }
  });
}

/**
 * Makes the seeded template (above) unless it exists, from the migrated one (made first when
 * missing); removes seeded templates made for another seed, loader or migrations. Safe to run
 * twice at once, as buildTemplate().
 */
export async function buildSeededTemplate(): Promise<{ path: string; built: boolean }> {
  await buildTemplate();
  return madeOnce('seeded-', await seededTemplatePath(), async (building) => {
    // What a first start does: the migrated template copied, then prepared with the seed.
    const db = await openDatabase({
      dataDir: building,
      holder: 'cli',
      beforeOpen: async (dir) => {
        if (!(await copyTemplateInto(dir))) throw new Error(`${dir}: no migrated template`);
      },
    });
    try {
      await prepareDatabase(db, { seed: true });
    } finally {
      await db.close();
    }
    // The folder's lock is released by close(); never part of a template in any case.
    await rm(join(building, lockFileName), { force: true });
  });
}

/**
 * The template at `path` (named `<kind><key>`), made by `make` unless it exists; the templates
 * of the same kind made for other keys are removed. Each process makes it in a folder of its own
 * and renames that into place, so a cluster is only ever visible whole and two processes making
 * it at once both succeed (the first rename wins; the other's is as good).
 */
async function madeOnce(
  kind: 'pglite-' | 'seeded-',
  path: string,
  make: (building: string) => Promise<void>,
): Promise<{ path: string; built: boolean }> {
  await mkdir(templateRoot, { recursive: true });
  for (const entry of await readdir(templateRoot)) {
    const other = join(templateRoot, entry);
    if (entry.startsWith(kind) && other !== path && !entry.includes('.tmp-')) {
      await rm(other, { recursive: true, force: true });
    }
  }
  if (existsSync(join(path, CLUSTER_MARKER))) return { path, built: false };
  const building = `${path}.tmp-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  try {
    await make(building);
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
 * Copies the seeded template into `dataDir` when the folder holds no cluster yet and a seeded
 * template for the current migrations, seed and loader exists; returns whether it did. As
 * copyTemplateInto, crash-safe; the caller holds the folder's lock and means to seed it.
 */
export async function copySeededTemplateInto(
  dataDir: string,
  /** The loader's sources (tests name others). */
  sources?: string[],
): Promise<boolean> {
  if (existsSync(join(dataDir, CLUSTER_MARKER))) return false;
  let template: string;
  try {
    template = await seededTemplatePath(mitakaSeedPath, sources ?? seedLoaderSources());
  } catch (error) {
    // A deployment that ships the bundle without the loader's sources cannot tell which seeded
    // template is current: it never uses one (the caller seeds the folder at start).
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  return copyCluster(template, dataDir);
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
  return copyCluster(await templatePath(), dataDir);
}

/** Copies the cluster `template` into `dataDir` (see copyTemplateInto), if it is whole. */
async function copyCluster(template: string, dataDir: string): Promise<boolean> {
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
