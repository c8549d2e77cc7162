// The evaluation cycle's tests share: the seeded Mitaka data (教育部's FY2012 initiatives, as
// published), a FY2013 plan for 教育部 that the test creates (scenario data: never in the seed),
// a token for each kind of caller, and the stage mutations as small functions.
import { createHoshinYoga, LiveUpdates } from '@hoshin/server/testing';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { factories, tokenFor } from '../support/factories.ts';

export const MITAKA = '132047';
export const URL = 'http://hoshin.test/graphql';

export const globalId = (typename: string, id: number) =>
  Buffer.from(`${typename}:${id}`).toString('base64');

export interface CycleWorld {
  db: TestDatabase;
  live: LiveUpdates;
  yoga: ReturnType<typeof createHoshinYoga>;
  fetchYoga: (url: string, init: RequestInit) => Promise<Response>;
  make: ReturnType<typeof factories>;
  mitakaId: number;
  kyoikuId: number;
  tokens: {
    /** EDITOR of 教育部. */
    kyoikuEditor: string;
    /** EDITOR of 企画部: another department. */
    kikakuEditor: string;
    planning: string;
    /** The external evaluation committee. */
    reviewer: string;
  };
  /** 教育部's FY2012 initiatives from the seed (global ids, in order). */
  fy2012: string[];
  /** POSTs a document; returns the body (data and errors). */
  gql(query: string, variables?: Record<string, unknown>, token?: string): Promise<any>;
  close(): Promise<void>;
}

export async function startCycleWorld(): Promise<CycleWorld> {
  const db = await createTestDatabase({ seed: true });
  const live = new LiveUpdates(db.prisma, { pollMs: 60_000 });
  const yoga = createHoshinYoga({ db, live });
  const make = factories(db.prisma);
  const mitaka = await db.prisma.municipality.findUniqueOrThrow({ where: { code: MITAKA } });
  const kyoiku = await db.prisma.department.findUniqueOrThrow({
    where: { municipalityId_code: { municipalityId: mitaka.id, code: 'kyoiku' } },
  });
  const initiatives = await db.prisma.initiative.findMany({
    where: { plan: { departmentId: kyoiku.id, fiscalYear: 2012 } },
    orderBy: { position: 'asc' },
  });
  const tokens = {
    kyoikuEditor: await tokenFor(db.prisma, {
      name: '教育部 editor',
      role: 'EDITOR',
      municipality: MITAKA,
      department: 'kyoiku',
    }),
    kikakuEditor: await tokenFor(db.prisma, {
      name: '企画部 editor',
      role: 'EDITOR',
      municipality: MITAKA,
      department: 'kikaku',
    }),
    planning: await tokenFor(db.prisma, { name: '担当者', role: 'PLANNING', municipality: MITAKA }),
    reviewer: await tokenFor(db.prisma, {
      name: '委員 個人名',
      role: 'REVIEWER',
      municipality: MITAKA,
    }),
  };
  async function gql(query: string, variables: Record<string, unknown> = {}, token?: string) {
    const response = await yoga.fetch(URL, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return response.json();
  }
  return {
    db,
    live,
    yoga,
    fetchYoga: (url, init) => Promise.resolve(yoga.fetch(url, init)),
    make,
    mitakaId: mitaka.id,
    kyoikuId: kyoiku.id,
    tokens,
    fy2012: initiatives.map((i) => globalId('Initiative', i.id)),
    gql,
    async close() {
      await live.close();
      await db.close();
    },
  };
}

const RESULT = `
  __typename
  ... on Error { message }
  ... on ValidationError { issues { path code message } }
  ... on VersionConflictError { currentVersion }`;

const EVALUATION = 'id version status rating progressPercent summary decision';

export const RECORD_STAGE = `mutation ($input: RecordEvaluationStageInput!) {
  recordEvaluationStage(input: $input) { ${RESULT}
    ... on RecordEvaluationStageSuccess { evaluation { ${EVALUATION} } } } }`;
export const COMPLETE_STAGE = `mutation ($input: EvaluationStageInput!) {
  completeEvaluationStage(input: $input) { ${RESULT}
    ... on CompleteEvaluationStageSuccess { evaluation { ${EVALUATION} } } } }`;
export const RETURN_STAGE = `mutation ($input: ReturnEvaluationStageInput!) {
  returnEvaluationStage(input: $input) { ${RESULT}
    ... on ReturnEvaluationStageSuccess { evaluation { ${EVALUATION} } } } }`;
export const UPDATE_EVALUATION = `mutation ($input: UpdateEvaluationInput!) {
  updateEvaluation(input: $input) { ${RESULT}
    ... on UpdateEvaluationSuccess { evaluation { ${EVALUATION} } } } }`;
export const PUBLISH_EVALUATION = `mutation ($input: EvaluationVersionInput!) {
  publishEvaluation(input: $input) { ${RESULT}
    ... on PublishEvaluationSuccess { evaluation { ${EVALUATION} } } } }`;

export interface Stage {
  rating?: string;
  progressPercent?: number;
  summary?: string;
}

/** The stage operations, each returning the mutation's result object. */
export function stages(world: CycleWorld) {
  return {
    async record(
      token: string,
      initiative: string,
      stage: string,
      expectedVersion: number | null,
      values: Stage = {},
    ) {
      const body = await world.gql(
        RECORD_STAGE,
        {
          input: {
            initiative,
            stage,
            rating: values.rating ?? 'MOSTLY_ACHIEVED',
            progressPercent: values.progressPercent ?? null,
            summary: values.summary ?? `${stage} の評価`,
            expectedVersion,
          },
        },
        token,
      );
      return body.data?.recordEvaluationStage ?? body;
    },
    async complete(token: string, evaluation: string, stage: string, expectedVersion: number) {
      const body = await world.gql(
        COMPLETE_STAGE,
        { input: { evaluation, stage, expectedVersion } },
        token,
      );
      return body.data?.completeEvaluationStage ?? body;
    },
    async sendBack(
      token: string,
      evaluation: string,
      stage: string,
      expectedVersion: number,
      reason: string,
    ) {
      const body = await world.gql(
        RETURN_STAGE,
        { input: { evaluation, stage, expectedVersion, reason } },
        token,
      );
      return body.data?.returnEvaluationStage ?? body;
    },
    /**
     * 自己評価 by the department's editor, 一次 and 二次 by planning, each completed: returns
     * the evaluation as it stands after.
     */
    async throughSecond(initiative: string, values: Record<string, Stage> = {}) {
      const { kyoikuEditor, planning } = world.tokens;
      let evaluation = (await this.record(kyoikuEditor, initiative, 'SELF', null, values.SELF))
        .evaluation;
      evaluation = (await this.complete(kyoikuEditor, evaluation.id, 'SELF', evaluation.version))
        .evaluation;
      for (const stage of ['FIRST', 'SECOND']) {
        evaluation = (
          await this.record(planning, initiative, stage, evaluation.version, values[stage])
        ).evaluation;
        evaluation = (await this.complete(planning, evaluation.id, stage, evaluation.version))
          .evaluation;
      }
      return evaluation as { id: string; version: number; rating: string; summary: string };
    },
  };
}
