// Waits, after a run, until the rung it loaded is idle again. A server slower than its load
// keeps a queue: when autocannon stops, the requests already accepted still run (in Node and in
// PostgreSQL) for seconds and would be charged to whichever rung runs next.
import { readFileSync } from 'node:fs';
import type pg from 'pg';

/** User + system CPU time of a process in clock ticks (Linux /proc), or undefined elsewhere. */
function cpuTicks(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

async function activeBenchQueries(admin: pg.Client): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname LIKE 'hoshin_bench_%' AND state = 'active' AND pid <> pg_backend_pid()`,
  );
  return rows[0]?.n ?? 0;
}

/**
 * Polls every 100 ms until the server process used at most one tick of CPU and no benchmark
 * query is active in PostgreSQL, twice in a row; gives up after `maxMs`. Returns the wait.
 */
export async function settle(pid: number | undefined, admin: pg.Client, maxMs = 20_000) {
  const started = performance.now();
  let last = cpuTicks(pid);
  let quiet = 0;
  while (performance.now() - started < maxMs && quiet < 2) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = cpuTicks(pid);
    const busy = now !== undefined && last !== undefined ? now - last : 0;
    last = now;
    quiet = busy <= 1 && (await activeBenchQueries(admin)) === 0 ? quiet + 1 : 0;
  }
  return performance.now() - started;
}
