// Issue 29, the parts of the spring that are the API's: the role matrix of
// docs/evaluation-cycle.md walked for one evaluation of 教育部 FY2012 (the table is read from
// the doc, not copied here: a change to either fails), the external committee reading the
// draft and recording 外部評価, a white paper published and withdrawn, a status rule changed
// from 2013 leaving FY2012's status as it closed, and planAsOf at a date in June 2012.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadSeed, mitakaSeedPath, readSeedFile } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { type CycleWorld, MITAKA, startCycleWorld } from './support.ts';

let w: CycleWorld;
beforeAll(async () => {
  w = await startCycleWorld();
}, 120_000);
afterAll(() => w?.close());

type Caller = 'anonymous' | 'EDITOR' | 'other EDITOR' | 'PLANNING' | 'REVIEWER';
type Row = { stage: string; cells: Record<Caller, string> };

/** The matrix as docs/evaluation-cycle.md states it. */
async function matrixFromDoc(): Promise<Row[]> {
  const doc = await readFile(
    resolve(import.meta.dirname, '../../docs/evaluation-cycle.md'),
    'utf8',
  );
  const lines = doc.split('\n');
  const header = lines.findIndex((line) => /^\| stage\s+\| anonymous/.test(line));
  expect(header, 'the role matrix is in docs/evaluation-cycle.md').toBeGreaterThan(0);
  const split = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
  const callers = split(lines[header] as string).slice(1) as Caller[];
  const rows: Row[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [stage, ...cells] = split(line);
    rows.push({
      stage: stage as string,
      cells: Object.fromEntries(callers.map((c, i) => [c, cells[i] as string])) as Row['cells'],
    });
  }
  return rows;
}

const RESULT = `__typename ... on Error { message } ... on ValidationError { issues { code message } }`;
const READ = `query ($id: ID!) { node(id: $id) { ... on Evaluation { id rating summary stages { kind state } } } }`;

/**
 * With UPDATE_SCREENSHOTS=1, the matrix as the walk observed it through the API (not the doc's
 * text) drawn as a table and saved as docs/screenshots/role-matrix.png.
 */
async function saveObservedMatrix(callers: Caller[], observed: Row[]) {
  if (process.env.UPDATE_SCREENSHOTS !== '1' || !chromiumAvailable()) return;
  const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const html = `<!doctype html><html lang="ja"><meta charset="utf-8"><style>
    body { font: 15px sans-serif; margin: 16px; } caption { text-align: left; margin-bottom: 8px; }
    table { border-collapse: collapse; } th, td { border: 1px solid #999; padding: 6px 14px; }
    td { font-family: monospace; text-align: center; } td.none { color: #aaa; }</style>
    <table><caption>The role matrix observed by tests/cycle/role-matrix.test.ts through the API
    (- nothing, r result, rs with stages, w records the stage)</caption>
    <tr><th>stage</th>${callers.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>
    ${observed
      .map(
        (row) =>
          `<tr><th>${row.stage}</th>${callers
            .map((c) => `<td class="${row.cells[c] === '-' ? 'none' : ''}">${row.cells[c]}</td>`)
            .join('')}</tr>`,
      )
      .join('')}</table></html>`;
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.setContent(html);
    await page
      .locator('table')
      .screenshot({ path: resolve(import.meta.dirname, '../../docs/screenshots/role-matrix.png') });
  } finally {
    await browser.close();
  }
}

describe('the role matrix of docs/evaluation-cycle.md', () => {
  it('holds for every caller at every stage of one evaluation (自己評価 to published)', {
    timeout: 120_000,
  }, async () => {
    const rows = await matrixFromDoc();
    expect(rows.map((r) => r.stage)).toEqual(['SELF', 'FIRST', 'SECOND', 'EXTERNAL', 'PUBLISHED']);
    const tokens: Record<Caller, string | undefined> = {
      anonymous: undefined,
      EDITOR: w.tokens.kyoikuEditor,
      'other EDITOR': w.tokens.kikakuEditor,
      PLANNING: w.tokens.planning,
      REVIEWER: w.tokens.reviewer,
    };
    const initiative = w.fy2012[1] as string;
    // The department records its 自己評価: the draft exists, with no result yet.
    const first = await w.gql(
      `mutation ($input: RecordEvaluationStageInput!) { recordEvaluationStage(input: $input) {
        ${RESULT} ... on RecordEvaluationStageSuccess { evaluation { id version rating summary } } } }`,
      { input: { initiative, stage: 'SELF', rating: 'ACHIEVED', summary: '自己評価: 達成' } },
      w.tokens.kyoikuEditor,
    );
    expect(first.errors).toBeUndefined();
    const created = first.data.recordEvaluationStage.evaluation;
    // Results come only from completed stages: the open 自己評価 gives none.
    expect(created).toMatchObject({ rating: null, summary: null });
    const id: string = created.id;
    const version = async () =>
      (
        await w.db.prisma.evaluation.findUniqueOrThrow({
          where: { id: Number(Buffer.from(id, 'base64').toString().split(':')[1]) },
        })
      ).version;

    const seen: string[] = [];
    const observed: Row[] = [];
    for (const row of rows) {
      const cells = {} as Row['cells'];
      observed.push({ stage: row.stage, cells });
      for (const [caller, cell] of Object.entries(row.cells) as [Caller, string][]) {
        const read = await w.gql(READ, { id }, tokens[caller]);
        const node = read.data?.node;
        const reads = node == null ? '-' : node.stages.length > 0 ? 'rs' : 'r';
        const expectedReads = cell.split(' ')[0];
        seen.push(`${row.stage}/${caller}: reads ${reads}`);
        cells[caller] = reads;
        expect(reads, `${row.stage}, ${caller} reads`).toBe(expectedReads);
        if (reads === 'rs' && caller === 'REVIEWER') {
          // The committee sees the completed stages and its own, not another open one.
          for (const stage of node.stages) {
            expect(stage.state === 'COMPLETED' || stage.kind === 'EXTERNAL').toBe(true);
          }
        }
        if (row.stage === 'PUBLISHED') continue;
        // Writes: recording the row's stage (a revision of the open stage when allowed).
        const write = await w.gql(
          `mutation ($input: RecordEvaluationStageInput!) { recordEvaluationStage(input: $input) { ${RESULT} } }`,
          {
            input: {
              initiative,
              stage: row.stage,
              rating: 'MOSTLY_ACHIEVED',
              summary: `${row.stage} by ${caller}`,
              expectedVersion: await version(),
            },
          },
          tokens[caller],
        );
        const writes =
          write.data?.recordEvaluationStage.__typename === 'RecordEvaluationStageSuccess';
        if (writes) cells[caller] = `${reads} w`;
        expect(writes, `${row.stage}, ${caller} writes`).toBe(cell.includes('w'));
      }
      // Move on: the stage's worker completes it (the committee its own), or planning publishes.
      const next = rows[rows.indexOf(row) + 1];
      if (!next) break;
      if (next.stage === 'PUBLISHED') {
        const done = await w.gql(
          `mutation ($input: EvaluationStageInput!) { completeEvaluationStage(input: $input) { ${RESULT} } }`,
          { input: { evaluation: id, stage: 'EXTERNAL', expectedVersion: await version() } },
          w.tokens.reviewer,
        );
        expect(done.data.completeEvaluationStage.__typename).toBe('CompleteEvaluationStageSuccess');
        const published = await w.gql(
          `mutation ($input: EvaluationVersionInput!) { publishEvaluation(input: $input) { ${RESULT} } }`,
          { input: { id, expectedVersion: await version() } },
          w.tokens.planning,
        );
        expect(published.data.publishEvaluation.__typename).toBe('PublishEvaluationSuccess');
      } else {
        const done = await w.gql(
          `mutation ($input: EvaluationStageInput!) { completeEvaluationStage(input: $input) {
            ${RESULT} ... on CompleteEvaluationStageSuccess { evaluation { rating summary } } } }`,
          { input: { evaluation: id, stage: row.stage, expectedVersion: await version() } },
          w.tokens.planning,
        );
        expect(done.data.completeEvaluationStage.__typename).toBe('CompleteEvaluationStageSuccess');
        // Completed: the result is now this stage's.
        expect(done.data.completeEvaluationStage.evaluation.rating).toBe('MOSTLY_ACHIEVED');
      }
    }
    console.log(`role matrix walked: ${seen.length} reads checked`);
    expect(observed).toEqual(rows);
    await saveObservedMatrix(Object.keys(tokens) as Caller[], observed);
  });

  it('the committee sees a draft enter its view in the changes log, and its list', async () => {
    // Evaluations reached by the walk above are published; a list of drafts the committee can
    // see holds none that has not reached 外部評価.
    const list = await w.gql(
      `{ evaluations(municipality: "${MITAKA}", fiscalYear: 2012, first: 50) { edges { node { status stages { kind state } } } } }`,
      {},
      w.tokens.reviewer,
    );
    for (const { node } of list.data?.evaluations?.edges ?? []) {
      expect(node.status).toBe('PUBLISHED');
    }
    const changes = await w.db.prisma.changeRecord.findMany({
      where: { entityType: 'Evaluation', audienceAfter: 'REVIEW' },
    });
    expect(changes.length).toBeGreaterThan(0);
  });
});

describe('deleting an evaluation', () => {
  const DELETE = `mutation ($input: EvaluationVersionInput!) { deleteEvaluation(input: $input) { ${RESULT} } }`;
  const UNPUBLISH = `mutation ($input: EvaluationVersionInput!) { unpublishEvaluation(input: $input) {
    ${RESULT} ... on UnpublishEvaluationSuccess { evaluation { version } } } }`;

  it('a published one is withdrawn first; the deletion keeps its history', async () => {
    // The evaluation the matrix walk published.
    const row = await w.db.prisma.evaluation.findFirstOrThrow({ where: { status: 'PUBLISHED' } });
    const id = Buffer.from(`Evaluation:${row.id}`).toString('base64');
    const refused = await w.gql(
      DELETE,
      { input: { id, expectedVersion: row.version } },
      w.tokens.planning,
    );
    expect(refused.data.deleteEvaluation.issues?.[0]?.code).toBe('PUBLISHED');
    const withdrawn = await w.gql(
      UNPUBLISH,
      { input: { id, expectedVersion: row.version } },
      w.tokens.planning,
    );
    const version = withdrawn.data.unpublishEvaluation.evaluation.version;
    const byEditor = await w.gql(
      DELETE,
      { input: { id, expectedVersion: version } },
      w.tokens.kyoikuEditor,
    );
    expect(byEditor.data.deleteEvaluation.__typename).toBe('ForbiddenError');
    const deleted = await w.gql(
      DELETE,
      { input: { id, expectedVersion: version } },
      w.tokens.planning,
    );
    expect(deleted.data.deleteEvaluation.__typename).toBe('DeleteEvaluationSuccess');
    expect(await w.db.prisma.evaluation.findUnique({ where: { id: row.id } })).toBeNull();
    const history = await w.db.prisma.changeRecord.findMany({
      where: { entityType: 'Evaluation', entityId: row.id },
      orderBy: { id: 'asc' },
    });
    expect(history.at(0)?.action).toBe('CREATE');
    expect(history.at(-1)).toMatchObject({ action: 'DELETE', audienceAfter: 'NONE' });
  });
});

describe('white papers and closed years', () => {
  const CREATE = `mutation ($input: CreateWhitePaperInput!) { createWhitePaper(input: $input) {
    ${RESULT} ... on CreateWhitePaperSuccess { whitePaper { id version publishedAt } } } }`;
  const PAPER = (
    name: string,
  ) => `mutation ($input: PublishWhitePaperInput!) { ${name}(input: $input) {
    ${RESULT} ... on ${name[0]?.toUpperCase()}${name.slice(1)}Success { whitePaper { id version publishedAt } } } }`;
  const RULES = `mutation ($input: SetStatusRulesInput!) { setStatusRules(input: $input) {
    ${RESULT} ... on SetStatusRulesSuccess { statusRules { fromFiscalYear version } } } }`;
  const STATUS = `query ($id: ID!) { node(id: $id) { ... on Target { status { status reason reasonEn rule { id description descriptionEn } } } } }`;

  it('a status rule changed from 2013 leaves FY2012 as it closed; a closed year refuses new rules; the paper can be withdrawn', async () => {
    // A FY2012 target of 教育部, achieved when the year closed.
    const added = await w.gql(
      `mutation ($input: AddTargetInput!) { addTarget(input: $input) { ${RESULT} ... on AddTargetSuccess { target { id version } } } }`,
      {
        input: {
          initiative: w.fy2012[2],
          indicator: 'リハーサル大会の参加者数',
          unit: '人',
          direction: 'AT_LEAST',
          baseline: 0,
          targetValue: 1000,
        },
      },
      w.tokens.planning,
    );
    expect(added.errors).toBeUndefined();
    expect(added.data.addTarget.__typename).toBe('AddTargetSuccess');
    const target = added.data.addTarget.target.id;
    const actual = await w.gql(
      `mutation ($input: RecordTargetActualInput!) { recordTargetActual(input: $input) { ${RESULT} } }`,
      {
        input: {
          target,
          period: '2012年度',
          measuredOn: '2013-03-31',
          value: 1200,
        },
      },
      w.tokens.planning,
    );
    expect(actual.errors).toBeUndefined();
    expect(actual.data.recordTargetActual.__typename).toBe('RecordTargetActualSuccess');
    const before = (await w.gql(STATUS, { id: target })).data.node.status;
    expect(before.status).toBe('ACHIEVED');
    // Reasons and the default rules' descriptions in Japanese and English.
    expect(before.rule.description).toBe('最新の実績が目標値に達している。');
    expect(before.rule.descriptionEn).toBe('The latest actual meets the target.');
    expect(before.reason).toContain('目標値 1000');
    expect(before.reasonEn).toContain('target 1000');

    // The white paper on FY2012 is published: the year is closed.
    const paper = (
      await w.gql(
        CREATE,
        {
          input: {
            municipality: MITAKA,
            title: '三鷹市自治体経営白書2013',
            publicationDate: '2013-07',
            reportsOnFiscalYear: 2012,
          },
        },
        w.tokens.planning,
      )
    ).data.createWhitePaper.whitePaper;
    const published = await w.gql(
      PAPER('publishWhitePaper'),
      { input: { id: paper.id, expectedVersion: paper.version } },
      w.tokens.planning,
    );
    const publishedPaper = published.data.publishWhitePaper.whitePaper;
    expect(publishedPaper.publishedAt).not.toBeNull();

    // In 2013 the planning office makes the rules stricter: nothing counts as achieved.
    const stricter = [
      {
        id: 'never',
        status: 'OFF_TRACK',
        description: '常に遅れ',
        descriptionEn: 'Always behind',
        when: { always: true },
      },
    ];
    const for2012 = await w.gql(
      RULES,
      { input: { municipality: MITAKA, fromFiscalYear: 2012, rules: stricter } },
      w.tokens.planning,
    );
    expect(for2012.data.setStatusRules.issues?.[0]?.code).toBe('CLOSED_YEAR');
    const from2013 = await w.gql(
      RULES,
      { input: { municipality: MITAKA, fromFiscalYear: 2013, rules: stricter } },
      w.tokens.planning,
    );
    expect(from2013.data.setStatusRules.statusRules).toEqual({ fromFiscalYear: 2013, version: 1 });
    const after = (await w.gql(STATUS, { id: target })).data.node.status;
    expect(after.status).toBe('ACHIEVED');

    // A published paper is withdrawn before it can be deleted.
    const refused = await w.gql(
      PAPER('deleteWhitePaper'),
      { input: { id: paper.id, expectedVersion: publishedPaper.version } },
      w.tokens.planning,
    );
    expect(refused.data.deleteWhitePaper.issues?.[0]?.code).toBe('PUBLISHED');
    const withdrawn = await w.gql(
      PAPER('unpublishWhitePaper'),
      { input: { id: paper.id, expectedVersion: publishedPaper.version } },
      w.tokens.planning,
    );
    expect(withdrawn.data.unpublishWhitePaper.whitePaper.publishedAt).toBeNull();
    const history = await w.db.prisma.changeRecord.findMany({
      where: {
        entityType: 'WhitePaper',
        entityId: Number(Buffer.from(paper.id, 'base64').toString().split(':')[1]),
      },
    });
    expect(history.map((r) => r.action)).toEqual(['CREATE', 'UPDATE', 'UPDATE']);
  });
});

describe('as of a date in June 2012', () => {
  it('planAsOf returns the FY2012 plan as the newsletter published it, with its targets', async () => {
    // The source's plans with a target on 教育部's third initiative (scenario data, loaded as a
    // seed would load it, under a test municipality code: the seed records publishedAt).
    const seed = await readSeedFile(mitakaSeedPath);
    seed.municipality = { ...seed.municipality, code: '999997', name: '試験市' };
    const kyoiku = seed.departments.find((d) => d.code === 'kyoiku');
    const plan = kyoiku?.plans[0];
    const third = plan?.initiatives[2];
    if (!third || !plan) throw new Error('seed: 教育部 FY2012 has three initiatives');
    third.targets = [
      {
        indicator: 'リハーサル大会の参加者数',
        unit: '人',
        direction: 'AT_LEAST',
        baseline: 0,
        targetValue: 1000,
      },
    ];
    await loadSeed(w.db.prisma, seed);
    const row = await w.db.prisma.departmentPlan.findFirstOrThrow({
      where: { fiscalYear: 2012, department: { code: 'kyoiku', municipality: { code: '999997' } } },
    });
    expect(row.publishedAt?.toISOString()).toBe(
      plan.publishedAt && new Date(plan.publishedAt).toISOString(),
    );
    const asOf = `query ($id: ID!, $at: DateTime!) { planAsOf(id: $id, point: { at: $at }) {
      plan { status } initiatives { initiative { text } targets { indicator unit targetValue actuals { value } } } } }`;
    const id = Buffer.from(`DepartmentPlan:${row.id}`).toString('base64');
    const june = await w.gql(asOf, { id, at: '2012-06-01T00:00:00+09:00' });
    expect(june.errors).toBeUndefined();
    expect(june.data.planAsOf.plan.status).toBe('PUBLISHED');
    expect(
      june.data.planAsOf.initiatives.map(
        (i: { initiative: { text: string } }) => i.initiative.text,
      ),
    ).toEqual(plan.initiatives.map((i) => i.text));
    expect(june.data.planAsOf.initiatives[2].targets).toEqual([
      { indicator: 'リハーサル大会の参加者数', unit: '人', targetValue: 1000, actuals: [] },
    ]);
    // Before the fiscal year, nothing was published.
    const march = await w.gql(asOf, { id, at: '2012-03-01T00:00:00+09:00' });
    expect(march.data.planAsOf).toBeNull();
    // Mitaka's own seeded plan, too.
    const mitaka = await w.db.prisma.departmentPlan.findFirstOrThrow({
      where: { fiscalYear: 2012, departmentId: w.kyoikuId },
    });
    const own = await w.gql(asOf, {
      id: Buffer.from(`DepartmentPlan:${mitaka.id}`).toString('base64'),
      at: '2012-06-15T12:00:00+09:00',
    });
    expect(own.data.planAsOf.plan.status).toBe('PUBLISHED');
  });
});
