// Open data is read and written faithfully or not at all (issue 25, item 6): an import whose
// bytes are not in the declared encoding is refused, naming the encoding it looks like; a
// Shift_JIS export of text CP932 cannot hold lists the cells instead of writing `?`; dryRun
// takes the usual spellings of true and false and refuses anything else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factories, tokenFor } from '../support/factories.ts';
import { type OpenDataApi, startOpenDataApi } from './support.ts';

const MITAKA_2012 = 'municipality=132047&fiscalYear=2012';

let api: OpenDataApi;
let planning: string;

async function download(path: string) {
  const response = await api.fetch(path, { token: planning });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

async function upload(entity: string, body: Buffer | string, query: string) {
  const response = await api.fetch(`/import/${entity}?${query}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : new Uint8Array(body),
    token: planning,
  });
  return { status: response.status, body: (await response.json()) as any };
}

const changeCount = () => api.db.prisma.changeRecord.count();

beforeAll(async () => {
  api = await startOpenDataApi();
  planning = await tokenFor(api.db.prisma, {
    name: '企画経営課',
    role: 'PLANNING',
    municipality: '132047',
  });
}, 180_000);

afterAll(async () => {
  await api?.close();
});

describe('an import in the wrong encoding is refused, never read as U+FFFD', () => {
  it('a Shift_JIS file sent as UTF-8 is refused, naming Shift_JIS and the parameter to add', async () => {
    const sjis = (await download(`/export/initiatives.csv?${MITAKA_2012}&encoding=shift_jis`))
      .bytes;
    // Edited, so that reading it as UTF-8 (with U+FFFD) would be an "update" of every row.
    const before = await changeCount();
    for (const dryRun of ['true', 'false']) {
      const { status, body } = await upload('initiatives', sjis, `format=csv&dryRun=${dryRun}`);
      expect(status).toBe(400);
      expect(body.errors[0].extensions.code).toBe('INVALID_ENCODING');
      expect(body.errors[0].message).toMatch(/not valid UTF-8 \(line 2\): it looks like Shift_JIS/);
      expect(body.errors[0].message).toContain('encoding=shift_jis');
    }
    expect(await changeCount()).toBe(before);
    // With the parameter it is the same file as the UTF-8 export: nothing to change.
    const { body } = await upload('initiatives', sjis, 'format=csv&encoding=shift_jis&dryRun');
    expect(body.report.counts).toMatchObject({ unchanged: 24, rejected: 0 });
  });

  it('a UTF-8 file sent as Shift_JIS is refused too (it would be mojibake)', async () => {
    const utf8 = (await download(`/export/initiatives.csv?${MITAKA_2012}`)).bytes;
    const { status, body } = await upload('initiatives', utf8, 'encoding=shift_jis&dryRun=1');
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('INVALID_ENCODING');
    expect(body.errors[0].message).toMatch(/UTF-8/);
  });

  it('bytes of neither, and JSON that is not UTF-8, are refused with the line', async () => {
    const header = 'municipality,department,fiscalYear,position,text\n';
    const garbage = Buffer.concat([
      Buffer.from(`${header}132047,kyoiku,2012,1,`),
      Buffer.from([0xff, 0xfe, 0xfd, 0x0a]),
    ]);
    const csv = await upload('initiatives', garbage, 'dryRun=true');
    expect(csv.status).toBe(400);
    expect(csv.body.errors[0].message).toMatch(/not valid UTF-8 \(line 2\).*save it as UTF-8/);
    // 教育 in Shift_JIS.
    const json = Buffer.concat([
      Buffer.from('[{"municipality":"132047","text":"'),
      Buffer.from([0x8b, 0xb3, 0x88, 0xe7]),
      Buffer.from('"}]'),
    ]);
    const refused = await upload('initiatives', json, 'format=json&dryRun=true');
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions.code).toBe('INVALID_ENCODING');
  });
});

describe('a Shift_JIS export holds every character or names the ones it cannot', () => {
  it('lists the rows and columns of 𠮷 and emoji (422), never writes them as ?', async () => {
    const prisma = api.db.prisma;
    const department = await factories(prisma).department(
      (await prisma.municipality.findUniqueOrThrow({ where: { code: '132047' } })).id,
      { code: 'sjis-test' },
    );
    await factories(prisma).plan(department.id, {
      fiscalYear: 2012,
      initiatives: [{ text: '𠮷野家の前の道路' }, { text: '普通の事業' }, { text: '絵文字😀と〜' }],
    });
    const query = 'municipality=132047&fiscalYear=2012&department=sjis-test';
    const utf8 = await download(`/export/initiatives.csv?${query}`);
    expect(utf8.bytes.toString('utf8')).toContain('𠮷野家');
    const sjis = await download(`/export/initiatives.csv?${query}&encoding=shift_jis`);
    expect(sjis.status).toBe(422);
    const error = JSON.parse(sjis.bytes.toString('utf8')).errors[0];
    expect(error.extensions.code).toBe('UNENCODABLE_CHARACTERS');
    expect(error.extensions.count).toBe(2);
    expect(error.extensions.cells).toEqual([
      { row: 2, key: '132047/sjis-test/2012/1', column: 'text', characters: ['𠮷'] },
      { row: 4, key: '132047/sjis-test/2012/3', column: 'text', characters: ['😀', '〜'] },
    ]);
    expect(error.message).toContain('UTF-8');
  });
});

describe('dryRun', () => {
  it('takes the usual spellings of true and false, in any case, and refuses the rest', async () => {
    const csv = (await download(`/export/initiatives.csv?${MITAKA_2012}`)).bytes;
    for (const spelling of ['true', 'TRUE', 'True', '1', 'yes', 'YES', 'on', 'On', '']) {
      const { status, body } = await upload('initiatives', csv, `dryRun=${spelling}`);
      expect(status, spelling).toBe(200);
      expect(body.report.dryRun, spelling).toBe(true);
      expect(body.report.applied, spelling).toBe(false);
    }
    for (const spelling of ['false', 'FALSE', '0', 'no', 'Off']) {
      const { status, body } = await upload('initiatives', csv, `dryRun=${spelling}`);
      expect(status, spelling).toBe(200);
      expect(body.report.dryRun, spelling).toBe(false);
      expect(body.report.applied, spelling).toBe(true);
    }
    for (const spelling of ['maybe', 'ture', '2']) {
      const { status, body } = await upload('initiatives', csv, `dryRun=${spelling}`);
      expect(status, spelling).toBe(400);
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors[0].message).toContain(`dryRun must be true or false`);
    }
  });
});
