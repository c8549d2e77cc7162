// The migrated, empty PGlite cluster every PGlite test database starts from: the template the
// install builds for the embedded start (packages/server/src/db/template.ts), dumped once per
// run into one file that each test file's in-memory PGlite loads (`loadDataDir`, about 0.7 s)
// instead of running initdb and every migration (5-10 s). The default export is the pglite
// project's global setup: the dump exists before any test file asks for it.
import { existsSync, openAsBlob } from 'node:fs';
import { mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { buildTemplate, copyTemplateInto, createPGlite } from '@hoshin/server/testing';

const DUMP_PREFIX = 'test-dump-';

/**
 * The dump's file, beside the template and named after it (the template's name carries its key:
 * PGlite's version and every migration), made unless it exists. Safe when two processes make
 * it at once: each writes its own file and renames it into place.
 */
export async function migratedDump(): Promise<string> {
  const { path: template } = await buildTemplate();
  const dump = join(dirname(template), `${DUMP_PREFIX}${basename(template)}.tar`);
  if (existsSync(dump)) return dump;
  // A copy, not the template itself: opening a cluster writes to it, and the template is the
  // embedded start's.
  const scratch = await mkdtemp(join(tmpdir(), 'hoshin-template-'));
  try {
    if (!(await copyTemplateInto(scratch))) throw new Error(`${template}: no template to copy`);
    const pglite = await createPGlite(scratch);
    try {
      const data = await pglite.dumpDataDir('none');
      const partial = `${dump}.tmp-${process.pid}`;
      await writeFile(partial, Buffer.from(await data.arrayBuffer()));
      await rename(partial, dump);
    } finally {
      await pglite.close();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return dump;
}

/**
 * A new in-memory PGlite holding a copy of the migrated template, opened by createPGlite
 * (packages/server/src/db/client.ts) as every PGlite hoshin opens: same extensions, same settings.
 */
export async function migratedPgliteCopy(): Promise<PGlite> {
  // A Blob backed by the file: PGlite reads it once, where `new Blob([buffer])` copied the 42 MB
  // first (about 400 ms a copy on a quiet 2-core machine).
  return createPGlite(undefined, { loadDataDir: await openAsBlob(await migratedDump()) });
}

export default async function setup() {
  const dump = await migratedDump();
  // Dumps of templates made for other migrations are never read again.
  for (const entry of await readdir(dirname(dump))) {
    if (entry.startsWith(DUMP_PREFIX) && entry !== basename(dump)) {
      await rm(join(dirname(dump), entry), { force: true });
    }
  }
}
