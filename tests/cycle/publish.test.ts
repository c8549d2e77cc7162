// Decisions that carry into next year and the white paper (issue 18, items 3 and 5): a
// decision must agree with what follows when published (継続/拡充/縮小 need the same
// department's initiative of the next year, 廃止/完了 must have none); publishWhitePaper
// publishes the paper and all its evaluations in one step or nothing, naming each one that is
// not ready; the chain query follows an initiative from FY2012 (seed) into FY2013 (created
// here: scenario data, never in the seed), as far as the caller may see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CycleWorld,
  globalId,
  MITAKA,
  PUBLISH_EVALUATION,
  stages,
  startCycleWorld,
  UPDATE_EVALUATION,
} from './support.ts';

let world: CycleWorld;
let stage: ReturnType<typeof stages>;
/** 教育部's FY2013 initiatives, created by the test (draft plan, then published). */
let fy2013: string[] = [];
let plan2013Id = 0;
/** Another department's FY2013 initiative. */
let otherDepartment2013 = '';
/** 教育部's FY2014 initiative: a later year, but not the next one. */
let fy2014 = '';
beforeAll(async () => {
  world = await startCycleWorld();
  stage = stages(world);
  const plan = await world.make.plan(world.kyoikuId, {
    fiscalYear: 2013,
    status: 'DRAFT',
    initiatives: [{ text: '小・中一貫教育の継続' }, { text: '国体本大会の開催支援' }],
  });
  plan2013Id = plan.id;
  fy2013 = plan.initiatives.map((i) => globalId('Initiative', i.id));
  const other = await world.make.department(world.mitakaId);
  const otherPlan = await world.make.plan(other.id, {
    fiscalYear: 2013,
    initiatives: [{ text: '他部の事業' }],
  });
  otherDepartment2013 = globalId('Initiative', otherPlan.initiatives[0]?.id ?? 0);
  const plan2014 = await world.make.plan(world.kyoikuId, {
    fiscalYear: 2014,
    initiatives: [{ text: '二年後の事業' }],
  });
  fy2014 = globalId('Initiative', plan2014.initiatives[0]?.id ?? 0);
});
afterAll(() => world.close());

async function decide(
  evaluation: { id: string; version: number },
  decision: string | null,
  nextInitiative: string | null,
) {
  const body = await world.gql(
    UPDATE_EVALUATION,
    { input: { id: evaluation.id, expectedVersion: evaluation.version, decision, nextInitiative } },
    world.tokens.planning,
  );
  const result = body.data.updateEvaluation;
  expect(result.__typename).toBe('UpdateEvaluationSuccess');
  return result.evaluation as { id: string; version: number };
}

async function publish(evaluation: { id: string; version: number }) {
  const body = await world.gql(
    PUBLISH_EVALUATION,
    { input: { id: evaluation.id, expectedVersion: evaluation.version } },
    world.tokens.planning,
  );
  return body.data.publishEvaluation;
}

const CHAINS = `query ($year: Int!) {
  initiativeChains(municipality: "${MITAKA}", department: "kyoiku", fiscalYear: $year) {
    links { fiscalYear decision initiative { id text } } } }`;

describe('decisions on publish', () => {
  let evaluation = { id: '', version: 0 };

  it('a staged evaluation with a required stage open is EVALUATION_NOT_READY', async () => {
    const [initiative] = world.fy2012 as [string];
    const recorded = await stage.record(world.tokens.kyoikuEditor, initiative, 'SELF', null);
    const refused = await publish(recorded.evaluation);
    expect(refused.__typename).toBe('ValidationError');
    expect(refused.issues).toEqual([
      expect.objectContaining({ code: 'EVALUATION_NOT_READY', path: ['input', 'id'] }),
    ]);
    expect(refused.issues[0].message).toMatch(
      /自己評価 \(SELF\), 一次評価 \(FIRST\), 二次評価 \(SECOND\)/,
    );
    await stage.complete(world.tokens.kyoikuEditor, recorded.evaluation.id, 'SELF', 1);
    const rest = await stage.record(world.tokens.planning, initiative, 'FIRST', 2);
    const first = await stage.complete(world.tokens.planning, rest.evaluation.id, 'FIRST', 3);
    const second = await stage.record(world.tokens.planning, initiative, 'SECOND', 4);
    evaluation = (await stage.complete(world.tokens.planning, second.evaluation.id, 'SECOND', 5))
      .evaluation;
    expect(first.__typename).toBe('CompleteEvaluationStageSuccess');
  });

  it('継続 without a FY2013 initiative is refused with DECISION_INCONSISTENT, and nothing changes', async () => {
    evaluation = await decide(evaluation, 'CONTINUE', null);
    const before = await world.db.prisma.changeRecord.count();
    const refused = await publish(evaluation);
    expect(refused.__typename).toBe('ValidationError');
    expect(refused.issues).toEqual([
      expect.objectContaining({ code: 'DECISION_INCONSISTENT', path: ['input', 'id'] }),
    ]);
    expect(refused.issues[0].message).toMatch(
      /継続 \(CONTINUE\) needs the initiative of fiscal year 2013/,
    );
    expect(await world.db.prisma.changeRecord.count()).toBe(before);
  });

  /** Setting the next initiative: refused when it is set, not only at publication. */
  async function refusedNext(nextInitiative: string) {
    const body = await world.gql(
      UPDATE_EVALUATION,
      {
        input: {
          id: evaluation.id,
          expectedVersion: evaluation.version,
          decision: 'CONTINUE',
          nextInitiative,
        },
      },
      world.tokens.planning,
    );
    expect(body.data.updateEvaluation.__typename).toBe('ValidationError');
    return body.data.updateEvaluation.issues[0];
  }

  it("継続 carried by another department's FY2013 initiative is refused when it is set, naming the department", async () => {
    const issue = await refusedNext(otherDepartment2013);
    expect(issue).toMatchObject({ code: 'OTHER_DEPARTMENT', path: ['input', 'nextInitiative'] });
    expect(issue.message).toMatch(/same department's plan \(教育部\)/);
  });

  it("継続 carried by 教育部's FY2014 initiative is refused when it is set: the next year's, not any later one", async () => {
    const issue = await refusedNext(fy2014);
    expect(issue).toMatchObject({ code: 'NOT_NEXT_YEAR', path: ['input', 'nextInitiative'] });
    expect(issue.message).toMatch(/fiscal year 2013 .*not of 2014/);
  });

  it('廃止 and 完了 must not name a next initiative', async () => {
    for (const decision of ['ABOLISH', 'COMPLETE']) {
      evaluation = await decide(evaluation, decision, fy2013[0] as string);
      const refused = await publish(evaluation);
      expect(refused.issues?.[0]?.code).toBe('DECISION_INCONSISTENT');
      expect(refused.issues[0].message).toMatch(/must not name a next initiative/);
    }
  });

  it('継続 carried by 教育部 FY2013 publishes', async () => {
    evaluation = await decide(evaluation, 'CONTINUE', fy2013[0] as string);
    const published = await publish(evaluation);
    expect(published).toMatchObject({ __typename: 'PublishEvaluationSuccess' });
    expect(published.evaluation.status).toBe('PUBLISHED');
  });

  it('a staged result is changed through its stages, not updateEvaluation', async () => {
    const [, initiative] = world.fy2012 as [string, string];
    const done = await stage.throughSecond(initiative);
    const body = await world.gql(
      UPDATE_EVALUATION,
      { input: { id: done.id, expectedVersion: done.version, rating: 'ACHIEVED' } },
      world.tokens.planning,
    );
    expect(body.data.updateEvaluation.issues).toEqual([
      expect.objectContaining({ code: 'STAGED_RESULT', path: ['input', 'rating'] }),
    ]);
  });
});

describe('the chain through the years', () => {
  it('while FY2013 is a draft, the public sees FY2012 alone; staff see it carried on', async () => {
    const [first] = world.fy2012 as [string];
    const publicly = await world.gql(CHAINS, { year: 2012 });
    expect(publicly.errors).toBeUndefined();
    const chainOf = (body: any) =>
      body.data.initiativeChains.find((c: any) =>
        c.links.some((l: any) => l.initiative.id === first),
      );
    expect(chainOf(publicly).links).toEqual([
      {
        fiscalYear: 2012,
        decision: 'CONTINUE',
        initiative: expect.objectContaining({ id: first }),
      },
    ]);
    const staff = await world.gql(CHAINS, { year: 2012 }, world.tokens.kyoikuEditor);
    expect(chainOf(staff).links.map((l: any) => [l.fiscalYear, l.initiative.id])).toEqual([
      [2012, first],
      [2013, fy2013[0]],
    ]);
  });

  it('once FY2013 is published, everyone follows the initiative from FY2012 into FY2013 and back', async () => {
    await world.db.prisma.departmentPlan.update({
      where: { id: plan2013Id },
      data: { status: 'PUBLISHED' },
    });
    const [first] = world.fy2012 as [string];
    const from2013 = await world.gql(CHAINS, { year: 2013 });
    expect(from2013.data.initiativeChains[0].links).toEqual([
      expect.objectContaining({
        fiscalYear: 2012,
        decision: 'CONTINUE',
        initiative: expect.objectContaining({ id: first }),
      }),
      expect.objectContaining({
        fiscalYear: 2013,
        decision: null,
        initiative: { id: fy2013[0], text: '小・中一貫教育の継続' },
      }),
    ]);
    // The second FY2013 initiative carries nothing on: a chain of its own year only.
    expect(from2013.data.initiativeChains[1].links).toHaveLength(1);
    const both = await world.gql(
      `query ($id: ID!) { node(id: $id) { ... on Initiative {
        carriedInto { id carriedFrom { initiative { id } } } } } }`,
      { id: first },
    );
    expect(both.data.node.carriedInto).toEqual({
      id: fy2013[0],
      carriedFrom: [{ initiative: { id: first } }],
    });
  });
});

describe('publishWhitePaper', () => {
  const CREATE = `mutation ($input: CreateWhitePaperInput!) { createWhitePaper(input: $input) {
    __typename ... on CreateWhitePaperSuccess { whitePaper { id version } } } }`;
  const PUBLISH = `mutation ($input: PublishWhitePaperInput!) { publishWhitePaper(input: $input) {
    __typename ... on Error { message } ... on ValidationError { issues { path code message } }
    ... on PublishWhitePaperSuccess { whitePaper { id publishedAt version
      evaluations(first: 10) { totalCount edges { node { id status } } } } } } }`;
  let paper = { id: '', version: 0 };
  let ready = { id: '', version: 0 };
  let unfinished = { id: '', version: 0 };
  let inconsistent = { id: '', version: 0 };

  async function cite(evaluation: { id: string; version: number }) {
    const body = await world.gql(
      UPDATE_EVALUATION,
      { input: { id: evaluation.id, expectedVersion: evaluation.version, whitePaper: paper.id } },
      world.tokens.planning,
    );
    return body.data.updateEvaluation.evaluation as { id: string; version: number };
  }

  it('refuses, publishing nothing, and names each evaluation that is not ready', async () => {
    const created = await world.gql(
      CREATE,
      {
        input: {
          municipality: MITAKA,
          title: '自治体経営白書2013 (テスト)',
          publicationDate: '2013-07',
          reportsOnFiscalYear: 2012,
        },
      },
      world.tokens.planning,
    );
    paper = created.data.createWhitePaper.whitePaper;
    const [, second, third] = world.fy2012 as [string, string, string];
    // Ready: the second initiative went through 二次 (above), 完了 with no next initiative.
    const staged = await world.db.prisma.evaluation.findFirstOrThrow({
      where: { initiative: { id: Number(Buffer.from(second, 'base64').toString().split(':')[1]) } },
    });
    ready = await decide(
      { id: globalId('Evaluation', staged.id), version: staged.version },
      'COMPLETE',
      null,
    );
    ready = await cite(ready);
    // Not ready: the third initiative's 一次 is open.
    const self = await stage.record(world.tokens.kyoikuEditor, third, 'SELF', null);
    await stage.complete(world.tokens.kyoikuEditor, self.evaluation.id, 'SELF', 1);
    unfinished = (await stage.record(world.tokens.planning, third, 'FIRST', 2)).evaluation;
    unfinished = await cite(unfinished);
    // Not ready: another department's FY2012 initiative, recorded directly by planning as
    // 拡充 (EXPAND) with no next initiative.
    const department = await world.make.department(world.mitakaId);
    const plan = await world.make.plan(department.id, {
      fiscalYear: 2012,
      initiatives: [{ text: 'テスト用の事業' }],
    });
    const direct = await world.gql(
      `mutation ($input: RecordEvaluationInput!) { recordEvaluation(input: $input) {
        __typename ... on RecordEvaluationSuccess { evaluation { id version } } } }`,
      {
        input: {
          initiative: globalId('Initiative', plan.initiatives[0]?.id ?? 0),
          rating: 'ACHIEVED',
          summary: 'テスト用',
          decision: 'EXPAND',
          whitePaper: paper.id,
        },
      },
      world.tokens.planning,
    );
    inconsistent = direct.data.recordEvaluation.evaluation;

    const before = await world.db.prisma.changeRecord.count();
    const body = await world.gql(
      PUBLISH,
      { input: { id: paper.id, expectedVersion: paper.version } },
      world.tokens.planning,
    );
    const refused = body.data.publishWhitePaper;
    expect(refused.__typename).toBe('ValidationError');
    expect(refused.issues.map((i: any) => [i.path, i.code])).toEqual([
      [['input', 'evaluations', unfinished.id], 'EVALUATION_NOT_READY'],
      [['input', 'evaluations', inconsistent.id], 'DECISION_INCONSISTENT'],
    ]);
    expect(refused.issues[0].message).toMatch(
      /教育部 FY2012 「.+」: stages not completed: 一次評価 \(FIRST\), 二次評価 \(SECOND\)/,
    );
    // Nothing was published, nothing recorded.
    expect(await world.db.prisma.changeRecord.count()).toBe(before);
    const statuses = await world.db.prisma.evaluation.findMany({
      where: { whitePaperId: Number(Buffer.from(paper.id, 'base64').toString().split(':')[1]) },
      select: { status: true },
    });
    expect(statuses.map((e) => e.status)).toEqual(['DRAFT', 'DRAFT', 'DRAFT']);
    const publicly = await world.gql(
      `query ($id: ID!) { node(id: $id) { ... on WhitePaper { publishedAt evaluations { totalCount } } } }`,
      { id: paper.id },
    );
    expect(publicly.data.node).toEqual({ publishedAt: null, evaluations: { totalCount: 0 } });
  });

  it('refuses 拡充 without the initiative that carries it on', async () => {
    inconsistent = await decide(inconsistent, 'EXPAND', null);
    const body = await world.gql(
      PUBLISH,
      { input: { id: paper.id, expectedVersion: paper.version } },
      world.tokens.planning,
    );
    const refused = body.data.publishWhitePaper;
    expect(refused.issues.map((i: any) => [i.path, i.code])).toEqual([
      [['input', 'evaluations', unfinished.id], 'EVALUATION_NOT_READY'],
      [['input', 'evaluations', inconsistent.id], 'DECISION_INCONSISTENT'],
    ]);
    expect(refused.issues[1].message).toMatch(
      /拡充 \(EXPAND\) needs the initiative of fiscal year 2013/,
    );
  });

  it('once every evaluation is ready, publishes the paper and all of them in one step', async () => {
    const [, , third] = world.fy2012 as [string, string, string];
    let current = await stage.complete(
      world.tokens.planning,
      unfinished.id,
      'FIRST',
      unfinished.version,
    );
    current = await stage.record(
      world.tokens.planning,
      third,
      'SECOND',
      current.evaluation.version,
    );
    current = await stage.complete(
      world.tokens.planning,
      unfinished.id,
      'SECOND',
      current.evaluation.version,
    );
    await decide(current.evaluation, 'ABOLISH', null);
    await decide(inconsistent, null, null);
    const body = await world.gql(
      PUBLISH,
      { input: { id: paper.id, expectedVersion: paper.version } },
      world.tokens.planning,
    );
    const result = body.data.publishWhitePaper;
    expect(result.__typename).toBe('PublishWhitePaperSuccess');
    expect(result.whitePaper.publishedAt).toEqual(expect.any(String));
    const publicly = await world.gql(
      `query ($id: ID!) { node(id: $id) { ... on WhitePaper { publishedAt
        evaluations { totalCount edges { node { id status } } } } } }`,
      { id: paper.id },
    );
    expect(publicly.data.node.evaluations.totalCount).toBe(3);
    expect(new Set(publicly.data.node.evaluations.edges.map((e: any) => e.node.status))).toEqual(
      new Set(['PUBLISHED']),
    );
    const again = await world.gql(
      PUBLISH,
      { input: { id: paper.id, expectedVersion: paper.version + 1 } },
      world.tokens.planning,
    );
    expect(again.data.publishWhitePaper.issues?.[0]?.code).toBe('UNCHANGED');
  });

  it('an editor may not publish a white paper', async () => {
    const body = await world.gql(
      PUBLISH,
      { input: { id: paper.id, expectedVersion: paper.version + 1 } },
      world.tokens.kyoikuEditor,
    );
    expect(body.data.publishWhitePaper.__typename).toBe('ForbiddenError');
  });
});

describe('the stages a municipality configures', () => {
  const SET = `mutation ($input: SetEvaluationStagesInput!) { setEvaluationStages(input: $input) {
    __typename ... on Error { message } ... on ValidationError { issues { path code } }
    ... on SetEvaluationStagesSuccess { municipality { evaluationStages { kind position name role required } } } } }`;
  const stagesWith = (externalRequired: boolean) => [
    { kind: 'SELF', name: '自己評価', role: 'EDITOR', required: true },
    { kind: 'FIRST', name: '一次評価', role: 'PLANNING', required: true },
    { kind: 'SECOND', name: '二次評価', role: 'PLANNING', required: true },
    { kind: 'EXTERNAL', name: '外部評価', role: 'REVIEWER', required: externalRequired },
  ];

  it('only planning sets them; a required 外部評価 must be completed before publishing', async () => {
    const byEditor = await world.gql(
      SET,
      { input: { municipality: MITAKA, stages: stagesWith(true) } },
      world.tokens.kyoikuEditor,
    );
    expect(byEditor.data.setEvaluationStages.__typename).toBe('ForbiddenError');
    const set = await world.gql(
      SET,
      { input: { municipality: MITAKA, stages: stagesWith(true) } },
      world.tokens.planning,
    );
    const configured = set.data.setEvaluationStages.municipality.evaluationStages;
    expect(configured.at(-1)).toEqual({
      kind: 'EXTERNAL',
      position: 4,
      name: '外部評価',
      role: 'REVIEWER',
      required: true,
    });
    const department = await world.make.department(world.mitakaId);
    const plan = await world.make.plan(department.id, {
      fiscalYear: 2012,
      initiatives: [{ text: '外部評価の対象事業' }],
    });
    const initiative = globalId('Initiative', plan.initiatives[0]?.id ?? 0);
    // Planning acts for the department's 自己評価 (this test department has no editor token).
    let evaluation = (await stage.record(world.tokens.planning, initiative, 'SELF', null))
      .evaluation;
    for (const kind of ['SELF', 'FIRST', 'SECOND']) {
      if (kind !== 'SELF') {
        evaluation = (
          await stage.record(world.tokens.planning, initiative, kind, evaluation.version)
        ).evaluation;
      }
      evaluation = (
        await stage.complete(world.tokens.planning, evaluation.id, kind, evaluation.version)
      ).evaluation;
    }
    const refused = await publish(evaluation);
    expect(refused.issues).toEqual([expect.objectContaining({ code: 'EVALUATION_NOT_READY' })]);
    expect(refused.issues[0].message).toMatch(/外部評価 \(EXTERNAL\)/);
    evaluation = (
      await stage.record(world.tokens.reviewer, initiative, 'EXTERNAL', evaluation.version)
    ).evaluation;
    evaluation = (
      await stage.complete(world.tokens.reviewer, evaluation.id, 'EXTERNAL', evaluation.version)
    ).evaluation;
    expect((await publish(evaluation)).__typename).toBe('PublishEvaluationSuccess');
  });
});
