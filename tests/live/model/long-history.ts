// Long histories and writes during a replay (issue 31): the model's own commands make a few
// changes each, so no stream ever replayed more than one page (200 records) or saw a write land
// while it replayed. Two commands here do:
// - `burst`: the plan with the most initiatives (a's FY2013 draft, given 55 initiatives when the
//   world is made) leaves the public view and enters it again, `times` times, and ends
//   published: each status change is one change record per initiative, so a burst is 100-300
//   records from a handful of writes;
// - `replayRace`: a viewer reads its snapshot, a burst follows, then it subscribes from the
//   snapshot's cursor (a replay of more than one page) and an initiative of the burst's plan is
//   edited while that replay runs: right after its first initiative page is read (the model
//   server's hook, server.ts `duringReplay`), so the write is deterministically both queued
//   live and within a later replay page.
import fc from 'fast-check';
import { MUTATIONS, type Row, type State } from './documents.ts';
import { duringReplay, type ModelServer } from './server.ts';

/** Initiatives given to a's FY2013 draft when the world is made (bursts play on them). */
export const BURST_INITIATIVES = 55;

export type BurstCommand = { op: 'burst'; times: number };
export type RaceCommand<Viewer, Transport> = {
  op: 'replayRace';
  viewer: Viewer;
  filter: number;
  transport: Transport;
  times: number;
};

export const burstCommand: fc.Arbitrary<BurstCommand> = fc.record({
  op: fc.constant('burst' as const),
  times: fc.integer({ min: 1, max: 2 }),
});

export function raceCommand<Viewer, Transport>(
  viewer: fc.Arbitrary<Viewer>,
  filter: fc.Arbitrary<number>,
  transport: fc.Arbitrary<Transport>,
): fc.Arbitrary<RaceCommand<Viewer, Transport>> {
  // Two round trips: 4 x 55 initiative records, past the first replay page (200). More only
  // makes slow subscribers fall far behind on a loaded CI machine.
  const times = fc.constant(2);
  return fc.record({ op: fc.constant('replayRace' as const), viewer, filter, transport, times });
}

/** The plan bursts play on: the playground's plan with the most initiatives. */
function burstPlan(truth: State, playground: (plan: Row) => boolean): Row | undefined {
  const count = (plan: Row) =>
    [...truth.initiative.values()].filter((i) => i.planId === plan.id).length;
  return [...truth.plan.values()]
    .filter(playground)
    .sort((a, b) => count(b) - count(a) || a.id.localeCompare(b.id))[0];
}

const PLAN_VERSION = 'query ($id: ID!) { node(id: $id) { ... on DepartmentPlan { version } } }';

/**
 * Takes the plan out of the public view and back `times` times (publishing it first if it is
 * a draft), as `token`; returns the log lines, or null when there is no plan to play on.
 */
export async function burst(
  server: ModelServer,
  token: string,
  truth: State,
  playground: (plan: Row) => boolean,
  count: number,
): Promise<{ plan: Row; log: string[] } | null> {
  const plan = burstPlan(truth, playground);
  if (!plan) return null;
  const steps: ('publishPlan' | 'unpublishPlan')[] =
    plan.status === 'PUBLISHED' ? [] : ['publishPlan'];
  for (let i = 0; i < count; i++) steps.push('unpublishPlan', 'publishPlan');
  const log = [];
  for (const mutation of steps) {
    const { node } = await server.graphql(PLAN_VERSION, { id: plan.id }, token);
    const data = await server.graphql(
      MUTATIONS[mutation],
      { input: { id: plan.id, expectedVersion: node.version } },
      token,
    );
    const result = data[mutation];
    log.push(`  ${mutation} ${plan.id} -> ${result.__typename}`);
    if (!result.__typename.endsWith('Success')) {
      throw new Error(`burst: ${mutation} failed: ${JSON.stringify(result)}`);
    }
  }
  return { plan, log };
}

/**
 * Arms the model server to edit one of the plan's initiatives (a new text from `fresh`) while
 * the joiner's initiative replay from `after` runs; the promise resolves once that write is done. It fails when
 * no replay read a page within 15 s.
 */
export function editDuringNextReplay(
  server: ModelServer,
  token: string,
  truth: State,
  plan: Row,
  text: string,
  after: string,
): Promise<string> {
  const initiative = [...truth.initiative.values()].find((i) => i.planId === plan.id);
  if (!initiative) return Promise.resolve('  (no initiative to edit during the replay)');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      duringReplay.write = undefined;
      reject(new Error('replayRace: no initiative replay read a page within 15 s'));
    }, 15_000);
    duringReplay.entityType = 'Initiative';
    duringReplay.after = BigInt(after);
    duringReplay.write = async () => {
      clearTimeout(timer);
      const data = await server.graphql(
        MUTATIONS.updateInitiative,
        { input: { id: initiative.id, expectedVersion: initiative.version, text } },
        token,
      );
      const { latestChangeCursor } = await server.graphql('{ latestChangeCursor }');
      resolve(
        `  during the replay: updateInitiative ${initiative.id} -> ${data.updateInitiative.__typename}`,
      );
      return BigInt(latestChangeCursor);
    };
  });
}
