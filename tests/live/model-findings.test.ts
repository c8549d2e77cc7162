// What the model test (model.test.ts) found, each as the smallest sequence that shows it, so
// the fix can be seen to work. Every world starts with the model's prelude: plan b/2014
// published with two initiatives (positions 1 and 2), the first plan `pick: 0` names.
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Scenario } from './model/commands.ts';
import { runScenario } from './model/runner.ts';
import { createTestDatabase, type TestDatabase } from './model/server.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
}, 180_000);
afterAll(async () => {
  await db?.close();
});

const watchers: Scenario['initial'] = [
  { viewer: 'public', filter: 0, transport: 'sse' },
  { viewer: 'planning', filter: 0, transport: 'ws' },
];

describe('found by the model test', () => {
  // Seed 1652983219 (and most seeds): addInitiative at a position moves the initiatives after
  // it down, in the database only. No change record, so no event: every subscriber keeps the
  // old positions, and `history` never shows the move.
  it('adding an initiative before others tells every subscriber the positions that moved', async () => {
    await runScenario(db, {
      initial: watchers,
      commands: [
        {
          op: 'addInitiative',
          actor: 'planning',
          pick: 0,
          position: 0,
          reform: false,
          footnote: false,
        },
      ],
      restartAt: 0.5,
    });
  }, 180_000);

  // The same for removeInitiative: the ones after it move up without an event.
  it('removing an initiative tells every subscriber the positions that moved', async () => {
    await runScenario(db, {
      initial: watchers,
      commands: [{ op: 'removeInitiative', actor: 'planning', pick: 0 }],
      restartAt: 0.5,
    });
  }, 180_000);
});
