// Never an error after commit. Every mutation of the schema, run by every role that may run it,
// with its whole payload selected (built from the schema: every field of the success type, its
// relations and connections, to a bounded depth): when the write committed, the answer carries
// no error. A new mutation fails here until it has a scene below; a new payload field is
// selected without editing anything.
import { createApp } from '@hoshin/server/app';
import { checkDigit, createLogger, type PrismaClient, schema } from '@hoshin/server/testing';
import { getNamedType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLResponse } from '../support/api.ts';
import { createTestDatabase } from '../support/database.ts';
import { factories, tokenFor } from '../support/factories.ts';
import { selectionOf } from './support/payload-selection.ts';

type Role = 'anonymous' | 'editor' | 'planning' | 'admin' | 'globalAdmin' | 'reviewer';

/** The arguments of one run, and the editor's token where an editor is the caller. */
interface Arranged {
  input: Record<string, unknown>;
  editor?: string;
}

interface Case {
  /** The roles that may run it: each must be able to write in its scene. */
  roles: Role[];
  arrange(role: Role, world: World): Promise<Arranged>;
  /**
   * What changes when it commits, for writes that keep no change record (webhook endpoints
   * are configuration, not history); the newest change record's id by default.
   */
  state?: () => Promise<string>;
}

/** Relations below the payload's entity: plan -> department -> municipality -> ... */
const DEPTH = 4;
const FISCAL_YEAR = 2012;

const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');

let prisma: PrismaClient;
let close: () => Promise<void>;
let post: (
  query: string,
  variables: Record<string, unknown>,
  token: string | null,
) => Promise<GraphQLResponse>;
let make: ReturnType<typeof factories>;
let globalAdmin: string;

/** A city of its own for each run (a whole payload of a busy city would be huge), with its staff. */
interface World {
  city: { id: number; code: string };
  tokens: Record<Exclude<Role, 'anonymous' | 'editor'>, string>;
}

/** A national code nobody else uses (Tokyo's prefix, a valid check digit). */
function cityCode() {
  const firstFive = `13${String(next()).padStart(3, '0')}`;
  return `${firstFive}${checkDigit(firstFive)}`;
}

async function world(): Promise<World> {
  const city = await make.municipality({ code: cityCode(), name: '試験市' });
  const staffToken = (name: string, role: 'PLANNING' | 'ADMIN' | 'REVIEWER') =>
    tokenFor(prisma, { name, role, municipality: city.code });
  return {
    city,
    tokens: {
      planning: await staffToken('企画経営課', 'PLANNING'),
      admin: await staffToken('市 admin', 'ADMIN'),
      reviewer: await staffToken('外部評価委員会', 'REVIEWER'),
      globalAdmin,
    },
  };
}

beforeAll(async () => {
  const db = await createTestDatabase();
  // Whole payloads are large documents: the limits of this server let them through.
  const app = await createApp({
    db,
    log: createLogger(process.env.PAYLOADS_LOG ?? 'silent'),
    rateLimits: { feedbackPer10Minutes: 1000 },
    config: {
      // Endpoints here are public addresses nobody listens for: deliver nothing.
      webhooks: { deliver: false },
      security: {
        maxDepth: 40,
        maxTokens: 100_000,
        maxCharacters: 500_000,
        maxBodyBytes: 1024 * 1024,
        maxCost: 100_000_000,
        rateLimitPerAddress: 100_000,
        rateLimitPerToken: 100_000,
      },
    },
  });
  const base = await app.listen(0, '127.0.0.1');
  close = async () => {
    await app.close(1000);
    await db.close();
  };
  prisma = db.prisma;
  make = factories(prisma);
  post = async (query, variables, token) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...(await response.json()) };
  };
  globalAdmin = await tokenFor(prisma, { name: 'global admin', role: 'ADMIN' });
});
afterAll(() => close());

type StageKind = 'SELF' | 'FIRST' | 'SECOND' | 'EXTERNAL';
type StageState = 'OPEN' | 'COMPLETED';

/**
 * A department of its own with its editor's token, and a plan of two initiatives: the first
 * with a target, its actual and (when asked) an evaluation with stages; feedback on the plan.
 */
async function place(
  w: World,
  options: {
    status?: 'DRAFT' | 'PUBLISHED';
    fiscalYear?: number;
    evaluation?: {
      status?: 'DRAFT' | 'PUBLISHED';
      stages?: [StageKind, StageState][];
      whitePaperId?: number;
    };
  } = {},
) {
  const department = await make.department(w.city.id);
  const editor = await tokenFor(prisma, {
    name: `${department.name} editor`,
    role: 'EDITOR',
    municipality: w.city.code,
    department: department.code,
  });
  const plan = await make.plan(department.id, {
    fiscalYear: options.fiscalYear ?? FISCAL_YEAR,
    status: options.status ?? 'DRAFT',
    staffCount: 42,
    budgetYen: 1_234_000n,
    initiatives: [{ text: '図書館の開館時間を延ばす' }, { text: '学校施設の改修' }],
  });
  const [first, second] = plan.initiatives;
  if (!first || !second) throw new Error('the plan has two initiatives');
  const target = await prisma.target.create({
    data: {
      initiativeId: first.id,
      indicator: '来館者数',
      unit: '人',
      direction: 'AT_LEAST',
      baseline: 100,
      targetValue: 200,
    },
  });
  const actual = await prisma.targetActual.create({
    data: { targetId: target.id, period: '2012年度', measuredOn: '2013-03-31', value: 150 },
  });
  const feedback = await prisma.feedback.create({
    data: { planId: plan.id, body: '開館時間の延長に賛成です。', contactEmail: 'a@example.jp' },
  });
  let evaluation: { id: number; version: number } | undefined;
  if (options.evaluation) {
    evaluation = await prisma.evaluation.create({
      data: {
        initiativeId: first.id,
        rating: 'MOSTLY_ACHIEVED',
        summary: '概ね達成',
        status: options.evaluation.status ?? 'DRAFT',
        whitePaperId: options.evaluation.whitePaperId ?? null,
      },
    });
    for (const [kind, state] of options.evaluation.stages ?? []) {
      await prisma.evaluationStage.create({
        data: {
          evaluationId: evaluation.id,
          kind,
          state,
          rating: 'ACHIEVED',
          summary: `${kind} の評価`,
          completedAt: state === 'COMPLETED' ? new Date() : null,
          reviewer: state === 'COMPLETED' ? '企画経営課' : null,
        },
      });
    }
  }
  return { department, editor, plan, first, second, target, actual, feedback, evaluation };
}

type Place = Awaited<ReturnType<typeof place>>;

const planVersion = (p: Place) => ({ id: gid('DepartmentPlan', p.plan.id), expectedVersion: 1 });
const staff: Role[] = ['editor', 'planning', 'admin', 'globalAdmin'];
const planners: Role[] = ['planning', 'admin', 'globalAdmin'];
const admins: Role[] = ['admin', 'globalAdmin'];
const withEditor = (p: Place, input: Record<string, unknown>): Arranged => ({
  input,
  editor: p.editor,
});

/** The stage each role works on, and the stages completed before it. */
const stageOf = (role: Role): { kind: StageKind; before: StageKind[] } =>
  role === 'editor'
    ? { kind: 'SELF', before: [] }
    : role === 'reviewer'
      ? { kind: 'EXTERNAL', before: ['SELF', 'FIRST', 'SECOND'] }
      : { kind: 'FIRST', before: ['SELF'] };
/** The external committee works on evaluations of published plans only. */
const planStatusFor = (role: Role) => (role === 'reviewer' ? 'PUBLISHED' : 'DRAFT');

let counter = 0;
const next = () => {
  counter += 1;
  return counter;
};

const cases: Record<string, Case> = {
  createPlan: {
    roles: staff,
    arrange: async (_role, w) => {
      const p = await place(w);
      return withEditor(p, {
        municipality: w.city.code,
        department: p.department.code,
        fiscalYear: FISCAL_YEAR + 1,
      });
    },
  },
  updatePlan: {
    roles: staff,
    arrange: async (_role, w) => {
      const p = await place(w);
      return withEditor(p, { ...planVersion(p), mission: '市民の学びを支える', budgetYen: 2000 });
    },
  },
  publishPlan: {
    roles: planners,
    arrange: async (_role, w) => {
      const p = await place(w);
      return withEditor(p, planVersion(p));
    },
  },
  unpublishPlan: {
    roles: planners,
    arrange: async (_role, w) => {
      const p = await place(w, { status: 'PUBLISHED' });
      return withEditor(p, planVersion(p));
    },
  },
  deletePlan: {
    roles: staff,
    arrange: async (_role, w) => {
      const p = await place(w, { evaluation: { stages: [['SELF', 'OPEN']] } });
      return withEditor(p, planVersion(p));
    },
  },
  addInitiative: {
    roles: staff,
    arrange: async (_role, w) => {
      const p = await place(w);
      return withEditor(p, {
        plan: gid('DepartmentPlan', p.plan.id),
        text: '読書週間',
        position: 1,
      });
    },
  },
  updateInitiative: {
    roles: staff,
    arrange: async (_role, w) => {
      const p = await place(w, { evaluation: {} });
      return withEditor(p, { id: gid('Initiative', p.first.id), expectedVersion: 1, text: '改' });
    },
  },
  reorderInitiatives: {
    roles: staff,
    arrange: async (_role, w) => {
      const p = await place(w);
      return withEditor(p, {
        plan: gid('DepartmentPlan', p.plan.id),
        expectedVersion: 1,
        initiatives: [gid('Initiative', p.second.id), gid('Initiative', p.first.id)],
      });
    },
  },
  removeInitiative: {
    roles: staff,
    arrange: async (_role, w) => {
      const p = await place(w, { evaluation: {} });
      return withEditor(p, { id: gid('Initiative', p.first.id), expectedVersion: 1 });
    },
  },
  addTarget: {
    roles: staff,
    arrange: async (_role, w) => {
      const p = await place(w);
      return withEditor(p, {
        initiative: gid('Initiative', p.first.id),
        indicator: '貸出冊数',
        direction: 'AT_LEAST',
        baseline: 10,
        targetValue: 20,
      });
    },
  },
  updateTarget: {
    roles: staff,
    arrange: async (_role, w) => {
      const p = await place(w);
      return withEditor(p, { id: gid('Target', p.target.id), expectedVersion: 1, unit: '人/日' });
    },
  },
  removeTarget: {
    roles: staff,
    arrange: async (_role, w) => {
      const p = await place(w, { evaluation: {} });
      return withEditor(p, { id: gid('Target', p.target.id), expectedVersion: 1 });
    },
  },
  recordTargetActual: {
    roles: staff,
    arrange: async (_role, w) => {
      const p = await place(w);
      return withEditor(p, {
        target: gid('Target', p.target.id),
        period: '2013年度上期',
        measuredOn: '2013-09-30',
        value: 170,
      });
    },
  },
  removeTargetActual: {
    roles: staff,
    arrange: async (_role, w) => {
      const p = await place(w);
      return withEditor(p, { id: gid('TargetActual', p.actual.id) });
    },
  },
  setReportingCalendar: {
    roles: planners,
    arrange: async (_role, w) => ({
      input: {
        municipality: w.city.code,
        fiscalYear: 2013,
        deadlines: [
          { kind: 'SELF', dueOn: '2014-05-31' },
          { kind: 'ACTUALS', dueOn: '2014-04-30', remindDaysBefore: 3 },
        ],
      },
    }),
  },
  setStatusRules: {
    roles: planners,
    arrange: async (_role, w) => {
      // A set of the city's own from 2013, replaced by the default rules (rules: null
      // removes it): a write with a change record whatever the role.
      const set = await prisma.statusRuleSet.create({
        data: { municipalityId: w.city.id, fromFiscalYear: 2013, rules: [] },
      });
      return {
        input: {
          municipality: w.city.code,
          fromFiscalYear: 2013,
          expectedVersion: set.version,
          rules: null,
        },
      };
    },
  },
  deleteEvaluation: {
    roles: planners,
    arrange: async (_role, w) => {
      const p = await place(w, { evaluation: {} });
      return { input: { id: gid('Evaluation', p.evaluation?.id ?? 0), expectedVersion: 1 } };
    },
  },
  recordEvaluation: {
    roles: planners,
    arrange: async (_role, w) => {
      const p = await place(w);
      return {
        input: { initiative: gid('Initiative', p.first.id), rating: 'ACHIEVED', summary: '達成' },
      };
    },
  },
  updateEvaluation: {
    roles: planners,
    arrange: async (_role, w) => {
      const p = await place(w, { evaluation: {} });
      const id = gid('Evaluation', p.evaluation?.id ?? 0);
      return { input: { id, expectedVersion: 1, decision: 'COMPLETE' } };
    },
  },
  publishEvaluation: {
    roles: planners,
    arrange: async (_role, w) => {
      const p = await place(w, { status: 'PUBLISHED', evaluation: {} });
      return { input: { id: gid('Evaluation', p.evaluation?.id ?? 0), expectedVersion: 1 } };
    },
  },
  unpublishEvaluation: {
    roles: planners,
    arrange: async (_role, w) => {
      const p = await place(w, { status: 'PUBLISHED', evaluation: { status: 'PUBLISHED' } });
      return { input: { id: gid('Evaluation', p.evaluation?.id ?? 0), expectedVersion: 1 } };
    },
  },
  recordEvaluationStage: {
    roles: [...staff, 'reviewer'],
    arrange: async (role, w) => {
      const { kind, before } = stageOf(role);
      const p = await place(w, {
        status: planStatusFor(role),
        // The department's own first stage creates the evaluation.
        ...(kind === 'SELF'
          ? {}
          : {
              evaluation: { stages: before.map((k): [StageKind, StageState] => [k, 'COMPLETED']) },
            }),
      });
      return withEditor(p, {
        initiative: gid('Initiative', p.first.id),
        stage: kind,
        rating: 'PARTIALLY_ACHIEVED',
        summary: `${kind} の所見`,
        ...(p.evaluation ? { expectedVersion: 1 } : {}),
      });
    },
  },
  completeEvaluationStage: {
    roles: [...staff, 'reviewer'],
    arrange: async (role, w) => {
      const { kind, before } = stageOf(role);
      const stages = [...before.map((k): [StageKind, StageState] => [k, 'COMPLETED'])];
      stages.push([kind, 'OPEN']);
      const p = await place(w, { status: planStatusFor(role), evaluation: { stages } });
      return withEditor(p, {
        evaluation: gid('Evaluation', p.evaluation?.id ?? 0),
        stage: kind,
        expectedVersion: 1,
      });
    },
  },
  returnEvaluationStage: {
    roles: [...staff, 'reviewer'],
    arrange: async (role, w) => {
      const { kind, before } = stageOf(role);
      const stages = [...before, kind].map((k): [StageKind, StageState] => [k, 'COMPLETED']);
      const p = await place(w, { status: planStatusFor(role), evaluation: { stages } });
      return withEditor(p, {
        evaluation: gid('Evaluation', p.evaluation?.id ?? 0),
        stage: kind,
        expectedVersion: 1,
        reason: '根拠の記載が不足しています',
      });
    },
  },
  setEvaluationStages: {
    roles: planners,
    // The usual stages, so the other scenes keep theirs.
    arrange: async (_role, w) => ({
      input: {
        municipality: w.city.code,
        stages: [
          { kind: 'SELF', name: '自己評価', role: 'EDITOR', required: true },
          { kind: 'FIRST', name: '一次評価', role: 'PLANNING', required: true },
          { kind: 'SECOND', name: '二次評価', role: 'PLANNING', required: true },
          { kind: 'EXTERNAL', name: '外部評価', role: 'REVIEWER', required: false },
        ],
      },
    }),
  },
  createMunicipality: {
    roles: ['globalAdmin'],
    arrange: async () => ({ input: { code: cityCode(), name: '新市', prefecture: '東京都' } }),
  },
  updateMunicipality: {
    roles: admins,
    arrange: async (_role, w) => {
      const { version } = await prisma.municipality.findUniqueOrThrow({ where: { id: w.city.id } });
      return {
        input: {
          id: gid('Municipality', w.city.id),
          expectedVersion: version,
          contactSection: `企画経営課${next()}`,
        },
      };
    },
  },
  createDepartment: {
    roles: admins,
    arrange: async (_role, w) => ({
      input: { municipality: w.city.code, code: `new-${next()}`, name: '新設部', displayOrder: 99 },
    }),
  },
  updateDepartment: {
    roles: admins,
    arrange: async (_role, w) => {
      const p = await place(w);
      return {
        input: { id: gid('Department', p.department.id), expectedVersion: 1, name: '改称部' },
      };
    },
  },
  deleteMunicipality: {
    roles: ['globalAdmin'],
    arrange: async () => {
      const city = await make.municipality({ code: cityCode(), name: '誤登録市' });
      return { input: { id: gid('Municipality', city.id), expectedVersion: 1 } };
    },
  },
  deleteDepartment: {
    roles: admins,
    arrange: async (_role, w) => {
      const department = await make.department(w.city.id);
      return { input: { id: gid('Department', department.id), expectedVersion: 1 } };
    },
  },
  recordReorganisation: {
    roles: admins,
    arrange: async (_role, w) => {
      const [from, to] = [await place(w), await place(w)];
      return {
        input: {
          kind: 'TRANSFER',
          fiscalYear: FISCAL_YEAR + 1,
          predecessors: [gid('Department', from.department.id)],
          successors: [gid('Department', to.department.id)],
        },
      };
    },
  },
  createWhitePaper: {
    roles: planners,
    arrange: async (_role, w) => ({
      input: { municipality: w.city.code, title: '自治体経営白書', ...reportingYear() },
    }),
  },
  updateWhitePaper: {
    roles: planners,
    arrange: async (_role, w) => {
      const paper = await whitePaper(w);
      return { input: { id: gid('WhitePaper', paper.id), expectedVersion: 1, title: '改題' } };
    },
  },
  publishWhitePaper: {
    roles: planners,
    arrange: async (_role, w) => {
      const paper = await whitePaper(w);
      await place(w, {
        status: 'PUBLISHED',
        fiscalYear: paper.reportsOnFiscalYear,
        evaluation: { whitePaperId: paper.id },
      });
      return { input: { id: gid('WhitePaper', paper.id), expectedVersion: 1 } };
    },
  },
  unpublishWhitePaper: {
    roles: planners,
    arrange: async (_role, w) => {
      const paper = await prisma.whitePaper.create({
        data: {
          municipalityId: w.city.id,
          title: '自治体経営白書',
          ...reportingYear(),
          publishedAt: new Date(),
        },
      });
      await place(w, {
        status: 'PUBLISHED',
        fiscalYear: paper.reportsOnFiscalYear,
        evaluation: { status: 'PUBLISHED', whitePaperId: paper.id },
      });
      return { input: { id: gid('WhitePaper', paper.id), expectedVersion: 1 } };
    },
  },
  deleteWhitePaper: {
    roles: planners,
    arrange: async (_role, w) => {
      const paper = await whitePaper(w);
      return { input: { id: gid('WhitePaper', paper.id), expectedVersion: 1 } };
    },
  },
  submitFeedback: {
    roles: ['anonymous', ...staff, 'reviewer'],
    arrange: async (_role, w) => {
      const p = await place(w, { status: 'PUBLISHED' });
      return withEditor(p, { plan: gid('DepartmentPlan', p.plan.id), body: '意見です。' });
    },
  },
  approveFeedback: {
    roles: planners,
    arrange: async (_role, w) => {
      const p = await place(w, { status: 'PUBLISHED' });
      return { input: { id: gid('Feedback', p.feedback.id) } };
    },
  },
  rejectFeedback: {
    roles: planners,
    arrange: async (_role, w) => {
      const p = await place(w, { status: 'PUBLISHED' });
      return { input: { id: gid('Feedback', p.feedback.id) } };
    },
  },
  deleteFeedback: {
    roles: planners,
    arrange: async (_role, w) => {
      const p = await place(w, { status: 'PUBLISHED' });
      // An answered opinion withdrawn (rejected): deleted with its answer.
      await answered(p, 'DRAFT');
      await prisma.feedback.update({ where: { id: p.feedback.id }, data: { status: 'REJECTED' } });
      return { input: { id: gid('Feedback', p.feedback.id) } };
    },
  },
  answerFeedback: {
    roles: planners,
    arrange: async (_role, w) => {
      const p = await place(w, { status: 'PUBLISHED' });
      await prisma.feedback.update({ where: { id: p.feedback.id }, data: { status: 'APPROVED' } });
      return { input: { feedback: gid('Feedback', p.feedback.id), body: '市の考え方です。' } };
    },
  },
  publishFeedbackAnswer: {
    roles: planners,
    arrange: async (_role, w) => ({
      input: await answered(await place(w, { status: 'PUBLISHED' }), 'DRAFT'),
    }),
  },
  unpublishFeedbackAnswer: {
    roles: planners,
    arrange: async (_role, w) => ({
      input: await answered(await place(w, { status: 'PUBLISHED' }), 'PUBLISHED'),
    }),
  },
  deleteFeedbackAnswer: {
    roles: planners,
    arrange: async (_role, w) => ({
      input: await answered(await place(w, { status: 'PUBLISHED' }), 'DRAFT'),
    }),
  },
  // Webhook endpoints (configuration: no change records; their rows tell that they committed).
  createWebhookEndpoint: {
    roles: planners,
    arrange: async () => ({ input: { url: PUBLIC_RECEIVER, events: ['PLAN'] } }),
    state: webhookState,
  },
  updateWebhookEndpoint: {
    roles: planners,
    arrange: async (role, w) => ({
      input: { id: await webhookOf(role, w), url: `${PUBLIC_RECEIVER}/moved` },
    }),
    state: webhookState,
  },
  rotateWebhookSecret: {
    roles: planners,
    arrange: async (role, w) => ({ input: { id: await webhookOf(role, w) } }),
    state: webhookState,
  },
  deleteWebhookEndpoint: {
    roles: planners,
    arrange: async (role, w) => ({ input: { id: await webhookOf(role, w) } }),
    state: webhookState,
  },
  redeliverWebhook: {
    roles: planners,
    arrange: async (role, w) => {
      const endpointId = Number(
        Buffer.from(await webhookOf(role, w), 'base64')
          .toString()
          .split(':')[1],
      );
      const delivery = await prisma.webhookDelivery.create({
        data: { endpointId, changeId: await lastChangeId(), kind: 'ENTERED', body: '{}' },
      });
      return { input: { delivery: gid('WebhookDelivery', Number(delivery.id)) } };
    },
    state: webhookState,
  },
};

/** The place's opinion approved and answered; the answer's version input. */
async function answered(p: Place, status: 'DRAFT' | 'PUBLISHED') {
  await prisma.feedback.update({ where: { id: p.feedback.id }, data: { status: 'APPROVED' } });
  const answer = await prisma.feedbackAnswer.create({
    data: {
      feedbackId: p.feedback.id,
      body: '市の考え方です。',
      status,
      publishedAt: status === 'PUBLISHED' ? new Date() : null,
    },
  });
  return { id: gid('FeedbackAnswer', answer.id), expectedVersion: 1 };
}

/** A year no other white paper of the test reports on, and a publication date after it. */
function reportingYear() {
  const year = 1900 + next();
  return { reportsOnFiscalYear: year, publicationDate: `${year + 1}-07` };
}

function whitePaper(w: World) {
  return prisma.whitePaper.create({
    data: { municipalityId: w.city.id, title: '自治体経営白書', ...reportingYear() },
  });
}

/**
 * Mutations whose arguments this test cannot send as JSON, with the test that selects their
 * whole payload instead.
 */
const COVERED_ELSEWHERE: Record<string, string> = {
  importFile: 'a multipart file upload: tests/open-data/cycle-io.test.ts reads its ImportReport',
};
const mutations = Object.values(schema.getMutationType()?.getFields() ?? {}).filter(
  (field) => !(field.name in COVERED_ELSEWHERE),
);

/** The operation: the result's typename, any typed error's message, the whole success payload. */
function documentOf(field: (typeof mutations)[number], skipped: string[]) {
  const input = field.args.find((arg) => arg.name === 'input');
  const payload = selectionOf(schema, getNamedType(field.type), {
    depth: DEPTH + 1,
    argumentValues: { fiscalYear: String(FISCAL_YEAR) },
    pageSize: 3,
    skipped,
  });
  return `mutation Run($input: ${input?.type}) {
    ${field.name}(input: $input) { ... on Error { message } ${payload} }
  }`;
}

/** A public address (example.com's), given as a literal: no DNS lookup in the test. */
const PUBLIC_RECEIVER = 'https://93.184.215.14/hooks/hoshin';

/** Every endpoint and how many deliveries there are: any webhook write changes it. */
async function webhookState(): Promise<string> {
  const endpoints = await prisma.webhookEndpoint.findMany({ orderBy: { id: 'asc' } });
  return JSON.stringify({ endpoints, deliveries: await prisma.webhookDelivery.count() });
}

/** An endpoint registered by the role's token in its world; its global ID. */
async function webhookOf(role: Role, w: World): Promise<string> {
  const token = role === 'anonymous' || role === 'editor' ? null : w.tokens[role];
  const response = await post(
    `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { ... on CreateWebhookEndpointSuccess { webhook { endpoint { id } } } } }`,
    { input: { url: PUBLIC_RECEIVER, events: ['PLAN'] } },
    token,
  );
  const id = (response.data as any)?.createWebhookEndpoint?.webhook?.endpoint?.id;
  if (typeof id !== 'string') throw new Error(`no endpoint: ${JSON.stringify(response)}`);
  return id;
}

async function lastChangeId(): Promise<bigint> {
  const last = await prisma.changeRecord.findFirst({
    orderBy: { id: 'desc' },
    select: { id: true },
  });
  return last?.id ?? 0n;
}

describe('a committed write answers without an error, whatever its payload selects', () => {
  it('every mutation of the schema has a scene, and every payload field can be selected', () => {
    expect(mutations.map((m) => m.name).sort()).toEqual(Object.keys(cases).sort());
    const skipped: string[] = [];
    for (const field of mutations) documentOf(field, skipped);
    // A field needing an argument this test cannot give would go unchecked: give it one.
    expect([...new Set(skipped)]).toEqual([]);
  });

  const runs = mutations.flatMap((field) =>
    (cases[field.name]?.roles ?? []).map((role) => ({ field, role })),
  );
  it.each(runs.map((run) => [run.field.name, run.role, run] as const))(
    '%s by %s',
    async (name, role, { field }) => {
      const scene = cases[name] as Case;
      const w = await world();
      const { input, editor } = await scene.arrange(role, w);
      const token =
        role === 'anonymous' ? null : role === 'editor' ? (editor ?? null) : w.tokens[role];
      const state = scene.state ?? (async () => String(await lastChangeId()));
      const before = await state();
      const response = await post(documentOf(field, []), { input }, token);
      const committed = (await state()) !== before;
      const result = response.data?.[name] as { __typename?: string; message?: string } | null;
      expect({
        committed,
        result: result?.message ? `${result.__typename}: ${result.message}` : result?.__typename,
        errors: (response.errors ?? []).map(
          (error) => `${error.extensions?.code}: ${error.message} at ${error.path?.join('.')}`,
        ),
      }).toEqual({
        committed: true,
        result: `${name.charAt(0).toUpperCase()}${name.slice(1)}Success`,
        errors: [],
      });
    },
    60_000,
  );
});
