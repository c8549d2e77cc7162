// Staged evaluation (issue 18, item 1): 教育部's FY2012 initiatives (from the seed) go through
// 自己評価 by the department's editor, 一次 and 二次 by planning and 外部 by the external
// committee, under role rules the server enforces; going back needs a reason; the public sees
// only the published result, never an unfinished stage: not in queries, not in the history,
// not live, not in a replay from a cursor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventStream, subscribeSse } from '../support/sse.ts';
import {
  type CycleWorld,
  globalId,
  MITAKA,
  PUBLISH_EVALUATION,
  stages,
  startCycleWorld,
  URL,
} from './support.ts';

let world: CycleWorld;
let stage: ReturnType<typeof stages>;
beforeAll(async () => {
  world = await startCycleWorld();
  stage = stages(world);
});
afterAll(() => world.close());

const STAGES_OF = `query ($id: ID!) { node(id: $id) { ... on Initiative {
  evaluation { id status rating summary stages { kind state rating summary reviewer returnReason } } } } }`;

describe('role rules', () => {
  it("an editor of another department may not record 教育部's 自己評価, and nothing is written", async () => {
    const [initiative] = world.fy2012 as [string];
    const before = await world.db.prisma.changeRecord.count();
    const result = await stage.record(world.tokens.kikakuEditor, initiative, 'SELF', null);
    expect(result.__typename).toBe('ForbiddenError');
    expect(await world.db.prisma.evaluationStage.count()).toBe(0);
    expect(await world.db.prisma.evaluation.count()).toBe(0);
    expect(await world.db.prisma.changeRecord.count()).toBe(before);
  });

  it("the department's editor records and completes its 自己評価, but may not do the 一次評価", async () => {
    const [initiative] = world.fy2012 as [string];
    const { kyoikuEditor, planning } = world.tokens;
    const recorded = await stage.record(kyoikuEditor, initiative, 'SELF', null, {
      rating: 'ACHIEVED',
      summary: '自己評価の文言',
    });
    expect(recorded).toMatchObject({
      __typename: 'RecordEvaluationStageSuccess',
      evaluation: { status: 'DRAFT', version: 1 },
    });
    const id = recorded.evaluation.id;
    // 一次 before 自己評価 is completed: out of order, even for planning.
    const early = await stage.record(planning, initiative, 'FIRST', 1);
    expect(early.issues?.[0]?.code).toBe('STAGE_OUT_OF_ORDER');
    const completed = await stage.complete(kyoikuEditor, id, 'SELF', 1);
    expect(completed.__typename).toBe('CompleteEvaluationStageSuccess');
    // The editor may neither record nor complete the 一次評価.
    const first = await stage.record(kyoikuEditor, initiative, 'FIRST', 2);
    expect(first.__typename).toBe('ForbiddenError');
    const viaPlanning = await stage.record(planning, initiative, 'FIRST', 2, {
      rating: 'PARTIALLY_ACHIEVED',
      summary: '一次評価の文言',
    });
    expect(viaPlanning.__typename).toBe('RecordEvaluationStageSuccess');
    const completeFirst = await stage.complete(kyoikuEditor, id, 'FIRST', 3);
    expect(completeFirst.__typename).toBe('ForbiddenError');
    // 二次 while 一次 is open: out of order.
    const second = await stage.record(planning, initiative, 'SECOND', 3);
    expect(second.issues?.[0]?.code).toBe('STAGE_OUT_OF_ORDER');
    const done = await stage.complete(planning, id, 'FIRST', 3);
    expect(done.evaluation).toMatchObject({
      rating: 'PARTIALLY_ACHIEVED',
      summary: '一次評価の文言',
    });
    // A completed stage is not revised in place: it is sent back first.
    const revise = await stage.record(kyoikuEditor, initiative, 'SELF', 4);
    expect(revise.issues?.[0]?.code).toBe('STAGE_OUT_OF_ORDER');
  });

  it('going back needs a reason, and only the stage after may send one back', async () => {
    const [initiative] = world.fy2012 as [string];
    const { kyoikuEditor, planning } = world.tokens;
    const evaluation = await world.db.prisma.evaluation.findFirstOrThrow({
      where: { initiativeId: Number(Buffer.from(initiative, 'base64').toString().split(':')[1]) },
    });
    const id = globalId('Evaluation', evaluation.id);
    const version = evaluation.version;
    const empty = await stage.sendBack(planning, id, 'FIRST', version, '   ');
    expect(empty.__typename).toBe('ValidationError');
    expect(empty.issues[0]).toMatchObject({ path: ['input', 'reason'] });
    const missing = await world.gql(
      `mutation ($input: ReturnEvaluationStageInput!) { returnEvaluationStage(input: $input) { __typename } }`,
      { input: { evaluation: id, stage: 'FIRST', expectedVersion: version } },
      planning,
    );
    expect(missing.errors?.[0]?.message).toMatch(/reason/);
    // The department's editor may not send planning's 一次評価 back.
    const byEditor = await stage.sendBack(kyoikuEditor, id, 'FIRST', version, '見直してほしい');
    expect(byEditor.__typename).toBe('ForbiddenError');
    // 自己評価 is not the last completed stage: 一次 must go back first.
    const notLast = await stage.sendBack(planning, id, 'SELF', version, '根拠を補ってください');
    expect(notLast.issues?.[0]?.code).toBe('STAGE_OUT_OF_ORDER');
    const back = await stage.sendBack(planning, id, 'FIRST', version, '指標の根拠が不足');
    // The result falls back to the last stage still completed: the 自己評価.
    expect(back.evaluation).toMatchObject({ rating: 'ACHIEVED', summary: '自己評価の文言' });
    // Planning sends the 自己評価 back to the department too (a later stage's role may).
    const self = await stage.sendBack(planning, id, 'SELF', version + 1, '根拠を補ってください');
    expect(self.__typename).toBe('ReturnEvaluationStageSuccess');
    const staff = await world.gql(STAGES_OF, { id: initiative }, planning);
    expect(staff.data.node.evaluation.stages).toEqual([
      expect.objectContaining({
        kind: 'SELF',
        state: 'OPEN',
        returnReason: '根拠を補ってください',
      }),
      expect.objectContaining({ kind: 'FIRST', state: 'OPEN', returnReason: '指標の根拠が不足' }),
    ]);
  });

  it('the external committee records the 外部評価 only after 二次, and nothing else', async () => {
    const [, initiative] = world.fy2012 as [string, string];
    const { reviewer } = world.tokens;
    const refused = await stage.record(reviewer, initiative, 'SELF', null);
    expect(refused.__typename).toBe('ForbiddenError');
    const evaluation = await stage.throughSecond(initiative, {
      SECOND: { rating: 'MOSTLY_ACHIEVED', summary: '二次評価の文言' },
    });
    const first = await stage.record(reviewer, initiative, 'FIRST', evaluation.version);
    expect(first.__typename).toBe('ForbiddenError');
    const external = await stage.record(reviewer, initiative, 'EXTERNAL', evaluation.version, {
      rating: 'ACHIEVED',
      summary: '外部評価の文言',
    });
    expect(external.__typename).toBe('RecordEvaluationStageSuccess');
    const done = await stage.complete(reviewer, evaluation.id, 'EXTERNAL', evaluation.version + 1);
    expect(done.evaluation).toMatchObject({ rating: 'ACHIEVED', summary: '外部評価の文言' });
    const staff = await world.gql(STAGES_OF, { id: initiative }, world.tokens.planning);
    const external$ = staff.data.node.evaluation.stages.at(-1);
    // The committee is named as an office, never by its token's (personal) name.
    expect(external$).toMatchObject({ kind: 'EXTERNAL', reviewer: '三鷹市 外部評価委員会' });
  });
});

describe('what the public sees', () => {
  const EVENTS = `subscription ($after: String) {
    evaluationChanged(filter: { municipality: "${MITAKA}", fiscalYear: 2012 }, after: $after) {
      cursor kind id change { action actor office changes { field before after } }
      evaluation { id status rating summary } } }`;
  let start = '';
  let publicLive: EventStream;
  let staffLive: EventStream;
  let evaluationId = '';

  it('runs a third initiative through its stages and publishes it', async () => {
    start = (await world.gql('{ liveSnapshot { cursor } }')).data.liveSnapshot.cursor;
    publicLive = await subscribeSse(world.fetchYoga, URL, EVENTS, { after: start });
    staffLive = await subscribeSse(
      world.fetchYoga,
      URL,
      EVENTS,
      { after: start },
      world.tokens.planning,
    );
    const [, , initiative] = world.fy2012 as [string, string, string];
    const evaluation = await stage.throughSecond(initiative, {
      SELF: { rating: 'ACHIEVED', summary: '未完の自己評価 SELF-ONLY' },
      FIRST: { rating: 'NOT_ACHIEVED', summary: '未完の一次 FIRST-ONLY' },
      SECOND: { rating: 'MOSTLY_ACHIEVED', summary: '公開される二次評価' },
    });
    evaluationId = evaluation.id;
    // While unpublished, the public cannot see the evaluation at all.
    const hidden = await world.gql(STAGES_OF, { id: initiative });
    expect(hidden.data.node.evaluation).toBeNull();
    const published = await world.gql(
      PUBLISH_EVALUATION,
      { input: { id: evaluation.id, expectedVersion: evaluation.version } },
      world.tokens.planning,
    );
    expect(published.data.publishEvaluation.__typename).toBe('PublishEvaluationSuccess');
  });

  it('the public sees the result (the last completed stage), and no stage', async () => {
    const [, , initiative] = world.fy2012 as [string, string, string];
    const seen = await world.gql(STAGES_OF, { id: initiative });
    expect(seen.data.node.evaluation).toMatchObject({
      status: 'PUBLISHED',
      rating: 'MOSTLY_ACHIEVED',
      summary: '公開される二次評価',
      stages: [],
    });
    const staff = await world.gql(STAGES_OF, { id: initiative }, world.tokens.planning);
    expect(staff.data.node.evaluation.stages.map((s: any) => s.kind)).toEqual([
      'SELF',
      'FIRST',
      'SECOND',
    ]);
  });

  it('the public history, live feed and replay carry no unfinished stage', async () => {
    const history = await world.gql(
      `query ($id: ID!) { node(id: $id) { ... on Evaluation { history { edges { node {
        action changes { field before after } } } } } } }`,
      { id: evaluationId },
    );
    const text = JSON.stringify(history.data);
    expect(history.data.node.history.edges.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/stages\.|SELF-ONLY|FIRST-ONLY/);

    const live = [(await publicLive.next()).data.evaluationChanged];
    expect(await publicLive.drain(300)).toEqual([]);
    expect(live.map((e) => e.kind)).toEqual(['ENTERED']);
    expect(live[0].evaluation).toMatchObject({ id: evaluationId, summary: '公開される二次評価' });
    expect(JSON.stringify(live)).not.toMatch(/stages\.|SELF-ONLY|FIRST-ONLY|token:/);

    const replay = await subscribeSse(world.fetchYoga, URL, EVENTS, { after: start });
    const replayed = [(await replay.next()).data.evaluationChanged];
    expect(await replay.drain(300)).toEqual([]);
    replay.close();
    expect(replayed).toEqual(live);

    // Staff saw every stage change of it, with the stage fields.
    const staffEvents = (await staffLive.drain(500)).map((e) => e.data.evaluationChanged);
    const ofIt = staffEvents.filter((e) => e.id === evaluationId);
    expect(ofIt.length).toBe(7); // 3 records, 3 completions, 1 publication
    expect(JSON.stringify(ofIt)).toMatch(/stages\.FIRST\.summary/);
    publicLive.close();
    staffLive.close();
  });
});
