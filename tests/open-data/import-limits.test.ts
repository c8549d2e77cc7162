// A spreadsheet is a zip: a small upload can expand to hundreds of MiB of XML. The import reads
// an XLSX through once, counting, before it parses it (read.ts, XLSX_LIMITS), and refuses one
// beyond a bound with a code, having held no more than a chunk of it (issue 30, item 1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor } from '../support/factories.ts';
import { type OpenDataApi, startOpenDataApi } from './support.ts';
import { repeated, rowXml, xlsxOf } from './xlsx-bomb.ts';

const MAX_ROWS = 1000;
const HEADER = rowXml(1, ['municipality', 'department', 'fiscalYear', 'position', 'text']);
const MiB = 2 ** 20;

let api: OpenDataApi;
let planning: string;

beforeAll(async () => {
  api = await startOpenDataApi({ maxImportRows: MAX_ROWS });
  planning = await tokenFor(api.db.prisma, {
    name: '企画経営課',
    role: 'PLANNING',
    municipality: '132047',
  });
}, 120_000);

afterAll(async () => {
  await api?.close();
});

/** Uploads the file as a dry run; answers the status, the body and the peak memory growth. */
async function importXlsx(file: Buffer) {
  const start = process.memoryUsage().rss;
  let peak = start;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    const response = await api.fetch('/import/initiatives?format=xlsx&dryRun', {
      method: 'POST',
      body: new Uint8Array(file),
      token: planning,
      headers: { 'content-type': 'application/octet-stream' },
    });
    return {
      status: response.status,
      body: (await response.json()) as any,
      grewMiB: (Math.max(peak, process.memoryUsage().rss) - start) / MiB,
    };
  } finally {
    clearInterval(sampler);
  }
}

const code = (body: any) => body.errors?.[0]?.extensions?.code;

describe('an XLSX import is bounded', () => {
  it('reads a small spreadsheet as before', async () => {
    const file = await xlsxOf([
      Buffer.from(HEADER),
      Buffer.from(rowXml(2, ['132047', 'kyoiku', '2012', '1', '学力向上'])),
    ]);
    const { status, body } = await importXlsx(file);
    expect(status).toBe(200);
    expect(body.report.dryRun).toBe(true);
    expect(body.report.rows).toHaveLength(1);
    expect(body.report.rows[0].key).toBe('132047/kyoiku/2012/1');
  });

  it('refuses a 1 MiB file whose one cell expands to 400 MiB, without holding it', async () => {
    const file = await xlsxOf([
      Buffer.from(HEADER),
      Buffer.from('<row r="2"><c t="inlineStr"><is><t>'),
      ...repeated('a', 400 * MiB),
      Buffer.from('</t></is></c></row>'),
    ]);
    expect(file.length).toBeLessThan(MiB);
    const { status, body, grewMiB } = await importXlsx(file);
    expect([status, code(body)]).toEqual([413, 'SPREADSHEET_TOO_LARGE']);
    expect(body.errors[0].message).toMatch(/a text or tag of more than 1 MiB/);
    // The cell read as a string would take 400 MiB or more.
    expect(grewMiB).toBeLessThan(150);
  }, 120_000);

  it('refuses one that expands beyond 128 MiB in cells of ordinary size', async () => {
    const cell = `<c t="inlineStr"><is><t>${'b'.repeat(2000)}</t></is></c>`;
    function* rows() {
      yield Buffer.from(HEADER);
      // 200 rows of 400 cells of 2 KB: 160 MiB of XML, within the row and cell bounds.
      for (let n = 2; n < 202; n++) yield Buffer.from(`<row r="${n}">${cell.repeat(400)}</row>`);
    }
    const file = await xlsxOf(rows());
    const { status, body, grewMiB } = await importXlsx(file);
    expect([status, code(body)]).toEqual([413, 'SPREADSHEET_TOO_LARGE']);
    expect(body.errors[0].message).toMatch(/expands to more than 128 MiB/);
    expect(grewMiB).toBeLessThan(150);
  }, 120_000);

  it('counts empty rows against the row limit, and caps the cells of a row', async () => {
    function* emptyRows() {
      yield Buffer.from(HEADER);
      for (let n = 2; n < MAX_ROWS + 3; n++) yield Buffer.from(`<row r="${n}"/>`);
    }
    const rows = await importXlsx(await xlsxOf(emptyRows()));
    expect([rows.status, code(rows.body)]).toEqual([413, 'TOO_MANY_ROWS']);

    const wide = await importXlsx(
      await xlsxOf([Buffer.from(HEADER), Buffer.from(`<row r="2">${'<c/>'.repeat(16_385)}</row>`)]),
    );
    expect([wide.status, code(wide.body)]).toEqual([413, 'SPREADSHEET_TOO_LARGE']);
    expect(wide.body.errors[0].message).toMatch(/more than 16384 cells/);
  }, 120_000);

  it('refuses what is not a zip with a code', async () => {
    const { status, body } = await importXlsx(Buffer.from('municipality,department\n'));
    expect([status, code(body)]).toEqual([400, 'BAD_USER_INPUT']);
  });
});
