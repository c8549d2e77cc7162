// `pnpm db:template` (and after every install): makes the migrated PGlite template a new data
// folder starts from (db/template.ts). Quick when it is already there.
import { buildTemplate } from '../db/template.ts';

const started = performance.now();
try {
  const { path, built } = await buildTemplate();
  console.log(
    built
      ? `pglite template: made ${path} in ${Math.round(performance.now() - started)} ms`
      : `pglite template: up to date (${path})`,
  );
} catch (error) {
  // Never fails an install: without a template a new data folder takes the long way (initdb).
  console.warn(
    `pglite template: not made (${(error as Error).message}); new data folders run initdb`,
  );
}
