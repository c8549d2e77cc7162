// Japanese search as people type it: full-width/half-width forms, hiragana/katakana and case do
// not matter, several words must all occur, each result says where it matched, and what is
// stored is never altered.

import { initiativeSearchForm, searchForm } from '@hoshin/server/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startTestApi, type TestApi } from '../support/api.ts';
import { factories, tokenFor } from '../support/factories.ts';

let api: TestApi;
let planning: string;
let community: { id: number; version: number };
let draftPlan: { id: number; version: number };

const CITY = '990151';

beforeAll(async () => {
  api = await startTestApi();
  const make = factories(api.db.prisma);
  const city = await make.municipality({ code: CITY, name: '検索市' });
  const soumu = await make.department(city.id, { code: 'soumu', name: '総務部', displayOrder: 1 });
  const kikaku = await make.department(city.id, {
    code: 'kikaku',
    name: '企画部',
    displayOrder: 2,
  });
  const plan = await make.plan(soumu.id, {
    fiscalYear: 2012,
    initiatives: [
      { text: 'コミュニティ・センターの改修を進めます。' },
      { text: '2013年度に向けて（仮称）市民会館を設計します。' },
      { text: '防災計画を改定します。' },
      { text: '地域の防災訓練を行います。', footnotes: ['避難所運営の計画を含む。'] },
      {
        text: 'ITの活用で窓口を改善します。',
        evaluation: { rating: 'ACHIEVED', summary: 'ﾃﾞｼﾞﾀﾙ窓口を全庁に広げた。' },
      },
      { text: '手数料を100%見直します。' },
      { text: 'file_name を統一します。' },
    ],
  });
  community = plan.initiatives[0] as { id: number; version: number };
  await api.db.prisma.departmentPlan.update({
    where: { id: plan.id },
    data: { mission: '市民の安全を守ります。', policy: '第４次基本計画に沿って防災を進めます。' },
  });
  draftPlan = await make.plan(kikaku.id, {
    fiscalYear: 2012,
    status: 'DRAFT',
    initiatives: [{ text: 'コミュニティ交通の下書きです。' }],
  });
  planning = await tokenFor(api.db.prisma, {
    role: 'PLANNING',
    municipality: CITY,
    name: '企画経営課',
  });
});
afterAll(() => api.close());

async function initiativeTexts(search: string, token?: string): Promise<string[]> {
  const response = await api.query(
    `query ($search: String!, $city: String!) {
      initiatives(filter: { municipality: $city, search: $search }) {
        totalCount
        edges { node { text } }
      }
    }`,
    { search, city: CITY },
    token,
  );
  expect(response.errors).toBeUndefined();
  const texts = response.data?.initiatives.edges.map((e: any) => e.node.text) ?? [];
  expect(response.data?.initiatives.totalCount).toBe(texts.length);
  return texts;
}

describe('initiative search', () => {
  it('finds コミュニティ from half-width ｺﾐｭﾆﾃｨ and from hiragana, and returns the text as stored', async () => {
    for (const search of ['ｺﾐｭﾆﾃｨ', 'コミュニティ', 'こみゅにてぃ']) {
      expect(await initiativeTexts(search)).toEqual(['コミュニティ・センターの改修を進めます。']);
    }
  });

  it('finds 2013 from full-width ２０１３, （仮称） from (仮称), IT from ｉｔ', async () => {
    const expected = ['2013年度に向けて（仮称）市民会館を設計します。'];
    expect(await initiativeTexts('２０１３')).toEqual(expected);
    expect(await initiativeTexts('(仮称)')).toEqual(expected);
    expect(await initiativeTexts('ｉｔ')).toEqual(['ITの活用で窓口を改善します。']);
  });

  it('with several words, finds the initiatives containing every one, in text or footnotes', async () => {
    const both = ['防災計画を改定します。', '地域の防災訓練を行います。'];
    expect(await initiativeTexts('防災 計画')).toEqual(both);
    // A full-width space separates words too.
    expect(await initiativeTexts('防災　計画')).toEqual(both);
    expect(await initiativeTexts('防災 改定')).toEqual(['防災計画を改定します。']);
    expect(await initiativeTexts('防災 存在しない語')).toEqual([]);
  });

  it('treats % and _ as the characters they are', async () => {
    expect(await initiativeTexts('%')).toEqual(['手数料を100%見直します。']);
    expect(await initiativeTexts('_')).toEqual(['file_name を統一します。']);
    expect(await initiativeTexts('e_n')).toEqual(['file_name を統一します。']);
    expect(await initiativeTexts('e%n')).toEqual([]);
  });

  it('says which field matched, with a snippet of the stored text and the match marked', async () => {
    const { data, errors } = await api.query(
      `{ initiatives(filter: { municipality: "${CITY}", search: "ｺﾐｭﾆﾃｨ" }) {
        edges { matches { field index text snippet { text isMatch } } }
      } }`,
    );
    expect(errors).toBeUndefined();
    expect(data?.initiatives.edges[0].matches).toEqual([
      {
        field: 'INITIATIVE_TEXT',
        index: null,
        text: 'コミュニティ・センターの改修を進めます。',
        snippet: [
          { text: 'コミュニティ', isMatch: true },
          { text: '・センターの改修を進めます。', isMatch: false },
        ],
      },
    ]);

    const footnote = await api.query(
      `{ initiatives(filter: { municipality: "${CITY}", search: "訓練 避難所" }) {
        edges { matches { field index snippet { text isMatch } } }
      } }`,
    );
    expect(footnote.data?.initiatives.edges[0].matches).toEqual([
      {
        field: 'INITIATIVE_TEXT',
        index: null,
        snippet: [
          { text: '地域の防災', isMatch: false },
          { text: '訓練', isMatch: true },
          { text: 'を行います。', isMatch: false },
        ],
      },
      {
        field: 'INITIATIVE_FOOTNOTE',
        index: 0,
        snippet: [
          { text: '避難所', isMatch: true },
          { text: '運営の計画を含む。', isMatch: false },
        ],
      },
    ]);
  });

  it('leaves matches empty when the list was not searched', async () => {
    const { data } = await api.query(
      `{ initiatives(filter: { municipality: "${CITY}" }, first: 1) { edges { matches { field } } } }`,
    );
    expect(data?.initiatives.edges[0].matches).toEqual([]);
  });

  it('never finds a draft for the public, and finds it for the planning section', async () => {
    expect(await initiativeTexts('コミュニティ交通')).toEqual([]);
    expect(await initiativeTexts('こみゅにてぃ', planning)).toEqual([
      'コミュニティ・センターの改修を進めます。',
      'コミュニティ交通の下書きです。',
    ]);
  });

  it('follows writes: an edited text is found by its new words and no longer by the old', async () => {
    const id = Buffer.from(`Initiative:${community.id}`).toString('base64');
    const result = await api.as(planning).query(
      `mutation ($input: UpdateInitiativeInput!) {
        updateInitiative(input: $input) { __typename }
      }`,
      { input: { id, expectedVersion: community.version, text: 'スポーツ施設の改修を進めます。' } },
    );
    expect(result.data?.updateInitiative.__typename).toBe('UpdateInitiativeSuccess');
    expect(await initiativeTexts('ｽﾎﾟｰﾂ')).toEqual(['スポーツ施設の改修を進めます。']);
    expect(await initiativeTexts('ｺﾐｭﾆﾃｨ')).toEqual([]);
  });

  it('follows publication: the public finds the initiatives of a plan once it is published, in its year only, and no longer once unpublished', async () => {
    const id = Buffer.from(`DepartmentPlan:${draftPlan.id}`).toString('base64');
    const inYear = async (fiscalYear: number) => {
      const { data, errors } = await api.query(
        `query ($city: String!, $year: Int!) {
          initiatives(filter: { municipality: $city, fiscalYear: $year, search: "交通" }) {
            totalCount edges { node { text } }
          }
        }`,
        { city: CITY, year: fiscalYear },
      );
      expect(errors).toBeUndefined();
      return [data?.initiatives.totalCount, data?.initiatives.edges.map((e: any) => e.node.text)];
    };
    const write = async (mutation: 'publishPlan' | 'unpublishPlan', expectedVersion: number) => {
      const result = await api.as(planning).query(
        `mutation ($input: PlanVersionInput!) {
          ${mutation}(input: $input) { __typename ... on ${mutation === 'publishPlan' ? 'PublishPlanSuccess' : 'UnpublishPlanSuccess'} { plan { version } } }
        }`,
        { input: { id, expectedVersion } },
      );
      expect(result.errors).toBeUndefined();
      return result.data?.[mutation].plan.version as number;
    };
    expect(await inYear(2012)).toEqual([0, []]);
    const published = await write('publishPlan', draftPlan.version);
    expect(await inYear(2012)).toEqual([1, ['コミュニティ交通の下書きです。']]);
    expect(await inYear(2013)).toEqual([0, []]);
    draftPlan.version = await write('unpublishPlan', published);
    expect(await inYear(2012)).toEqual([0, []]);
  });

  it('refuses an empty, oversized or many-word search with BAD_USER_INPUT', async () => {
    const q = `query ($s: String!) { initiatives(filter: { search: $s }) { totalCount } }`;
    for (const s of ['　 ', 'あ'.repeat(101), 'a b c d e f g h i']) {
      expect(errorCodes(await api.query(q, { s }))).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe('plan and evaluation search', () => {
  it('finds plans by mission or policy, and says which', async () => {
    const { data, errors } = await api.query(
      `{ plans(filter: { municipality: "${CITY}" }, search: "第4次 防災") {
        totalCount edges { node { department { code } policy } matches { field text } }
      } }`,
    );
    expect(errors).toBeUndefined();
    expect(data?.plans.totalCount).toBe(1);
    expect(data?.plans.edges[0].node.policy).toBe('第４次基本計画に沿って防災を進めます。');
    expect(data?.plans.edges[0].matches).toEqual([
      { field: 'PLAN_POLICY', text: '第４次基本計画に沿って防災を進めます。' },
    ]);
  });

  it('finds evaluations by summary (デジタル from half-width ﾃﾞｼﾞﾀﾙ)', async () => {
    const { data, errors } = await api.query(
      `{ evaluations(filter: { municipality: "${CITY}" }, search: "デジタル") {
        totalCount edges { node { summary } matches { field snippet { text isMatch } } }
      } }`,
    );
    expect(errors).toBeUndefined();
    expect(data?.evaluations.totalCount).toBe(1);
    expect(data?.evaluations.edges[0].matches[0]).toEqual({
      field: 'EVALUATION_SUMMARY',
      snippet: [
        { text: 'ﾃﾞｼﾞﾀﾙ', isMatch: true },
        { text: '窓口を全庁に広げた。', isMatch: false },
      ],
    });
  });
});

describe('the search form', () => {
  // Queries are normalised in TypeScript, rows by the database: both must agree on every text.
  const alphabet = [
    ...'ｱｶﾞｺﾐｭﾆﾃｨﾊﾟﾞﾟｰ･アガヴヷヽヾゝゞぁゖ',
    ...'０１２ＡＺａｚAZaz（）％＿＼　 ',
    ...'㍻㈱①ⅫﬁÄäΣσ漢字',
    '\u3099',
    '\u0301',
  ];
  it('is the same in TypeScript and in the database', async () => {
    const texts = fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }).map((c) => c.join(''));
    await fc.assert(
      fc.asyncProperty(texts, async (text) => {
        const rows = await api.db.prisma.$queryRaw<{ form: string }[]>`
          SELECT hoshin_search_form(${text}) AS form`;
        expect(rows[0]?.form).toBe(searchForm(text));
      }),
      { numRuns: 200, verbose: true },
    );
  });

  it("is the same for an initiative's text and footnotes in TypeScript and in the database", async () => {
    // An import writes the form it computes (initiativeSearchForm) and the row's trigger then
    // trusts it: it must be the trigger's hoshin_initiative_search_form, footnotes or none.
    const texts = fc.array(fc.constantFrom(...alphabet), { maxLength: 8 }).map((c) => c.join(''));
    await fc.assert(
      fc.asyncProperty(texts, fc.array(texts, { maxLength: 3 }), async (text, footnotes) => {
        const rows = await api.db.prisma.$queryRaw<{ form: string }[]>`
          SELECT hoshin_initiative_search_form(${text}, ${footnotes}::text[]) AS form`;
        expect(rows[0]?.form).toBe(initiativeSearchForm(text, footnotes));
      }),
      { numRuns: 200, verbose: true },
    );
  });

  it('gives the two-character index every pair of neighbouring characters, in order', async () => {
    // hoshin_bigrams() is the expression of an index: a new body must answer exactly the old.
    const texts = fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }).map((c) => c.join(''));
    await fc.assert(
      fc.asyncProperty(texts, async (text) => {
        const rows = await api.db.prisma.$queryRaw<{ pieces: string[] }[]>`
          SELECT hoshin_bigrams(${text}) AS pieces`;
        const characters = [...text];
        expect(rows[0]?.pieces).toEqual(characters.slice(1).map((c, i) => characters[i] + c));
      }),
      { numRuns: 200, verbose: true },
    );
  });
});
