// `pnpm db:template` (and after every install): makes the migrated PGlite template a new data
// folder starts from, and the seeded one a new folder to be seeded starts from
// (db/template.ts). Quick when they are already there.
import { buildSeededTemplate, buildTemplate } from '../db/template.ts';

let started = performance.now();
const made = (what: string, { path, built }: { path: string; built: boolean }) =>
  console.log(
    built
      ? `${what}: made ${path} in ${Math.round(performance.now() - started)} ms`
      : `${what}: up to date (${path})`,
  );
try {
  made('pglite template', await buildTemplate());
  started = performance.now();
  try {
    made('seeded pglite template', await buildSeededTemplate());
  } catch (error) {
    // Without it a new folder loads the seed at its first start.
    console.warn(
      `seeded pglite template: not made (${(error as Error).message}); new data folders load the seed at start`,
    );
  }
} catch (error) {
  // Never fails an install: without a template a new data folder takes the long way (initdb).
  console.warn(
    `pglite template: not made (${(error as Error).message}); new data folders run initdb`,
  );
}
