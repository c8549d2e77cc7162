// `pnpm bench:live [sse|ws|bare] [subscribers...]`: the subscription benchmark on its own (no
// ladder), printing its results as JSON. `pnpm bench` runs it as part of the whole. `bare`: hoshin
// over SSE, then the bare broadcaster (bare.ts) with the same clients and event bytes.
import type { ChildProcess } from 'node:child_process';
import { pinning, stop } from '../lib/processes.ts';
import { runSubscriptionBench, type SubscriptionScenario } from './run.ts';

const [transportArg, ...sizeArgs] = process.argv.slice(2);
if (transportArg && !['sse', 'ws', 'bare'].includes(transportArg)) {
  throw new Error(`unknown transport "${transportArg}": sse, ws or bare`);
}
const transports = transportArg ? [transportArg] : ['sse', 'ws'];
const sizes = sizeArgs.length > 0 ? sizeArgs.map(Number) : [100, 1000];
const scenarios: SubscriptionScenario[] = transports.flatMap((transport) =>
  sizes.flatMap((subscribers): SubscriptionScenario[] =>
    transport === 'bare'
      ? [
          { transport: 'sse', subscribers, redis: false },
          { transport: 'sse', subscribers, redis: false, bare: true },
        ]
      : [{ transport: transport as 'sse' | 'ws', subscribers, redis: false }],
  ),
);
if (process.env.BENCH_LIVE_REDIS !== '0') {
  scenarios.push({ transport: 'sse', subscribers: sizes[0] ?? 100, redis: true });
}
const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;
const children: ChildProcess[] = [];
try {
  const { results } = await runSubscriptionBench({
    settings: {
      scenarios,
      writes: Number(process.env.BENCH_LIVE_WRITES ?? 10),
      writeIntervalMs: Number(process.env.BENCH_LIVE_INTERVAL_MS ?? 250),
      budgetSeconds: 540,
    },
    pin: pinning(),
    elapsed,
    say: (message) => console.log(`[live ${elapsed().toFixed(0).padStart(3)}s] ${message}`),
    children,
  });
  console.log(JSON.stringify(results, null, 2));
} finally {
  await Promise.all(children.map((child) => stop(child)));
}
