// Issue 11's proof: random sequences of writes by several roles (department renames and token
// revocations among them, issue 31), watched by subscribers of every viewer class (from the
// start, and joining midway from a snapshot's cursor, some only replaying later), with a
// server restart in the middle. For every subscriber, its snapshot
// plus its events equal a fresh query, and nothing it could never see reaches it (see
// model/runner.ts for every check). MODEL_RUNS / MODEL_COMMANDS / MODEL_SEED / MODEL_PATH
// replay or lengthen it (`npx pnpm test:model` runs 200 sequences of up to 40 commands).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioArbitrary } from './model/commands.ts';
import { type RunStats, runScenario } from './model/runner.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from './model/server.ts';

const runs = Number(process.env.MODEL_RUNS ?? 4);
const maxCommands = Number(process.env.MODEL_COMMANDS ?? 25);
// Always a seed, printed before the run: a nightly run that fails (or hangs) can be replayed.
const seed =
  process.env.MODEL_SEED === undefined
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(process.env.MODEL_SEED);
const path = process.env.MODEL_PATH;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
}, 180_000);
afterAll(async () => {
  await db?.close();
});

describe(`the visibility model, on ${onPostgres ? 'PostgreSQL' : 'PGlite'}`, () => {
  it(
    'for every viewer, snapshot + events = a fresh query, and nothing unseen ever reaches them',
    async () => {
      const totals = {
        runs: 0,
        commands: 0,
        events: 0,
        subscribers: 0,
        mutations: 0,
        succeeded: 0,
      };
      const started = Date.now();
      console.log(`model: ${runs} sequences of up to ${maxCommands} commands, MODEL_SEED=${seed}`);
      await fc.assert(
        fc.asyncProperty(scenarioArbitrary(maxCommands), async (scenario) => {
          const stats: RunStats = await runScenario(db, scenario);
          totals.runs += 1;
          totals.commands += stats.commands;
          totals.events += stats.events;
          totals.subscribers += stats.subscribers;
          for (const [key, n] of Object.entries(stats.mutations)) {
            totals.mutations += n;
            if (key.endsWith('Success')) totals.succeeded += n;
          }
        }),
        {
          numRuns: runs,
          seed,
          ...(path ? { path } : {}),
          // A failure reports its seed and path at once; shrinking replays whole runs, so it
          // is for a replay with MODEL_SHRINK=1 (and MODEL_SEED, MODEL_PATH), not the suite.
          endOnFailure: !process.env.MODEL_SHRINK,
        },
      );
      console.log(
        `model (MODEL_SEED=${seed}): ${totals.runs} sequences, ${totals.commands} commands (${totals.mutations} writes, ${totals.succeeded} succeeded), ${totals.subscribers} subscribers, ${totals.events} events in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      expect(totals.runs).toBeGreaterThanOrEqual(runs);
    },
    // Generous: each sequence takes seconds, more on a busy machine.
    Math.max(600_000, runs * 90_000),
  );
});
