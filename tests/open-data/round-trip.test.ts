// Open data through the front door: exports Excel opens in Japanese, imports with a dry run,
// and the round trip of Mitaka's FY2012 plans (export -> import changes nothing; one edited
// cell updates exactly that field; a wrong check digit is rejected and nothing is written).
import { execFileSync } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factories, tokenFor } from '../support/factories.ts';
import { type OpenDataApi, startOpenDataApi } from './support.ts';

const MITAKA_2012 = 'municipality=132047&fiscalYear=2012';
const BOM = '\uFEFF';

let api: OpenDataApi;
let planning: string;
let editor: string;
let admin: string;
let draftText: string;

interface Report {
  dryRun: boolean;
  applied: boolean;
  counts: Record<'created' | 'updated' | 'unchanged' | 'rejected', number>;
  rows: {
    row: number;
    outcome: string;
    key?: string;
    fields?: string[];
    issues?: { field: string; code: string; reason: string }[];
  }[];
}

async function download(path: string, token?: string) {
  const response = await api.fetch(path, { token });
  expect(response.status, await response.clone().text()).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

async function upload(
  entity: string,
  body: Buffer | string,
  query: string,
  token: string | null = planning,
) {
  const response = await api.fetch(`/import/${entity}?${query}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : new Uint8Array(body),
    token: token ?? undefined,
    headers: { 'content-type': 'application/octet-stream' },
  });
  return { status: response.status, body: (await response.json()) as any };
}

const changeCount = () => api.db.prisma.changeRecord.count();

beforeAll(async () => {
  api = await startOpenDataApi();
  const prisma = api.db.prisma;
  planning = await tokenFor(prisma, {
    name: '企画経営課',
    role: 'PLANNING',
    municipality: '132047',
  });
  admin = await tokenFor(prisma, { name: '管理者', role: 'ADMIN', municipality: '132047' });
  editor = await tokenFor(prisma, {
    name: '教育部',
    role: 'EDITOR',
    municipality: '132047',
    department: 'kyoiku',
  });
  // A draft the public must not get: FY2013 of 教育部.
  const kyoiku = await prisma.department.findFirstOrThrow({ where: { code: 'kyoiku' } });
  draftText = '下書きの個別事業(非公開)';
  await factories(prisma).plan(kyoiku.id, {
    fiscalYear: 2013,
    status: 'DRAFT',
    initiatives: [{ text: draftText }],
  });
}, 180_000); // a migrated, seeded database: slow on a busy machine

afterAll(async () => {
  await api?.close();
});

describe('exports', () => {
  it('a CSV of Mitaka FY2012 starts with a BOM and has its 24 initiatives in Japanese', async () => {
    const bytes = await download(`/export/initiatives.csv?${MITAKA_2012}`);
    const text = bytes.toString('utf8');
    expect(text.startsWith(BOM)).toBe(true);
    const rows = parse(text, { bom: true }) as string[][];
    expect(rows[0]).toEqual([
      'municipality',
      'department',
      'fiscalYear',
      'position',
      'text',
      'isAdministrativeReform',
      'footnotes',
      'citations',
    ]);
    expect(rows).toHaveLength(25);
    expect(rows.slice(1).every((row) => row[0] === '132047' && row[2] === '2012')).toBe(true);
    expect(text).toContain('事業継続計画[震災編]');
    // The ☞ flag and the ※ footnote.
    const reform = rows.filter((row) => row[5] === 'true');
    expect(reform.length).toBeGreaterThan(0);
    const footnoted = rows.find((row) => row[6]?.startsWith('['));
    expect(JSON.parse(footnoted?.[6] ?? '[]')).toEqual([
      '震災時に優先的に取り組む業務や必要な体制などを定めたもの。',
    ]);
  });

  it('the Shift_JIS variant decodes with iconv -f CP932 to the same text', async () => {
    const utf8 = (await download(`/export/initiatives.csv?${MITAKA_2012}`)).toString('utf8');
    const sjis = await download(`/export/initiatives.csv?${MITAKA_2012}&encoding=shift_jis`);
    expect(sjis.subarray(0, 3).equals(Buffer.from(BOM, 'utf8'))).toBe(false);
    const decoded = execFileSync('iconv', ['-f', 'CP932', '-t', 'UTF-8'], { input: sjis });
    // Characters outside CP932 (☞ is not in the source texts) would become "?".
    expect(decoded.toString('utf8')).toBe(utf8.slice(1));
  });

  it('the public gets published plans only; the planning section also gets drafts', async () => {
    const scope = 'municipality=132047&department=kyoiku';
    const anonymous = (await download(`/export/initiatives.jsonl?${scope}`)).toString('utf8');
    expect(anonymous).not.toContain(draftText);
    expect(anonymous.trim().split('\n')).toHaveLength(3);
    const staff = (await download(`/export/initiatives.jsonl?${scope}`, planning)).toString();
    expect(staff).toContain(draftText);
    const plans = JSON.parse((await download(`/export/plans.json?${scope}`)).toString('utf8')) as {
      fiscalYear: number;
      status: string;
      fiscalYearLabel: string;
    }[];
    expect(plans).toEqual([
      expect.objectContaining({
        fiscalYear: 2012,
        status: 'PUBLISHED',
        fiscalYearLabel: '平成24年度',
      }),
    ]);
  });

  it('JSON keeps types; XLSX keeps codes as text and Japanese headers on request', async () => {
    const json = JSON.parse(
      (await download(`/export/initiatives.json?${MITAKA_2012}`)).toString('utf8'),
    ) as Record<string, unknown>[];
    expect(json).toHaveLength(24);
    expect(json[0]).toMatchObject({ municipality: '132047', fiscalYear: 2012, position: 1 });
    expect(typeof json[0]?.isAdministrativeReform).toBe('boolean');
    const xlsx = await download(`/export/initiatives.xlsx?${MITAKA_2012}&header=ja`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.getRow(1).getCell(5).value).toBe('個別事業');
    expect(sheet?.rowCount).toBe(25);
    expect(sheet?.getRow(2).getCell(1).value).toBe('132047');
  });

  it('refuses what is not an export, with a code', async () => {
    const cases: [string, number, string][] = [
      ['/export/secrets.csv', 404, 'NOT_FOUND'],
      ['/export/plans.pdf', 400, 'BAD_USER_INPUT'],
      ['/export/plans.csv?fiscalYear=12', 400, 'FISCAL_YEAR_OUT_OF_RANGE'],
      ['/export/plans.csv?encoding=latin1', 400, 'BAD_USER_INPUT'],
    ];
    for (const [path, status, code] of cases) {
      const response = await api.fetch(path);
      expect(response.status, path).toBe(status);
      expect((await response.json()).errors[0].extensions.code).toBe(code);
    }
    const badToken = await api.fetch('/export/plans.csv', { token: 'hsn_nope_nope' });
    expect(badToken.status).toBe(401);
  });
});

describe('publication facts (the source’s closing notes)', () => {
  it('Mitaka FY2012: where the full text is read and which white paper reports FY2011', async () => {
    const data = await api.graphql(`{ planYear(municipality: "132047", fiscalYear: 2012) {
      fullTextMedia bookletDistributedAt bookletReadableAt evaluationReportsOn { label }
      evaluationWhitePaperTitle evaluationPublication evaluationMedia } }`);
    expect(data.planYear).toEqual({
      fullTextMedia: ['市ホームページ', '冊子'],
      bookletDistributedAt: ['相談・情報センター(市役所2階)', '市政窓口', '市民協働センター'],
      bookletReadableAt: ['図書館', '各コミュニティセンター'],
      evaluationReportsOn: { label: '平成23年度' },
      evaluationWhitePaperTitle: '三鷹市自治体経営白書2012',
      evaluationPublication: '2012-07',
      evaluationMedia: ['冊子', 'ホームページ'],
    });
    const [row] = JSON.parse(
      (await download(`/export/plan-years.json?${MITAKA_2012}`)).toString('utf8'),
    );
    expect(row).toMatchObject({
      municipality: '132047',
      fiscalYear: 2012,
      evaluationWhitePaperTitle: '三鷹市自治体経営白書2012',
      bookletReadableAt: ['図書館', '各コミュニティセンター'],
    });
    // Imports keep them: a changed date is checked and updated, a malformed one rejected.
    const edit = (value: string) => JSON.stringify({ ...row, evaluationPublication: value });
    const ok = await upload('plan-years', edit('2012-07-31'), 'format=jsonl&dryRun=true');
    expect(ok.body.report.rows[0]).toMatchObject({
      outcome: 'updated',
      fields: ['evaluationPublication'],
    });
    const bad = await upload('plan-years', edit('7月'), 'format=jsonl&dryRun=true');
    expect(bad.body.report.rows[0].issues[0]).toMatchObject({
      field: 'evaluationPublication',
      code: 'INVALID_FORMAT',
    });
  });
});

describe('the field dictionary', () => {
  it('lists every column of every export, in JSON, CSV and HTML', async () => {
    const dictionary = JSON.parse((await download('/export/dictionary.json')).toString()) as {
      columns: { entity: string; column: string; ja: string; en: string; apiField: string }[];
    };
    for (const entity of ['departments', 'plans', 'initiatives', 'evaluations', 'plan-years']) {
      const header = parse(
        (await download(`/export/${entity}.csv?municipality=132047`, planning)).toString(),
        { bom: true, to_line: 1 },
      )[0] as string[];
      const listed = dictionary.columns.filter((c) => c.entity === entity).map((c) => c.column);
      expect(header, entity).toEqual(listed);
      const japanese = parse(
        (await download(`/export/${entity}.csv?municipality=132047&header=ja`)).toString(),
        { bom: true, to_line: 1 },
      )[0] as string[];
      expect(japanese).toEqual(
        dictionary.columns.filter((c) => c.entity === entity).map((c) => c.ja),
      );
    }
    const byKey = dictionary.columns.find((c) => c.entity === 'plans' && c.column === 'mission');
    expect(byKey).toMatchObject({
      ja: '部の使命・目標に関する認識',
      sourceTerm: '① 部の使命・目標に関する認識',
    });
    const reform = dictionary.columns.find((c) => c.column === 'isAdministrativeReform');
    expect(reform).toMatchObject({ sourceTerm: '☞ 行革推進事業' });
    const csv = (await download('/export/dictionary.csv')).toString('utf8');
    expect(csv.startsWith(BOM)).toBe(true);
    expect(parse(csv, { bom: true })).toHaveLength(dictionary.columns.length + 1);
    const html = (await download('/export/dictionary.html')).toString('utf8');
    for (const column of dictionary.columns)
      expect(html).toContain(`<code>${column.column}</code>`);
  });
});

describe('imports', () => {
  it('re-importing the export is a no-op: a dry run reports 24 unchanged initiatives', async () => {
    const csv = await download(`/export/initiatives.csv?${MITAKA_2012}`);
    const before = await changeCount();
    const { status, body } = await upload('initiatives', csv, 'format=csv&dryRun=true');
    expect(status).toBe(200);
    const report = body.report as Report;
    expect(report.counts).toEqual({ created: 0, updated: 0, unchanged: 24, rejected: 0 });
    expect(report.rows.map((r) => r.row)).toEqual(Array.from({ length: 24 }, (_, i) => i + 2));
    expect(report.rows[0]?.key).toBe('132047/kikaku/2012/1');
    // Applying it changes nothing either.
    const applied = await upload('initiatives', csv, 'format=csv');
    expect(applied.body.report).toMatchObject({ applied: true, counts: { unchanged: 24 } });
    expect(await changeCount()).toBe(before);
  });

  it('every format round-trips for every entity', async () => {
    for (const entity of ['departments', 'plans', 'initiatives', 'evaluations', 'plan-years']) {
      for (const format of ['csv', 'xlsx', 'json', 'jsonl']) {
        const file = await download(`/export/${entity}.${format}?municipality=132047`, planning);
        // Departments are written by admins, as through the API.
        const token = entity === 'departments' ? admin : planning;
        const { status, body } = await upload(entity, file, `format=${format}&dryRun=1`, token);
        expect(status, `${entity}.${format}: ${JSON.stringify(body)}`).toBe(200);
        const counts = (body.report as Report).counts;
        expect(counts.created + counts.updated + counts.rejected, `${entity}.${format}`).toBe(0);
      }
    }
    const sjis = await download(`/export/initiatives.csv?${MITAKA_2012}&encoding=shift_jis`);
    const { body } = await upload('initiatives', sjis, 'format=csv&encoding=shift_jis&dryRun');
    expect((body.report as Report).counts.unchanged).toBe(24);
  });

  it('an edited cell updates exactly that field, with one change record; twice is idempotent', async () => {
    const rows = parse((await download(`/export/initiatives.csv?${MITAKA_2012}`)).toString(), {
      bom: true,
    }) as string[][];
    const edited = rows.map((row) => [...row]);
    const target = edited[5] as string[];
    const original = target[4] as string;
    // With a trailing space, as a spreadsheet may leave it: stored as the API stores text.
    target[4] = `${original}(改訂) `;
    const file = `${BOM}${edited.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
    const dry = (await upload('initiatives', file, 'dryRun=true')).body.report as Report;
    expect(dry.counts).toEqual({ created: 0, updated: 1, unchanged: 23, rejected: 0 });
    expect(dry.rows.find((r) => r.outcome === 'updated')).toMatchObject({
      row: 6,
      fields: ['text'],
    });

    const before = await changeCount();
    const applied = await upload('initiatives', file, '');
    expect(applied.status).toBe(200);
    expect(applied.body.report.applied).toBe(true);
    const changes = await api.db.prisma.changeRecord.findMany({
      where: { id: { gt: BigInt(0) } },
      orderBy: { id: 'desc' },
      take: 1,
    });
    expect(await changeCount()).toBe(before + 1);
    expect(changes[0]?.changes).toEqual({
      text: { before: original, after: `${original}(改訂)` },
    });
    const stored = await api.graphql(
      `{ initiatives(filter: { municipality: "132047", fiscalYear: 2012, department: "${target[1]}" }, first: 20) { edges { node { position text } } } }`,
    );
    const node = stored.initiatives.edges.find(
      (e: { node: { position: number } }) => e.node.position === Number(target[3]),
    ).node;
    expect(node.text).toBe(`${original}(改訂)`);

    const again = (await upload('initiatives', file, '')).body.report as Report;
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 24, rejected: 0 });
    expect(await changeCount()).toBe(before + 1);
  });

  it('a wrong check digit is rejected with its row and reason, and nothing is written', async () => {
    const rows = parse((await download(`/export/initiatives.csv?${MITAKA_2012}`)).toString(), {
      bom: true,
    }) as string[][];
    (rows[3] as string[])[0] = '132048';
    (rows[4] as string[])[4] = '書き換え';
    const file = rows.map((row) => row.map(csvCell).join(',')).join('\n');
    const before = await changeCount();
    const { status, body } = await upload('initiatives', file, '');
    expect(status).toBe(422);
    expect(body.errors[0].extensions.code).toBe('IMPORT_REJECTED');
    const report = body.report as Report;
    expect(report.applied).toBe(false);
    expect(report.counts).toMatchObject({ rejected: 1, updated: 1 });
    expect(report.rows.find((r) => r.outcome === 'rejected')).toEqual({
      row: 4,
      outcome: 'rejected',
      issues: [
        {
          field: 'municipality',
          code: 'CHECK_DIGIT',
          reason: 'municipality: 132048: the check digit (6th digit) does not match the first five',
        },
      ],
    });
    expect(await changeCount()).toBe(before);
    const exported = (await download(`/export/initiatives.csv?${MITAKA_2012}`)).toString();
    expect(exported).not.toContain('書き換え');
  });

  it('checks values as the API does and creates rows in order', async () => {
    const header =
      'municipality,department,fiscalYear,position,text,isAdministrativeReform,footnotes,citations';
    const lines = [
      header,
      '132047,kyoiku,2012,4,新しい事業,false,,', // created: the next position
      '132047,kyoiku,2012,9,飛んだ番号,false,,', // a gap
      '132047,kyoiku,1700,1,古すぎる,false,,', // year out of range
      '132047,nothing,2012,1,部がない,false,,',
      '132047,kyoiku,2012,1,"",maybe,not json,',
      '132047,kyoiku,2012,4,同じ行,false,,', // the same key twice
    ];
    const report = (await upload('initiatives', lines.join('\n'), 'dryRun=true')).body
      .report as Report;
    const byRow = Object.fromEntries(report.rows.map((r) => [r.row, r]));
    expect(byRow[2]).toMatchObject({ outcome: 'created' });
    // The service's code: addInitiative answers the same for position 9 of 4.
    expect(byRow[3]?.issues?.[0]).toMatchObject({ field: 'position', code: 'TOO_BIG' });
    expect(byRow[4]?.issues?.[0]).toMatchObject({ field: 'fiscalYear', code: 'NOT_FOUND' });
    expect(byRow[5]?.issues?.[0]).toMatchObject({ field: 'fiscalYear', code: 'NOT_FOUND' });
    expect(byRow[5]?.issues?.[0]?.reason).toContain('132047/nothing/2012');
    expect(byRow[6]?.issues?.map((i) => i.code)).toEqual([
      'REQUIRED',
      'NOT_ALLOWED',
      'INVALID_LIST',
    ]);
    expect(byRow[7]?.issues?.[0]).toMatchObject({ code: 'DUPLICATE' });
    // A dry run wrote nothing.
    const count = await api.db.prisma.initiative.count({ where: { text: '新しい事業' } });
    expect(count).toBe(0);
  });

  it('needs a token; which rows it may change is the services’ decision, row by row', async () => {
    const csv = await download(`/export/initiatives.csv?${MITAKA_2012}`);
    expect((await upload('initiatives', csv, 'dryRun=true', null)).status).toBe(401);
    // Rows equal to what is stored ask for no write, so for no right.
    const unchanged = await upload('initiatives', csv, 'dryRun=true', editor);
    expect(unchanged.status).toBe(200);
    expect((unchanged.body.report as Report).counts.unchanged).toBe(24);
    // Every row edited: 教育部's editor may not change published plans, even its own;
    // another city's planning section may not change Mitaka's.
    const rows = parse(csv.toString(), { bom: true }) as string[][];
    const edited = rows.map((row, i) =>
      i === 0 ? row : row.map((c, j) => (j === 4 ? `${c}。` : c)),
    );
    const file = edited.map((row) => row.map(csvCell).join(',')).join('\n');
    const other = await factories(api.db.prisma).municipality();
    const otherPlanning = await tokenFor(api.db.prisma, {
      name: '他市',
      role: 'PLANNING',
      municipality: other.code,
    });
    for (const token of [editor, otherPlanning]) {
      const { status, body } = await upload('initiatives', file, 'dryRun=true', token);
      expect(status).toBe(200);
      expect((body.report as Report).counts.rejected).toBe(24);
      expect((body.report as Report).rows[0]?.issues?.[0]?.code).toBe('FORBIDDEN');
    }
  });

  it('refuses a header that names no column, before reading rows', async () => {
    const { status, body } = await upload('initiatives', 'municipality,colour\n132047,red\n', '');
    expect(status).toBe(400);
    expect(body.errors[0].message).toContain('"colour" is not a column of initiatives');
  });
});

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
