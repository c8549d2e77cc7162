// Imports write through the services the mutations use (issue 25, item 1): every refusal the
// API gives, an import row of the same content gives with the same code, and an accepted row
// leaves the same change records (fields, audiences, snapshots) as the mutations would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factories, tokenFor } from '../support/factories.ts';
import { type OpenDataApi, startOpenDataApi } from './support.ts';

const MITAKA = '132047';
const globalId = (typename: string, id: number) =>
  Buffer.from(`${typename}:${id}`).toString('base64');

let api: OpenDataApi;
let tokens: { planning: string; admin: string; kyoikuEditor: string };
/** Rows the cases talk about (global ids and versions as the API gives them). */
let world: {
  plan2014: { id: string; initiatives: string[] };
  plan2015: { id: string; version: number };
  kikakuDraft2015: string;
  staged: { id: string; version: number };
};

// ---- the two ways -------------------------------------------------------------------------

/** Each mutation used here: its input type and the payload field that carries the row. */
const MUTATIONS: Record<string, [input: string, field: string]> = {
  createPlan: ['CreatePlanInput', 'plan'],
  updatePlan: ['UpdatePlanInput', 'plan'],
  publishPlan: ['PlanVersionInput', 'plan'],
  addInitiative: ['AddInitiativeInput', 'initiative'],
  updateInitiative: ['UpdateInitiativeInput', 'initiative'],
  recordEvaluation: ['RecordEvaluationInput', 'evaluation'],
  updateEvaluation: ['UpdateEvaluationInput', 'evaluation'],
  publishEvaluation: ['EvaluationVersionInput', 'evaluation'],
  recordEvaluationStage: ['RecordEvaluationStageInput', 'evaluation'],
  completeEvaluationStage: ['EvaluationStageInput', 'evaluation'],
  createDepartment: ['CreateDepartmentInput', 'department'],
  unpublishPlan: ['PlanVersionInput', 'plan'],
};

interface Outcome {
  /** The refusal's code (a ValidationError's first issue, FORBIDDEN, NOT_FOUND), if refused. */
  code?: string;
  row?: { id: string; version: number };
}

async function mutate(token: string, name: string, input: Record<string, unknown>) {
  const [type, field] = MUTATIONS[name] as [string, string];
  const success = `${name[0]?.toUpperCase()}${name.slice(1)}Success`;
  const response = await api.fetch('/graphql', {
    method: 'POST',
    token,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `mutation ($input: ${type}!) { result: ${name}(input: $input) { __typename
        ... on ValidationError { issues { code } }
        ... on ${success} { row: ${field} { id version } } } }`,
      variables: { input },
    }),
  });
  const body = (await response.json()) as any;
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  const result = body.data.result;
  const codes: Record<string, string> = {
    ForbiddenError: 'FORBIDDEN',
    NotFoundError: 'NOT_FOUND',
    VersionConflictError: 'VERSION_CONFLICT',
  };
  const code =
    result.__typename === 'ValidationError' ? result.issues[0].code : codes[result.__typename];
  return { code, row: result.row } as Outcome;
}

/** Runs the mutations in order, as a user would, up to the first refusal. */
async function mutations(
  token: string,
  steps: [string, (previous?: Outcome['row']) => Record<string, unknown>][],
) {
  let row: Outcome['row'];
  for (const [name, input] of steps) {
    const outcome = await mutate(token, name, input(row));
    if (outcome.code) return outcome;
    row = outcome.row;
  }
  return { row } as Outcome;
}

const csvCell = (value: string) =>
  /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

/** Imports one row (applied, not a dry run); answers the HTTP status and the row's report. */
async function importRow(token: string, entity: string, row: Record<string, string | number>) {
  return importRows(token, entity, [row]);
}

/** Imports the rows as one file (the first row's columns); answers as importRow (its first row). */
async function importRows(token: string, entity: string, rows: Record<string, string | number>[]) {
  const keys = Object.keys(rows[0] ?? {});
  const lines = rows.map((row) => keys.map((k) => csvCell(String(row[k] ?? ''))).join(','));
  const body = `${[keys.join(','), ...lines].join('\n')}\n`;
  const response = await api.fetch(`/import/${entity}?format=csv`, {
    method: 'POST',
    token,
    body,
  });
  const json = (await response.json()) as any;
  return { status: response.status, row: json.report?.rows?.[0], body: json };
}

beforeAll(async () => {
  api = await startOpenDataApi();
  const prisma = api.db.prisma;
  tokens = {
    planning: await tokenFor(prisma, {
      name: '企画経営課',
      role: 'PLANNING',
      municipality: MITAKA,
    }),
    admin: await tokenFor(prisma, { name: '管理者', role: 'ADMIN', municipality: MITAKA }),
    kyoikuEditor: await tokenFor(prisma, {
      name: '教育部',
      role: 'EDITOR',
      municipality: MITAKA,
      department: 'kyoiku',
    }),
  };
  const make = factories(prisma);
  const department = (code: string) =>
    prisma.department.findFirstOrThrow({ where: { code, municipality: { code: MITAKA } } });
  const kyoiku = await department('kyoiku');
  const kikaku = await department('kikaku');
  const plan2014 = await make.plan(kyoiku.id, {
    fiscalYear: 2014,
    initiatives: [{ text: '段階評価の事業' }, { text: '継続する事業' }, { text: '三つ目の事業' }],
  });
  const plan2015 = await make.plan(kyoiku.id, {
    fiscalYear: 2015,
    status: 'DRAFT',
    initiatives: [{ text: '下書きの事業' }],
  });
  const kikakuDraft = await make.plan(kikaku.id, { fiscalYear: 2015, status: 'DRAFT' });
  const initiatives = plan2014.initiatives.map((i) => globalId('Initiative', i.id));
  // 自己評価 recorded and completed by the department: 一次, 二次 still to come.
  const recorded = await mutate(tokens.kyoikuEditor, 'recordEvaluationStage', {
    initiative: initiatives[0],
    stage: 'SELF',
    rating: 'ACHIEVED',
    summary: '自己評価では達成',
  });
  const completed = await mutate(tokens.kyoikuEditor, 'completeEvaluationStage', {
    evaluation: recorded.row?.id,
    stage: 'SELF',
    expectedVersion: recorded.row?.version,
  });
  world = {
    plan2014: { id: globalId('DepartmentPlan', plan2014.id), initiatives },
    plan2015: { id: globalId('DepartmentPlan', plan2015.id), version: plan2015.version },
    kikakuDraft2015: globalId('DepartmentPlan', kikakuDraft.id),
    staged: completed.row as { id: string; version: number },
  };
}, 180_000);

afterAll(async () => {
  await api?.close();
});

// ---- refusals -----------------------------------------------------------------------------

interface RefusalCase {
  rule: string;
  code: string;
  token: () => string;
  /** The import row (the file's cells). */
  entity: string;
  row: () => Record<string, string | number>;
  /** The same content as mutations. */
  steps: () => [string, (previous?: Outcome['row']) => Record<string, unknown>][];
}

const place = (department: string, fiscalYear: number) => ({
  municipality: MITAKA,
  department,
  fiscalYear,
});
const at = (fiscalYear: number, position: number) => ({
  ...place('kyoiku', fiscalYear),
  position,
});
const publish = (name: string) =>
  [name, (row?: Outcome['row']) => ({ id: row?.id, expectedVersion: row?.version })] as [
    string,
    (row?: Outcome['row']) => Record<string, unknown>,
  ];

const refusals: RefusalCase[] = [
  {
    rule: 'an evaluation whose required stages are not completed is not published',
    code: 'EVALUATION_NOT_READY',
    token: () => tokens.planning,
    entity: 'evaluations',
    row: () => ({ ...at(2014, 1), status: 'PUBLISHED' }),
    steps: () => [
      ['publishEvaluation', () => ({ id: world.staged.id, expectedVersion: world.staged.version })],
    ],
  },
  {
    rule: '継続 (CONTINUE) is not published without the next year’s initiative',
    code: 'DECISION_INCONSISTENT',
    token: () => tokens.planning,
    entity: 'evaluations',
    row: () => ({
      ...at(2014, 2),
      rating: 'ACHIEVED',
      summary: '順調に進んだ',
      decision: 'CONTINUE',
      status: 'PUBLISHED',
    }),
    steps: () => [
      [
        'recordEvaluation',
        () => ({
          initiative: world.plan2014.initiatives[1],
          rating: 'ACHIEVED',
          summary: '順調に進んだ',
          decision: 'CONTINUE',
        }),
      ],
      publish('publishEvaluation'),
    ],
  },
  {
    rule: 'a staged evaluation’s rating comes from its stages',
    code: 'STAGED_RESULT',
    token: () => tokens.planning,
    entity: 'evaluations',
    row: () => ({ ...at(2014, 1), rating: 'NOT_ACHIEVED' }),
    steps: () => [
      [
        'updateEvaluation',
        () => ({
          id: world.staged.id,
          expectedVersion: world.staged.version,
          rating: 'NOT_ACHIEVED',
        }),
      ],
    ],
  },
  {
    rule: 'progress is at most 100 percent',
    code: 'TOO_BIG',
    token: () => tokens.planning,
    entity: 'evaluations',
    row: () => ({ ...at(2014, 3), rating: 'ACHIEVED', summary: '達成', progressPercent: 101 }),
    steps: () => [
      [
        'recordEvaluation',
        () => ({
          initiative: world.plan2014.initiatives[2],
          rating: 'ACHIEVED',
          summary: '達成',
          progressPercent: 101,
        }),
      ],
    ],
  },
  {
    rule: 'the initiative that carries one on is of a later year',
    code: 'NOT_LATER_YEAR',
    token: () => tokens.planning,
    entity: 'evaluations',
    row: () => ({
      ...at(2014, 3),
      rating: 'ACHIEVED',
      summary: '達成',
      nextInitiative: 'kyoiku/2014/2',
    }),
    steps: () => [
      [
        'recordEvaluation',
        () => ({
          initiative: world.plan2014.initiatives[2],
          rating: 'ACHIEVED',
          summary: '達成',
          nextInitiative: world.plan2014.initiatives[1],
        }),
      ],
    ],
  },
  {
    rule: 'a staff count is not negative',
    code: 'TOO_SMALL',
    token: () => tokens.planning,
    entity: 'plans',
    row: () => ({ ...place('kyoiku', 2015), staffCount: -1 }),
    steps: () => [
      [
        'updatePlan',
        () => ({
          id: world.plan2015.id,
          expectedVersion: world.plan2015.version,
          staffCount: -1,
        }),
      ],
    ],
  },
  {
    rule: 'an initiative’s text is at most 2000 characters',
    code: 'TOO_BIG',
    token: () => tokens.planning,
    entity: 'initiatives',
    row: () => ({ ...at(2015, 2), text: 'あ'.repeat(2001) }),
    steps: () => [['addInitiative', () => ({ plan: world.plan2015.id, text: 'あ'.repeat(2001) })]],
  },
  {
    // An edit of an existing initiative is checked in memory (checkInitiativeUpdate): the same
    // rules, the same codes.
    rule: 'an edited initiative’s text is at most 2000 characters',
    code: 'TOO_BIG',
    token: () => tokens.planning,
    entity: 'initiatives',
    row: () => ({ ...at(2014, 3), text: 'い'.repeat(2001) }),
    steps: () => [
      [
        'updateInitiative',
        () => ({
          id: world.plan2014.initiatives[2],
          expectedVersion: 1,
          text: 'い'.repeat(2001),
        }),
      ],
    ],
  },
  {
    rule: 'an editor does not edit the initiatives of a published plan',
    code: 'FORBIDDEN',
    token: () => tokens.kyoikuEditor,
    entity: 'initiatives',
    row: () => ({ ...at(2014, 2), text: '公開後の事業の書き換え' }),
    steps: () => [
      [
        'updateInitiative',
        () => ({
          id: world.plan2014.initiatives[1],
          expectedVersion: 1,
          text: '公開後の事業の書き換え',
        }),
      ],
    ],
  },
  {
    rule: 'an editor writes the plans of its own department only',
    code: 'FORBIDDEN',
    token: () => tokens.kyoikuEditor,
    entity: 'plans',
    row: () => ({ ...place('kikaku', 2016), mission: '他部の方針' }),
    steps: () => [['createPlan', () => ({ ...place('kikaku', 2016), mission: '他部の方針' })]],
  },
  {
    rule: 'an editor does not see, so cannot add to, another department’s draft',
    code: 'NOT_FOUND',
    token: () => tokens.kyoikuEditor,
    entity: 'initiatives',
    row: () => ({ ...place('kikaku', 2015), position: 1, text: '他部の事業' }),
    steps: () => [['addInitiative', () => ({ plan: world.kikakuDraft2015, text: '他部の事業' })]],
  },
  {
    rule: 'a published plan is changed by the planning section only',
    code: 'FORBIDDEN',
    token: () => tokens.kyoikuEditor,
    entity: 'plans',
    row: () => ({ ...place('kyoiku', 2014), mission: '公開後の書き換え' }),
    steps: () => [
      [
        'updatePlan',
        () => ({ id: world.plan2014.id, expectedVersion: 1, mission: '公開後の書き換え' }),
      ],
    ],
  },
  {
    rule: 'an editor does not create a plan as published (only planning publishes)',
    code: 'FORBIDDEN',
    token: () => tokens.kyoikuEditor,
    entity: 'plans',
    row: () => ({ ...place('kyoiku', 2017), mission: 'いきなり公開', status: 'PUBLISHED' }),
    steps: () => [
      ['createPlan', () => ({ ...place('kyoiku', 2017), mission: 'いきなり公開' })],
      publish('publishPlan'),
    ],
  },
  {
    rule: 'departments are added by an admin',
    code: 'FORBIDDEN',
    token: () => tokens.planning,
    entity: 'departments',
    row: () => ({ municipality: MITAKA, code: 'bosai', name: '防災部', displayOrder: 99 }),
    steps: () => [
      [
        'createDepartment',
        () => ({ municipality: MITAKA, code: 'bosai', name: '防災部', displayOrder: 99 }),
      ],
    ],
  },
  {
    rule: 'a department is not abolished before it is established',
    code: 'BEFORE_ESTABLISHED',
    token: () => tokens.admin,
    entity: 'departments',
    row: () => ({
      municipality: MITAKA,
      code: 'kankyo-2',
      name: '環境部',
      displayOrder: 98,
      establishedIn: 2015,
      abolishedAfter: 2010,
    }),
    steps: () => [
      [
        'createDepartment',
        () => ({
          municipality: MITAKA,
          code: 'kankyo-2',
          name: '環境部',
          displayOrder: 98,
          establishedIn: 2015,
          abolishedAfter: 2010,
        }),
      ],
    ],
  },
];

describe('an import row is refused exactly when the mutation is, with the same code', () => {
  it.each(refusals.map((c) => [c.rule, c] as const))('%s', async (_rule, refusal) => {
    const changes = await api.db.prisma.changeRecord.count();
    // The import first: a rejected file writes nothing, so the mutations meet the same state.
    const imported = await importRow(refusal.token(), refusal.entity, refusal.row());
    expect(imported.status, JSON.stringify(imported.body)).toBe(422);
    expect(imported.row?.outcome).toBe('rejected');
    expect(await api.db.prisma.changeRecord.count()).toBe(changes);
    const mutated = await mutations(refusal.token(), refusal.steps());
    expect({ import: imported.row?.issues?.[0]?.code, mutation: mutated.code }).toEqual({
      import: refusal.code,
      mutation: refusal.code,
    });
  });
});

// ---- accepted rows ------------------------------------------------------------------------

/**
 * A change record as what it says, not where it sits: ids, years and times (which differ
 * between the two rows compared) replaced by their kind.
 */
function shapeOf(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => shapeOf(v));
  if (value !== null && typeof value === 'object') {
    // A change's before and after are values of the field they are under.
    const fieldOf = (k: string) => (k === 'before' || k === 'after' ? key : k);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v, fieldOf(k))]));
  }
  if (value === null || value === undefined) return null;
  if (key === 'id' || key.endsWith('Id') || key === 'entityId') return '<id>';
  if (key === 'fiscalYear') return '<year>';
  if (key.endsWith('At')) return '<time>';
  return value;
}

async function recordsAfter(id: bigint) {
  const records = await api.db.prisma.changeRecord.findMany({
    where: { id: { gt: id } },
    orderBy: { id: 'asc' },
    select: {
      entityType: true,
      action: true,
      actor: true,
      actorOffice: true,
      audienceBefore: true,
      audienceAfter: true,
      departmentId: true,
      fiscalYear: true,
      changes: true,
      snapshot: true,
    },
  });
  return records.map((record) => shapeOf(record));
}

const lastRecordId = async () =>
  (await api.db.prisma.changeRecord.findFirst({ orderBy: { id: 'desc' } }))?.id ?? BigInt(0);

/** The change records of an import row and of the mutations that say the same. */
async function bothWays(
  token: string,
  entity: string,
  row: Record<string, string | number>,
  steps: [string, (previous?: Outcome['row']) => Record<string, unknown>][],
) {
  const beforeImport = await lastRecordId();
  const imported = await importRow(token, entity, row);
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  const byImport = await recordsAfter(beforeImport);
  const beforeMutation = await lastRecordId();
  const mutated = await mutations(token, steps);
  expect(mutated.code).toBeUndefined();
  const byMutation = await recordsAfter(beforeMutation);
  expect(byImport.length).toBeGreaterThan(0);
  return { byImport, byMutation };
}

describe('an accepted import row leaves the change records its mutations leave', () => {
  it('a plan created as published: created, then published with what it holds', async () => {
    const content = { mission: '学びを支える', staffCount: 120, budgetYen: 9_876_543 };
    const { byImport, byMutation } = await bothWays(
      tokens.planning,
      'plans',
      { ...place('kyoiku', 2020), ...content, status: 'PUBLISHED' },
      [['createPlan', () => ({ ...place('kyoiku', 2021), ...content })], publish('publishPlan')],
    );
    expect(byImport.map((r: any) => `${r.entityType} ${r.action}`)).toEqual([
      'DepartmentPlan CREATE',
      'DepartmentPlan UPDATE',
    ]);
    expect(byImport).toEqual(byMutation);
  });

  it('an edited draft and an added initiative, by the department’s editor', async () => {
    const make = factories(api.db.prisma);
    const kyoiku = await api.db.prisma.department.findFirstOrThrow({ where: { code: 'kyoiku' } });
    // Two equal drafts: the import edits FY2022's, the mutations FY2023's.
    await make.plan(kyoiku.id, { fiscalYear: 2022, status: 'DRAFT', staffCount: 5 });
    const b = await make.plan(kyoiku.id, { fiscalYear: 2023, status: 'DRAFT', staffCount: 5 });
    const edit = await bothWays(
      tokens.kyoikuEditor,
      'plans',
      { ...place('kyoiku', 2022), mission: '新しい方針', staffCount: 6 },
      [
        [
          'updatePlan',
          () => ({
            id: globalId('DepartmentPlan', b.id),
            expectedVersion: b.version,
            mission: '新しい方針',
            staffCount: 6,
          }),
        ],
      ],
    );
    expect(edit.byImport).toEqual(edit.byMutation);
    const add = await bothWays(
      tokens.kyoikuEditor,
      'initiatives',
      { ...at(2022, 1), text: '新しい事業', isAdministrativeReform: 'true', footnotes: '["注"]' },
      [
        [
          'addInitiative',
          () => ({
            plan: globalId('DepartmentPlan', b.id),
            text: '新しい事業',
            isAdministrativeReform: true,
            footnotes: ['注'],
          }),
        ],
      ],
    );
    expect(add.byImport.map((r: any) => `${r.entityType} ${r.action}`)).toEqual([
      'DepartmentPlan UPDATE',
      'Initiative CREATE',
    ]);
    expect(add.byImport).toEqual(add.byMutation);
  });

  it('a file of many rows: its records are, row for row and in order, those of the same mutations', async () => {
    const make = factories(api.db.prisma);
    const kyoiku = await api.db.prisma.department.findFirstOrThrow({ where: { code: 'kyoiku' } });
    const texts = ['一つ目の事業', '二つ目の事業', '三つ目の事業'];
    // Two equal sets, each a published plan and a draft with three initiatives, every one
    // edited once through the API first (so the log, not a default, says who saw it last).
    const set = async (fiscalYear: number) => {
      const plans = [];
      for (const [offset, status] of [[0, 'PUBLISHED'] as const, [1, 'DRAFT'] as const]) {
        const plan = await make.plan(kyoiku.id, {
          fiscalYear: fiscalYear + offset,
          status,
          initiatives: texts.map((text) => ({ text })),
        });
        const initiatives = [];
        for (const initiative of plan.initiatives) {
          const edited = await mutate(tokens.planning, 'updateInitiative', {
            id: globalId('Initiative', initiative.id),
            expectedVersion: initiative.version,
            text: `${initiative.text}（案）`,
          });
          expect(edited.code).toBeUndefined();
          initiatives.push(edited.row as { id: string; version: number });
        }
        plans.push({ id: globalId('DepartmentPlan', plan.id), initiatives });
      }
      return plans;
    };
    const [importedPublished, importedDraft] = await set(2050);
    const [mutatedPublished, mutatedDraft] = await set(2052);
    const edit = (n: number, text = `${texts[n - 1]}（改）`) => ({ n, text, reform: n === 3 });
    // The published plan: two edits, an initiative added at the end, a third edit; the draft:
    // three edits.
    const steps = [
      ['published', edit(1)],
      ['published', edit(2)],
      ['published', { n: 4, text: '追加した事業', reform: false, added: true }],
      ['published', edit(3)],
      ['draft', edit(1)],
      ['draft', edit(2)],
      ['draft', edit(3)],
    ] as const;
    const file = steps.map(([which, { n, text, reform }]) => ({
      ...at(which === 'published' ? 2050 : 2051, n),
      text,
      isAdministrativeReform: String(reform),
    }));
    const beforeImport = await lastRecordId();
    const imported = await importRows(tokens.planning, 'initiatives', file);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body.report.counts).toMatchObject({ created: 1, updated: 6, rejected: 0 });
    const byImport = await recordsAfter(beforeImport);
    const beforeMutation = await lastRecordId();
    for (const [which, step] of steps) {
      const plan = which === 'published' ? mutatedPublished : mutatedDraft;
      const outcome =
        'added' in step
          ? await mutate(tokens.planning, 'addInitiative', { plan: plan?.id, text: step.text })
          : await mutate(tokens.planning, 'updateInitiative', {
              id: plan?.initiatives[step.n - 1]?.id,
              expectedVersion: plan?.initiatives[step.n - 1]?.version,
              text: step.text,
              isAdministrativeReform: step.reform,
            });
      expect(outcome.code).toBeUndefined();
    }
    const byMutation = await recordsAfter(beforeMutation);
    expect(
      byImport.map(
        (r: any) => `${r.entityType} ${r.action} ${r.audienceBefore}>${r.audienceAfter}`,
      ),
    ).toEqual([
      'Initiative UPDATE PUBLIC>PUBLIC',
      'Initiative UPDATE PUBLIC>PUBLIC',
      // The plan has no record before (made by the factory): staff, the log's default.
      'DepartmentPlan UPDATE STAFF>PUBLIC',
      'Initiative CREATE NONE>PUBLIC',
      'Initiative UPDATE PUBLIC>PUBLIC',
      'Initiative UPDATE STAFF>STAFF',
      'Initiative UPDATE STAFF>STAFF',
      'Initiative UPDATE STAFF>STAFF',
    ]);
    expect(byImport).toEqual(byMutation);
    // Each snapshot is the state after its change: it holds what the change changed to.
    for (const record of byImport as any[]) {
      for (const [field, { after }] of Object.entries<any>(record.changes)) {
        expect(shapeOf(record.snapshot[field], field)).toEqual(after);
      }
    }
    expect(importedPublished?.initiatives).toHaveLength(3);
    expect(importedDraft?.initiatives).toHaveLength(3);
  });

  it('a file of edits only (checked in memory, written a chunk at once): row for row the records of the mutations', async () => {
    const make = factories(api.db.prisma);
    const kyoiku = await api.db.prisma.department.findFirstOrThrow({ where: { code: 'kyoiku' } });
    const texts = ['一つ目', '二つ目', '三つ目'];
    // Two equal sets, each a published plan and a draft, every initiative edited once
    // through the API first (so the log says who saw it last).
    const set = async (fiscalYear: number) => {
      const initiatives: { id: string; version: number }[] = [];
      for (const [offset, status] of [[0, 'PUBLISHED'] as const, [1, 'DRAFT'] as const]) {
        const plan = await make.plan(kyoiku.id, {
          fiscalYear: fiscalYear + offset,
          status,
          initiatives: texts.map((text) => ({ text })),
        });
        for (const initiative of plan.initiatives) {
          const edited = await mutate(tokens.planning, 'updateInitiative', {
            id: globalId('Initiative', initiative.id),
            expectedVersion: initiative.version,
            text: `${initiative.text}（案）`,
          });
          initiatives.push(edited.row as { id: string; version: number });
        }
      }
      return initiatives;
    };
    await set(2060);
    const mutated = await set(2062);
    // Texts, the reform mark, footnotes and citations: each content field written in bulk.
    const edit = (n: number) => ({
      text: `${texts[n - 1]}（改）`,
      isAdministrativeReform: n === 2,
      footnotes: n === 3 ? ['注一', '注二'] : [],
      citations: n === 3 ? ['施政方針'] : [],
    });
    const file = [2060, 2061].flatMap((fiscalYear) =>
      [1, 2, 3].map((n) => {
        const { text, isAdministrativeReform, footnotes, citations } = edit(n);
        return {
          ...at(fiscalYear, n),
          text,
          isAdministrativeReform: String(isAdministrativeReform),
          footnotes: JSON.stringify(footnotes),
          citations: JSON.stringify(citations),
        };
      }),
    );
    const beforeImport = await lastRecordId();
    const imported = await importRows(tokens.planning, 'initiatives', file);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body.report.counts).toMatchObject({ updated: 6, rejected: 0 });
    const byImport = await recordsAfter(beforeImport);
    const beforeMutation = await lastRecordId();
    for (const [index, initiative] of mutated.entries()) {
      const outcome = await mutate(tokens.planning, 'updateInitiative', {
        id: initiative.id,
        expectedVersion: initiative.version,
        ...edit((index % 3) + 1),
      });
      expect(outcome.code).toBeUndefined();
    }
    const byMutation = await recordsAfter(beforeMutation);
    expect(byImport.map((r: any) => `${r.action} ${r.audienceBefore}>${r.audienceAfter}`)).toEqual([
      ...Array(3).fill('UPDATE PUBLIC>PUBLIC'),
      ...Array(3).fill('UPDATE STAFF>STAFF'),
    ]);
    expect(byImport).toEqual(byMutation);
    for (const record of byImport as any[]) {
      for (const [field, { after }] of Object.entries<any>(record.changes)) {
        expect(shapeOf(record.snapshot[field], field)).toEqual(after);
      }
    }
  });

  it('an evaluation recorded and published by the planning section', async () => {
    const make = factories(api.db.prisma);
    const kyoiku = await api.db.prisma.department.findFirstOrThrow({ where: { code: 'kyoiku' } });
    const plan = await make.plan(kyoiku.id, {
      fiscalYear: 2024,
      initiatives: [{ text: '完了する事業' }, { text: 'もう一つ完了する事業' }],
    });
    const evaluation = { rating: 'ACHIEVED', summary: '目標を達成した', decision: 'COMPLETE' };
    const { byImport, byMutation } = await bothWays(
      tokens.planning,
      'evaluations',
      { ...at(2024, 1), ...evaluation, progressPercent: 100, status: 'PUBLISHED' },
      [
        [
          'recordEvaluation',
          () => ({
            initiative: globalId('Initiative', plan.initiatives[1]?.id ?? 0),
            ...evaluation,
            progressPercent: 100,
          }),
        ],
        publish('publishEvaluation'),
      ],
    );
    expect(byImport.map((r: any) => `${r.entityType} ${r.action} ${r.audienceAfter}`)).toEqual([
      'Evaluation CREATE STAFF',
      'Evaluation UPDATE PUBLIC',
    ]);
    expect(byImport).toEqual(byMutation);
  });
});

// A row that changes a record's status and its content at once is applied in the order a user
// would take: withdrawn before the edit, published after it, so that the public never sees a
// half-made change; a row that changes the status alone is only that move.
describe('a row that changes status and content at once', () => {
  const plansOf = async (...fiscalYears: number[]) => {
    const make = factories(api.db.prisma);
    const kyoiku = await api.db.prisma.department.findFirstOrThrow({ where: { code: 'kyoiku' } });
    const made = [];
    // The first two published through the API, so that their publication is on record.
    for (const [index, fiscalYear] of fiscalYears.entries()) {
      const plan = await make.plan(kyoiku.id, { fiscalYear, status: 'DRAFT', staffCount: 7 });
      const draft = { id: globalId('DepartmentPlan', plan.id), version: plan.version, fiscalYear };
      if (index >= 2) {
        made.push(draft);
        continue;
      }
      const published = await mutate(tokens.planning, 'publishPlan', {
        id: draft.id,
        expectedVersion: draft.version,
      });
      made.push({ ...draft, version: published.row?.version ?? 0 });
    }
    return made;
  };
  const kinds = (records: unknown[]) =>
    records.map((r: any) => `${r.entityType} ${r.action} ${r.audienceBefore}>${r.audienceAfter}`);

  it('withdrawn, then edited: the edit is never public', async () => {
    const [imported, mutated] = await plansOf(2030, 2031);
    const content = { mission: '見直した方針', staffCount: 8 };
    const { byImport, byMutation } = await bothWays(
      tokens.planning,
      'plans',
      { ...place('kyoiku', imported?.fiscalYear ?? 0), ...content, status: 'DRAFT' },
      [
        publish('unpublishPlan').map((step, i) =>
          i === 0 ? step : () => ({ id: mutated?.id, expectedVersion: mutated?.version }),
        ) as [string, () => Record<string, unknown>],
        ['updatePlan', (row) => ({ id: row?.id, expectedVersion: row?.version, ...content })],
      ],
    );
    expect(kinds(byImport)).toEqual([
      'DepartmentPlan UPDATE PUBLIC>STAFF',
      'DepartmentPlan UPDATE STAFF>STAFF',
    ]);
    expect(byImport).toEqual(byMutation);
  });

  it('edited, then published: the public first sees the edited plan', async () => {
    const [, , imported, mutated] = await plansOf(2032, 2033, 2034, 2035);
    const content = { mission: '公開前に直した方針', staffCount: 9 };
    const { byImport, byMutation } = await bothWays(
      tokens.planning,
      'plans',
      { ...place('kyoiku', imported?.fiscalYear ?? 0), ...content, status: 'PUBLISHED' },
      [
        ['updatePlan', () => ({ id: mutated?.id, expectedVersion: mutated?.version, ...content })],
        publish('publishPlan'),
      ],
    );
    expect(kinds(byImport)).toEqual([
      'DepartmentPlan UPDATE STAFF>STAFF',
      'DepartmentPlan UPDATE STAFF>PUBLIC',
    ]);
    expect(byImport).toEqual(byMutation);
  });

  it('the status alone: one move, reported as the status column', async () => {
    const [imported, mutated] = await plansOf(2036, 2037);
    const before = await lastRecordId();
    const result = await importRow(tokens.planning, 'plans', {
      ...place('kyoiku', imported?.fiscalYear ?? 0),
      staffCount: 7,
      status: 'DRAFT',
    });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.row).toMatchObject({ outcome: 'updated', fields: ['status'] });
    const byImport = await recordsAfter(before);
    const beforeMutation = await lastRecordId();
    expect(
      (
        await mutate(tokens.planning, 'unpublishPlan', {
          id: mutated?.id,
          expectedVersion: mutated?.version,
        })
      ).code,
    ).toBeUndefined();
    expect(kinds(byImport)).toEqual(['DepartmentPlan UPDATE PUBLIC>STAFF']);
    expect(byImport).toEqual(await recordsAfter(beforeMutation));
  });

  it('reports the content and the status it changed, and names the status when the move is refused', async () => {
    const [, , draft] = await plansOf(2038, 2039, 2040);
    const applied = await importRow(tokens.planning, 'plans', {
      ...place('kyoiku', 2038),
      mission: '両方を変える',
      status: 'DRAFT',
    });
    expect(applied.row).toMatchObject({ outcome: 'updated', fields: ['mission', 'status'] });
    // The department's editor may edit its draft but not publish it: the refusal names status.
    const refused = await importRow(tokens.kyoikuEditor, 'plans', {
      ...place('kyoiku', draft?.fiscalYear ?? 0),
      mission: '編集はできる',
      status: 'PUBLISHED',
    });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('FORBIDDEN');
    expect(refused.row?.issues?.[0]).toMatchObject({ code: 'FORBIDDEN', field: 'status' });
  });
});
