// Model-based: random sequences of edits, publications and unpublications of a plan and its
// initiatives, with a model of the plan after each write. For every point of the sequence:
// - the public's planAsOf is null exactly when the plan was a draft then, and otherwise the
//   model's state then (mission and initiative texts, in order);
// - the planning section's planAsOf is the model's state then, draft or not;
// - a public diff between any two points holds no text that was only ever written in a draft.
// Runs: AS_OF_RUNS (default 6); replay a failure with AS_OF_SEED (printed on every run).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { factories, tokenFor } from '../support/factories.ts';

const runs = Number(process.env.AS_OF_RUNS ?? 6);
const seed = Number(process.env.AS_OF_SEED ?? Math.floor(Math.random() * 2 ** 31));

let api: TestApi;
let planning = '';
let municipalityId = 0;

type Command =
  | { kind: 'mission' }
  | { kind: 'toggle' }
  | { kind: 'add' }
  | { kind: 'edit'; index: number }
  | { kind: 'remove'; index: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.constant({ kind: 'mission' as const }),
  fc.constant({ kind: 'toggle' as const }),
  fc.constant({ kind: 'add' as const }),
  fc.nat(5).map((index) => ({ kind: 'edit' as const, index })),
  fc.nat(5).map((index) => ({ kind: 'remove' as const, index })),
);

interface Model {
  status: 'DRAFT' | 'PUBLISHED';
  mission: string | null;
  initiatives: { id: string; text: string; version: number }[];
}

interface Point {
  sequence: string;
  model: Model;
}

const AS_OF = `query ($id: ID!, $point: AsOfPoint!) {
  planAsOf(id: $id, point: $point) { plan { mission status } initiatives { initiative { id text } } }
}`;
const DIFF = `query ($id: ID!, $from: AsOfPoint!, $to: AsOfPoint!) {
  asOfDiff(id: $id, from: $from, to: $to) { changes { field before after } }
}`;

beforeAll(async () => {
  api = await startTestApi();
  const city = await factories(api.db.prisma).municipality({ code: '990101' });
  municipalityId = city.id;
  planning = await tokenFor(api.db.prisma, {
    name: '企画',
    role: 'PLANNING',
    municipality: '990101',
  });
});
afterAll(() => api.close());

async function run(commands: Command[], runIndex: number) {
  const department = await factories(api.db.prisma).department(municipalityId);
  let counter = 0;
  const text = (what: string) => `${what}-${runIndex}-${++counter}`;
  const call = async (query: string, input: Record<string, unknown>) => {
    const response = await api.query(query, { input }, planning);
    expect(response.errors).toBeUndefined();
    const [result] = Object.values(response.data ?? {}) as Record<string, any>[];
    expect(result?.__typename).toMatch(/Success$/);
    return result as Record<string, any>;
  };
  const firstMission = text('m');
  const created = await call(
    `mutation ($input: CreatePlanInput!) { createPlan(input: $input) { __typename ... on CreatePlanSuccess { plan { id version } } } }`,
    {
      municipality: '990101',
      department: department.code,
      fiscalYear: 2012,
      mission: firstMission,
    },
  );
  const planId = created.plan.id as string;
  let planVersion = created.plan.version as number;
  const model: Model = { status: 'DRAFT', mission: firstMission, initiatives: [] };
  const points: Point[] = [];
  const snapshot = async () => {
    const cursor = (await api.query('{ latestChangeCursor }')).data?.latestChangeCursor as string;
    points.push({ sequence: cursor, model: structuredClone(model) });
  };
  await snapshot();
  for (const c of commands) {
    if (c.kind === 'mission') {
      const mission = text('m');
      const r = await call(
        `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { __typename ... on UpdatePlanSuccess { plan { version } } } }`,
        { id: planId, expectedVersion: planVersion, mission },
      );
      planVersion = r.plan.version;
      model.mission = mission;
    } else if (c.kind === 'toggle') {
      const publish = model.status === 'DRAFT';
      const name = publish ? 'publishPlan' : 'unpublishPlan';
      const r = await call(
        `mutation ($input: PlanVersionInput!) { ${name}(input: $input) { __typename ... on ${publish ? 'PublishPlanSuccess' : 'UnpublishPlanSuccess'} { plan { version } } } }`,
        { id: planId, expectedVersion: planVersion },
      );
      planVersion = r.plan.version;
      model.status = publish ? 'PUBLISHED' : 'DRAFT';
    } else if (c.kind === 'add') {
      if (model.initiatives.length >= 4) continue;
      const t = text('i');
      const r = await call(
        `mutation ($input: AddInitiativeInput!) { addInitiative(input: $input) { __typename ... on AddInitiativeSuccess { initiative { id version plan { version } } } } }`,
        { plan: planId, text: t },
      );
      planVersion = r.initiative.plan.version;
      model.initiatives.push({ id: r.initiative.id, text: t, version: r.initiative.version });
    } else if (c.kind === 'edit') {
      const initiative = model.initiatives[c.index % Math.max(1, model.initiatives.length)];
      if (!initiative) continue;
      const t = text('i');
      const r = await call(
        `mutation ($input: UpdateInitiativeInput!) { updateInitiative(input: $input) { __typename ... on UpdateInitiativeSuccess { initiative { version } } } }`,
        { id: initiative.id, expectedVersion: initiative.version, text: t },
      );
      initiative.text = t;
      initiative.version = r.initiative.version;
    } else {
      const index = c.index % Math.max(1, model.initiatives.length);
      const initiative = model.initiatives[index];
      if (!initiative) continue;
      const r = await call(
        `mutation ($input: RemoveInitiativeInput!) { removeInitiative(input: $input) { __typename ... on RemoveInitiativeSuccess { plan { version } } } }`,
        { id: initiative.id, expectedVersion: initiative.version },
      );
      planVersion = r.plan.version;
      model.initiatives.splice(index, 1);
    }
    await snapshot();
  }

  // Texts the public could have seen: those of some published point.
  const publicTexts = new Set<string>();
  for (const { model: m } of points) {
    if (m.status !== 'PUBLISHED') continue;
    if (m.mission) publicTexts.add(m.mission);
    for (const i of m.initiatives) publicTexts.add(i.text);
  }
  const draftOnly = new Set<string>();
  for (const { model: m } of points) {
    for (const t of [m.mission, ...m.initiatives.map((i) => i.text)]) {
      if (t && !publicTexts.has(t)) draftOnly.add(t);
    }
  }

  const expected = (m: Model) => ({
    plan: { mission: m.mission, status: m.status },
    initiatives: m.initiatives.map((i) => ({ initiative: { id: i.id, text: i.text } })),
  });
  for (const [index, { sequence, model: m }] of points.entries()) {
    const point = { sequence };
    const publicly = await api.query(AS_OF, { id: planId, point });
    const where = `point ${index} (${sequence}) of ${JSON.stringify(commands)}`;
    expect(publicly.data?.planAsOf, `public, ${where}`).toEqual(
      m.status === 'PUBLISHED' ? expected(m) : null,
    );
    const staff = await api.as(planning).query(AS_OF, { id: planId, point });
    expect(staff.data?.planAsOf, `planning, ${where}`).toEqual(expected(m));
  }
  for (let from = 0; from < points.length; from += 1) {
    const to = (from * 7 + 3) % points.length;
    const diff = await api.query(DIFF, {
      id: planId,
      from: { sequence: points[from]?.sequence },
      to: { sequence: points[to]?.sequence },
    });
    const seen = JSON.stringify(diff.data);
    for (const t of draftOnly)
      expect(seen, `diff ${from}→${to} shows draft text ${t}`).not.toContain(`"${t}"`);
  }
  return points.length;
}

describe('as-of, model-based', () => {
  it(
    'the public sees a plan as of a point exactly when it was published then, and never draft-only text',
    async () => {
      console.log(`as-of model: seed ${seed} (replay with AS_OF_SEED=${seed}), ${runs} runs`);
      let runIndex = 0;
      let points = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(command, { minLength: 3, maxLength: 10 }), async (commands) => {
          runIndex += 1;
          points += await run(commands, runIndex);
        }),
        { numRuns: runs, seed, endOnFailure: true },
      );
      console.log(`as-of model: ${runIndex} runs, ${points} points checked`);
      expect(runIndex).toBe(runs);
    },
    Math.max(300_000, runs * 60_000),
  );
});
