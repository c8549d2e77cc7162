// Medians and the validity rule: a run counts only with no non-2xx, error, timeout or wrong body.
import type { LoadResult } from '../load/worker.ts';

export interface RunRecord extends Omit<LoadResult, 'id'> {
  valid: boolean;
  /** Why the run does not count, when it does not. */
  problem?: string;
  /** How long the rung took to go idle after the run (lib/settle.ts). */
  settleMs?: number;
}

export interface Figure {
  runs: RunRecord[];
  /** Medians over the valid runs; null when fewer valid runs than required. */
  median: { rps: number; p50: number; p99: number; bytesPerResponse: number } | null;
  skipped?: string;
}

export function judge(result: Omit<LoadResult, 'id'>): RunRecord {
  const problems = [
    result.non2xx && `${result.non2xx} non-2xx`,
    result.errors && `${result.errors} errors`,
    result.timeouts && `${result.timeouts} timeouts`,
    result.mismatches && `${result.mismatches} wrong bodies`,
    result.requests === 0 && 'no response',
  ].filter(Boolean);
  return problems.length
    ? { ...result, valid: false, problem: problems.join(', ') }
    : { ...result, valid: true };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function summarise(runs: RunRecord[], required: number): Figure {
  const valid = runs.filter((run) => run.valid);
  if (valid.length < required) return { runs, median: null };
  return {
    runs,
    median: {
      rps: median(valid.map((run) => run.rps)),
      p50: median(valid.map((run) => run.p50)),
      p99: median(valid.map((run) => run.p99)),
      bytesPerResponse: median(valid.map((run) => run.bytesPerResponse)),
    },
  };
}

/** a / b by throughput, or null when either figure is missing. */
export function throughputRatio(a: Figure | undefined, b: Figure | undefined): number | null {
  if (!a?.median || !b?.median || b.median.rps === 0) return null;
  return a.median.rps / b.median.rps;
}
