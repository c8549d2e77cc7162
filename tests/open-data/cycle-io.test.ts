// The whole cycle in and out (issue 28, item 4): evaluation stages, targets, actuals and status
// rules are created by imports that call their services, exported in every format and read
// back as a no-op; a file that breaks a service's rule is refused with that service's code and
// writes nothing; a JSON array is read a record at a time; and the GraphQL multipart upload
// (importFile) is the same import, held to the same roles, size and row limits as POST /import.
import { Readable } from 'node:stream';
import { runImport } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factories, tokenFor } from '../support/factories.ts';
import { type OpenDataApi, startOpenDataApi } from './support.ts';

const MAX_BYTES = 64 * 1024;
const MAX_ROWS = 50;
const FY2013 = 'municipality=132047&fiscalYear=2013';
const FORMATS = ['csv', 'json', 'jsonl', 'xlsx'] as const;

let api: OpenDataApi;
let planning: string;
let editor: string;

const changes = () => api.db.prisma.changeRecord.count();

async function download(path: string, token = planning) {
  const response = await api.fetch(path, { token });
  expect(response.status, await response.clone().text()).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

async function upload(entity: string, body: Buffer | string, query: string, token?: string) {
  const response = await api.fetch(`/import/${entity}?${query}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : new Uint8Array(body),
    token,
    headers: { 'content-type': 'application/octet-stream' },
  });
  return { status: response.status, body: (await response.json()) as any };
}

const IMPORT_FILE = `mutation ($entity: OpenDataEntity!, $file: File!, $format: OpenDataFormat, $dryRun: Boolean) {
  importFile(entity: $entity, file: $file, format: $format, dryRun: $dryRun) {
    __typename
    ... on ImportFileSuccess { report { dryRun applied counts { created updated unchanged rejected }
      rows { row outcome key issues { field code reason } } } }
    ... on ForbiddenError { message }
  } }`;

/** importFile as a GraphQL multipart request (operations, map, the file part). */
async function multipart(
  entity: string,
  file: Buffer | string,
  options: { format?: string; dryRun?: boolean; token?: string } = {},
) {
  const form = new FormData();
  form.set(
    'operations',
    JSON.stringify({
      query: IMPORT_FILE,
      variables: {
        entity,
        file: null,
        format: options.format ?? 'CSV',
        dryRun: options.dryRun ?? false,
      },
    }),
  );
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new Blob([typeof file === 'string' ? file : new Uint8Array(file)]), 'file');
  const response = await api.fetch('/graphql', {
    method: 'POST',
    body: form,
    token: options.token,
    // A multipart POST is a request a browser sends cross-site: CSRF prevention wants this.
    headers: { 'x-hoshin-csrf': '1' },
  });
  return { status: response.status, body: (await response.json()) as any };
}

const TARGETS_CSV = [
  'municipality,department,fiscalYear,position,targetNo,indicator,unit,direction,baseline,targetValue,rangeMin,rangeMax,targetDate,weight',
  '132047,kyoiku,2013,1,1,学校図書館の貸出冊数,冊,AT_LEAST,100,150,,,,1',
  '132047,kyoiku,2013,1,2,校舎の耐震化,,MILESTONE,,,,,2014-03-31,2',
  '132047,kyoiku,2013,2,1,待機児童数,人,AT_MOST,50,10,,,,1.5',
].join('\r\n');

const ACTUALS_JSON = JSON.stringify([
  {
    municipality: '132047',
    department: 'kyoiku',
    fiscalYear: 2013,
    position: 1,
    targetNo: 1,
    measuredOn: '2013-09-30',
    period: '2013年度上半期',
    value: 120,
    reachedOn: null,
  },
  {
    municipality: '132047',
    department: 'kyoiku',
    fiscalYear: 2013,
    position: 2,
    targetNo: 1,
    measuredOn: '2013-09-30',
    period: '2013年度上半期',
    value: 30.5,
    reachedOn: null,
  },
]);

const stageRow = (position: number, stage: string, state: string, rating: string) =>
  JSON.stringify({
    municipality: '132047',
    department: 'kyoiku',
    fiscalYear: 2013,
    position,
    stage,
    state,
    rating,
    progressPercent: 80,
    summary: `${stage}の評価`,
    returnReason: null,
  });

beforeAll(async () => {
  api = await startOpenDataApi({ maxImportBytes: MAX_BYTES, maxImportRows: MAX_ROWS });
  const prisma = api.db.prisma;
  planning = await tokenFor(prisma, {
    name: '企画経営課',
    role: 'PLANNING',
    municipality: '132047',
  });
  editor = await tokenFor(prisma, {
    name: '教育部',
    role: 'EDITOR',
    municipality: '132047',
    department: 'kyoiku',
  });
  const kyoiku = await prisma.department.findFirstOrThrow({ where: { code: 'kyoiku' } });
  await factories(prisma).plan(kyoiku.id, {
    fiscalYear: 2013,
    status: 'DRAFT',
    initiatives: [{ text: '読書活動の推進' }, { text: '待機児童の解消' }, { text: '学力向上' }],
  });
}, 180_000);

afterAll(async () => {
  await api?.close();
});

describe('created through the services', () => {
  it('targets (CSV), actuals (JSON array) and stages (JSON Lines) are created, each with its change records', async () => {
    const before = await changes();
    const targets = await upload('targets', TARGETS_CSV, 'format=csv', planning);
    expect(targets.status, JSON.stringify(targets.body)).toBe(200);
    expect(targets.body.report).toMatchObject({ applied: true, counts: { created: 3 } });
    const actuals = await upload('actuals', ACTUALS_JSON, 'format=json', planning);
    expect(actuals.body.report, JSON.stringify(actuals.body)).toMatchObject({
      applied: true,
      counts: { created: 2 },
    });
    // 自己評価 recorded and completed, 一次評価 recorded: the calls the mutations make.
    const stages = [
      stageRow(1, 'SELF', 'COMPLETED', 'ACHIEVED'),
      stageRow(1, 'FIRST', 'OPEN', 'MOSTLY_ACHIEVED'),
    ].join('\n');
    const staged = await upload('evaluation-stages', stages, 'format=jsonl', planning);
    expect(staged.body.report, JSON.stringify(staged.body)).toMatchObject({
      applied: true,
      counts: { created: 2 },
    });
    const stored = await api.db.prisma.evaluationStage.findMany({ orderBy: { kind: 'asc' } });
    expect(stored.map((s) => [s.kind, s.state])).toEqual([
      ['SELF', 'COMPLETED'],
      ['FIRST', 'OPEN'],
    ]);
    const recorded = await api.db.prisma.changeRecord.findMany({
      where: { id: { gt: 0 } },
      orderBy: { id: 'asc' },
      skip: before,
      select: { entityType: true, action: true },
    });
    expect(recorded.filter((r) => r.entityType === 'Target')).toHaveLength(3);
    expect(recorded.filter((r) => r.entityType === 'TargetActual')).toHaveLength(2);
    // Record SELF (creates the evaluation), complete it, record FIRST.
    expect(recorded.filter((r) => r.entityType === 'Evaluation')).toHaveLength(3);
  });
});

describe('exported and read back', () => {
  for (const entity of ['evaluation-stages', 'targets', 'actuals', 'status-rules']) {
    it(`${entity}: every format reads back as a dry run with zero changes`, async () => {
      const before = await changes();
      for (const format of FORMATS) {
        const file = await download(`/export/${entity}.${format}?${FY2013}`);
        const { status, body } = await upload(entity, file, `format=${format}&dryRun`, planning);
        expect(status, `${format}: ${JSON.stringify(body)}`).toBe(200);
        const { counts } = body.report;
        expect(counts.unchanged, format).toBeGreaterThan(0);
        expect({ format, ...counts }).toEqual({
          format,
          created: 0,
          updated: 0,
          unchanged: counts.unchanged,
          rejected: 0,
        });
      }
      // Applied for real, the CSV is a no-op too: no change records.
      const csv = await download(`/export/${entity}.csv?${FY2013}`);
      const applied = await upload(entity, csv, 'format=csv', planning);
      expect(applied.body.report).toMatchObject({ applied: true, counts: { updated: 0 } });
      expect(await changes()).toBe(before);
    });
  }

  it("an edited cell goes through the service: the target's new value, one change record", async () => {
    const csv = (await download(`/export/targets.csv?${FY2013}`)).toString('utf8');
    const edited = csv.replace(',AT_LEAST,100,150,', ',AT_LEAST,100,160,');
    expect(edited).not.toBe(csv);
    const before = await changes();
    const { body } = await upload('targets', edited, 'format=csv', planning);
    expect(body.report.rows.find((r: any) => r.outcome === 'updated')).toMatchObject({
      key: '132047/kyoiku/2013/1/1',
      fields: ['targetValue'],
    });
    expect(await changes()).toBe(before + 1);
    const target = await api.db.prisma.target.findFirstOrThrow({
      where: { indicator: { startsWith: '学校図書館' } },
    });
    expect(target.targetValue).toBe(160);
  });
});

describe("a service's rule broken by a file", () => {
  it("a target against its direction's shape is refused with addTarget's own code; nothing is written", async () => {
    const before = { changes: await changes(), targets: await api.db.prisma.target.count() };
    const file = [
      TARGETS_CSV.split('\r\n')[0],
      '132047,kyoiku,2013,3,1,正しい指標,件,AT_LEAST,1,2,,,,1',
      // AT_LEAST with a range, and a target below its baseline: checkShape's NOT_FOR_DIRECTION
      // and WRONG_WAY, as the addTarget mutation answers them.
      '132047,kyoiku,2013,2,2,範囲つき,件,AT_LEAST,100,50,1,5,,1',
    ].join('\r\n');
    const http = await upload('targets', file, 'format=csv', planning);
    expect(http.status).toBe(422);
    expect(http.body.report.counts).toMatchObject({ created: 1, rejected: 1 });
    const codes = http.body.report.rows[1].issues.map((i: any) => [i.field, i.code]).sort();
    expect(codes).toEqual([
      ['rangeMax', 'NOT_FOR_DIRECTION'],
      ['rangeMin', 'NOT_FOR_DIRECTION'],
      ['targetValue', 'WRONG_WAY'],
    ]);
    expect(await api.db.prisma.target.count()).toBe(before.targets);
    expect(await changes()).toBe(before.changes);
  });

  it("a stage out of order is refused with recordEvaluationStage's STAGE_OUT_OF_ORDER; nothing is written", async () => {
    const before = {
      changes: await changes(),
      evaluations: await api.db.prisma.evaluation.count(),
    };
    // 一次評価 of an initiative whose 自己評価 was never recorded.
    const file = [
      stageRow(3, 'SELF', 'OPEN', 'ACHIEVED'),
      stageRow(2, 'FIRST', 'OPEN', 'ACHIEVED'),
    ].join('\n');
    const { status, body } = await upload('evaluation-stages', file, 'format=jsonl', planning);
    expect(status).toBe(422);
    expect(body.report.rows[1]).toMatchObject({
      outcome: 'rejected',
      issues: [{ field: 'stage', code: 'STAGE_OUT_OF_ORDER' }],
    });
    expect(await api.db.prisma.evaluation.count()).toBe(before.evaluations);
    expect(await changes()).toBe(before.changes);
  });

  it("an editor's status rules are refused with the service's FORBIDDEN; a broken rule set with its own code", async () => {
    const csv = (await download('/export/status-rules.csv?municipality=132047')).toString('utf8');
    const changed = csv.replace('ON_TRACK', 'AT_RISK');
    expect(changed).not.toBe(csv);
    const asEditor = await upload('status-rules', changed, 'format=csv', editor);
    expect(asEditor.body.report.rows[0].issues[0].code).toBe('FORBIDDEN');
    // A rule set without the fallback rule last, as setStatusRules refuses it.
    const rows = await download('/export/status-rules.json?municipality=132047');
    const [record] = JSON.parse(rows.toString('utf8'));
    const rules = JSON.parse(record.rules).slice(0, -1);
    const broken = JSON.stringify([{ ...record, rules: JSON.stringify(rules) }]);
    const before = await changes();
    const { status, body } = await upload('status-rules', broken, 'format=json', planning);
    expect(status).toBe(422);
    expect(body.report.rows[0].issues[0].field).toBe('rules');
    expect(await changes()).toBe(before);
    expect(await api.db.prisma.statusRuleSet.count()).toBe(0);
  });
});

describe('a JSON array is streamed', () => {
  it('the first thousand records are imported before the generator has produced 5% of the file', async () => {
    // ~45 MB of records (their key is refused at once: no database work per row), made only
    // as the import reads them.
    const record = `{"municipality":"000000","department":"x","fiscalYear":2013,"position":1,"targetNo":1}`;
    const total = 500_000;
    let produced = 0;
    async function* file() {
      yield Buffer.from('[');
      const perChunk = 500;
      for (let i = 0; i < total; i += perChunk) {
        const chunk = `${i === 0 ? '' : ','}${Array(perChunk).fill(record).join(',')}`;
        produced += chunk.length;
        yield Buffer.from(chunk);
      }
      yield Buffer.from(']');
    }
    const size = total * (record.length + 1);
    let atThousand: number | undefined;
    class Enough extends Error {}
    const run = runImport({
      prisma: api.db.prisma,
      viewer: { kind: 'anonymous' } as never,
      entity: 'targets',
      input: Readable.from(file()),
      format: 'json',
      dryRun: true,
      progressEvery: 1000,
      onProgress: (rows) => {
        if (rows !== 1000) return;
        atThousand = produced;
        throw new Enough();
      },
    });
    await expect(run).rejects.toBeInstanceOf(Enough);
    console.log(`streamed: ${atThousand} of ${size} bytes produced at record 1000`);
    expect(atThousand).toBeLessThan(size * 0.05);
  });
});

describe('importFile: the GraphQL multipart upload', () => {
  it('reads an export back as the HTTP endpoint does (a no-op dry run)', async () => {
    const csv = await download(`/export/targets.csv?${FY2013}`);
    const viaHttp = await upload('targets', csv, 'format=csv&dryRun', planning);
    const viaGraphql = await multipart('TARGETS', csv, { dryRun: true, token: planning });
    expect(viaGraphql.status, JSON.stringify(viaGraphql.body)).toBe(200);
    const report = viaGraphql.body.data.importFile.report;
    expect(report.counts).toEqual(viaHttp.body.report.counts);
    expect(report.counts).toMatchObject({ created: 0, updated: 0, rejected: 0 });
    const xlsx = await download(`/export/evaluation-stages.xlsx?${FY2013}`);
    const stages = await multipart('EVALUATION_STAGES', xlsx, {
      format: 'XLSX',
      dryRun: true,
      token: planning,
    });
    expect(stages.body.data.importFile.report.counts).toMatchObject({ unchanged: 2, rejected: 0 });
  });

  it("writes through the services: a rule broken is refused with the service's code, nothing written", async () => {
    const before = await changes();
    const file = [
      TARGETS_CSV.split('\r\n')[0],
      '132047,kyoiku,2013,2,2,範囲つき,件,AT_LEAST,100,50,1,5,,1',
    ].join('\r\n');
    const { body } = await multipart('TARGETS', file, { token: planning });
    const report = body.data.importFile.report;
    expect(report).toMatchObject({ applied: false, counts: { rejected: 1 } });
    expect(report.rows[0].issues.map((i: any) => i.code)).toContain('NOT_FOR_DIRECTION');
    expect(await changes()).toBe(before);
  });

  it('has the same roles: anonymous callers are refused, an editor gets FORBIDDEN rows', async () => {
    const csv = await download(`/export/targets.csv?${FY2013}`);
    const anonymous = await multipart('TARGETS', csv, { dryRun: true });
    expect(anonymous.body.data.importFile.__typename).toBe('ForbiddenError');
    expect((await upload('targets', csv, 'format=csv&dryRun')).status).toBe(401);
    const rules = (await download('/export/status-rules.csv?municipality=132047')).toString();
    const changed = rules.replace('ON_TRACK', 'AT_RISK');
    const viaGraphql = await multipart('STATUS_RULES', changed, { token: editor });
    const viaHttp = await upload('status-rules', changed, 'format=csv', editor);
    expect(viaGraphql.body.data.importFile.report.rows).toEqual(
      viaHttp.body.report.rows.map(({ fields: _, ...row }: any) => row),
    );
    expect(viaGraphql.body.data.importFile.report.rows[0].issues[0].code).toBe('FORBIDDEN');
  });

  it('has the same size and row limits as POST /import', async () => {
    const before = await changes();
    const header = TARGETS_CSV.split('\r\n')[0];
    const filler = `${header}\r\n${'132047,kyoiku,2013,1,1,x,,AT_LEAST,1,2,,,,1\r\n'.repeat(1700)}`;
    expect(filler.length).toBeGreaterThan(MAX_BYTES);
    expect(filler.length).toBeLessThan(MAX_BYTES + 16 * 1024);
    const http = await upload('targets', filler, 'format=csv&dryRun', planning);
    expect([http.status, http.body.errors[0].extensions.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const graphql = await multipart('TARGETS', filler, { dryRun: true, token: planning });
    expect(graphql.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    // Far over: refused as the body arrives, before it is parsed.
    const huge = 'x'.repeat(4 * MAX_BYTES);
    expect((await upload('targets', huge, 'format=csv', planning)).status).toBe(413);
    const refused = await multipart('TARGETS', huge, { token: planning });
    expect(refused.status).toBe(413);
    // One record over the row limit.
    const rows = Array.from({ length: MAX_ROWS + 1 }, () =>
      stageRow(3, 'SELF', 'OPEN', 'ACHIEVED'),
    );
    const jsonl = rows.join('\n');
    const httpRows = await upload('evaluation-stages', jsonl, 'format=jsonl&dryRun', planning);
    expect([httpRows.status, httpRows.body.errors[0].extensions.code]).toEqual([
      413,
      'TOO_MANY_ROWS',
    ]);
    const graphqlRows = await multipart('EVALUATION_STAGES', jsonl, {
      format: 'JSONL',
      dryRun: true,
      token: planning,
    });
    expect(graphqlRows.body.errors[0].extensions.code).toBe('TOO_MANY_ROWS');
    // An ordinary operation is still held to the body limit (100 KiB by default).
    const big = await api.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `# ${'x'.repeat(150_000)}\n{ __typename }` }),
    });
    expect(big.status).toBe(413);
    expect(await changes()).toBe(before);
  });
});
