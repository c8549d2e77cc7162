// `pnpm bench:data <size> [postgres|pglite] [--rebuild]`: builds one benchmark database and
// prints where it is and how long it took.
import { ensurePglite, ensurePostgres } from './load.ts';
import { isSizeName } from './sizes.ts';

const [size = 'prefecture', target = 'postgres'] = process.argv
  .slice(2)
  .filter((a) => !a.startsWith('--'));
const rebuild = process.argv.includes('--rebuild');
const seed = Number(process.env.BENCH_SEED ?? 1);
if (!isSizeName(size)) throw new Error(`unknown size "${size}"`);
const report =
  target === 'pglite'
    ? await ensurePglite(size, seed, { rebuild })
    : await ensurePostgres(size, seed, { rebuild });
console.log(JSON.stringify(report));
