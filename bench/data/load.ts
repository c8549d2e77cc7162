// Builds (or reuses) a benchmark database per size: on PostgreSQL a database of its own named
// hoshin_bench_<checkout>_<size> (so two checkouts never rebuild or drop each other's data), on
// PGlite a data folder under .data/bench/. A database is reused only
// when its fingerprint (generator version, size, seed, migrations) matches; else rebuilt.
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createPGlite, migrationsDir, openDatabase, prepareDatabase } from '@hoshin/server/testing';
import pg from 'pg';
import { GENERATOR_VERSION, generateInto } from './generate.ts';
import { type DataSize, SIZES, type SizeName } from './sizes.ts';

export const repoRoot = resolve(import.meta.dirname, '../..');
const pgliteRoot = join(repoRoot, '.data/bench');

/** The server the benchmark may create databases on: loopback only. */
export function adminDatabaseUrl(): string {
  const url = new URL(
    process.env.BENCH_DATABASE_URL ??
      process.env.DATABASE_URL ??
      'postgresql://postgres@127.0.0.1:5432/test',
  );
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`benchmark databases must be on loopback, not ${url.hostname}`);
  }
  return url.toString();
}

/**
 * Eight hex digits naming this checkout (its absolute path): lower case, safe in SQL names.
 * BENCH_CHECKOUT names another checkout's databases instead (a worktree reading the national
 * data its main checkout built): they are used as they are, never rebuilt from here.
 */
const otherCheckout = process.env.BENCH_CHECKOUT;
if (otherCheckout !== undefined && !/^[0-9a-f]{8}$/.test(otherCheckout)) {
  throw new Error(
    `BENCH_CHECKOUT must be eight hex digits (a checkout's id), not "${otherCheckout}"`,
  );
}
export const checkoutId =
  otherCheckout ?? createHash('sha256').update(repoRoot).digest('hex').slice(0, 8);

export function benchDatabaseName(size: SizeName): string {
  return `hoshin_bench_${checkoutId}_${size}`;
}

export function benchDatabaseUrl(size: SizeName): string {
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${benchDatabaseName(size)}`;
  return url.toString();
}

async function migrationsDigest(): Promise<string> {
  const hash = createHash('sha256');
  const folders = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const folder of folders) {
    hash.update(folder);
    hash.update(await readFile(join(migrationsDir, folder, 'migration.sql')));
  }
  return hash.digest('hex').slice(0, 12);
}

async function fingerprint(size: DataSize, seed: number): Promise<string> {
  return `hoshin-bench generator=${GENERATOR_VERSION} size=${size.name} seed=${seed} migrations=${await migrationsDigest()}`;
}

export interface BuildReport {
  size: SizeName;
  where: string;
  reused: boolean;
  seconds: number;
}

/** Returns the URL of this checkout's database of `size`, generated unless an identical one exists. */
export async function ensurePostgres(
  size: SizeName,
  seed: number,
  { rebuild = false } = {},
): Promise<BuildReport & { url: string }> {
  const started = performance.now();
  const name = benchDatabaseName(size);
  const url = benchDatabaseUrl(size);
  const wanted = await fingerprint(SIZES[size], seed);
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [name],
    );
    if (!rebuild && rows[0]?.comment === wanted) {
      return { size, where: `postgres:${name}`, reused: true, seconds: 0, url };
    }
    if (otherCheckout !== undefined) {
      throw new Error(
        `${name} is not the database wanted (${wanted}); BENCH_CHECKOUT never rebuilds another checkout's data`,
      );
    }
    // Names are ours (hoshin_bench_ + a hex checkout id + a size name), never user input.
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }

  const db = await openDatabase({ url });
  try {
    await prepareDatabase(db, { seed: false });
  } finally {
    await db.close();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await generateInto((sql) => client.query(sql), { size: SIZES[size], seed });
    // Marks the database complete: an interrupted build is rebuilt next time.
    await client.query(`COMMENT ON DATABASE ${name} IS '${wanted}'`);
  } finally {
    await client.end();
  }
  return {
    size,
    where: `postgres:${name}`,
    reused: false,
    seconds: (performance.now() - started) / 1000,
    url,
  };
}

export function pgliteDir(size: SizeName): string {
  return join(pgliteRoot, `pglite-${size}`);
}

/** Returns a PGlite data folder for the size, generating it unless an identical one exists. */
export async function ensurePglite(
  size: SizeName,
  seed: number,
  { rebuild = false } = {},
): Promise<BuildReport & { dir: string }> {
  const started = performance.now();
  const dir = pgliteDir(size);
  const marker = `${dir}.fingerprint`;
  const wanted = await fingerprint(SIZES[size], seed);
  const existing = await readFile(marker, 'utf8').catch(() => undefined);
  if (!rebuild && existing === wanted) {
    return { size, where: `pglite:${dir}`, reused: true, seconds: 0, dir };
  }
  await rm(marker, { force: true });
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const pglite = await createPGlite(dir);
  try {
    const db = await openDatabase({ pglite });
    await prepareDatabase(db, { seed: false });
    await db.prisma.$disconnect();
    await generateInto((sql) => pglite.exec(sql), { size: SIZES[size], seed });
  } finally {
    await pglite.close();
  }
  await writeFile(marker, wanted);
  return {
    size,
    where: `pglite:${dir}`,
    reused: false,
    seconds: (performance.now() - started) / 1000,
    dir,
  };
}

/**
 * A private copy of a PGlite data folder: PGlite has no locking, so two processes must never
 * open the same folder.
 */
export async function copyPgliteDir(size: SizeName, label: string): Promise<string> {
  const target = join(pgliteRoot, 'run', `${size}-${label}`);
  await rm(target, { recursive: true, force: true });
  await mkdir(join(pgliteRoot, 'run'), { recursive: true });
  await cp(pgliteDir(size), target, { recursive: true });
  return target;
}
