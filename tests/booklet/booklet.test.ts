// The booklet from the data: Mitaka's FY2012 page 各部の運営方針と目標, generated as HTML at
// /booklet/132047/2012.html, reads word for word like the source document (the text a reader
// gets in Chromium, compared line by line with whitespace normalised), and its PDF
// (/booklet/132047/2012.pdf, printed by Debian's Chromium) carries embedded Japanese fonts
// and the same text (extracted with poppler's pdftotext). With UPDATE_SCREENSHOTS=1 the page's
// screenshot is saved as docs/screenshots/booklet-2012.png.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { type Browser, chromiumAvailable, launchBrowser, screenshot } from '../support/browser.ts';
import {
  firstLineMissing,
  normalisedLines,
  pdftotext,
  readerText,
  sourceLines,
} from './support.ts';

const root = resolve(import.meta.dirname, '../..');

const runBrowser = chromiumAvailable();

let api: TestApi;
let browser: Browser;
let base: string;

beforeAll(async () => {
  api = await startTestApi({ seed: true });
  // The server's own address, as a reader's browser would reach it.
  const probe = await api.fetch('/booklet/132047/2012.html');
  base = new URL(probe.url).origin;
  await probe.arrayBuffer();
  if (runBrowser) browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

describe('the booklet page 各部の運営方針と目標 (HTML)', () => {
  it('is served at a stable URL as public, cacheable, script-free HTML', async () => {
    const response = await api.fetch('/booklet/132047/2012.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const etag = response.headers.get('etag');
    const html = await response.text();
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('@page { size: A4;');
    expect(html).not.toContain('<script');
    const again = await api.fetch('/booklet/132047/2012.html', {
      headers: { 'if-none-match': etag ?? '' },
    });
    expect(again.status).toBe(304);
  });

  it('answers 404 for a year without published plans and 400 for a year out of range', async () => {
    const none = await api.fetch('/booklet/132047/2013.html');
    expect(none.status).toBe(404);
    expect((await none.json()).errors[0].extensions.code).toBe('NOT_FOUND');
    const out = await api.fetch('/booklet/132047/1800.html');
    expect(out.status).toBe(400);
    expect((await out.json()).errors[0].extensions.code).toBe('FISCAL_YEAR_OUT_OF_RANGE');
    const noWhitePaper = await api.fetch('/booklet/132047/2012/white-paper.html');
    expect(noWhitePaper.status).toBe(404);
  });

  it.skipIf(!runBrowser)(
    'reads word for word like the source document (Mitaka FY2012)',
    async () => {
      const page = await browser.newPage();
      await page.setViewportSize({ width: 900, height: 1200 });
      await page.goto(`${base}/booklet/132047/2012.html`);
      const text = await readerText(page);
      expect(normalisedLines(text)).toEqual(await sourceLines());

      // The marks and structure are there for assistive technology too.
      expect(await page.getByRole('heading', { level: 2 }).count()).toBe(8);
      expect(await page.getByRole('img', { name: '行革推進事業' }).count()).toBe(4);
      expect(await page.getByRole('note').allInnerTexts()).toEqual([
        '※震災時に優先的に取り組む業務や必要な体制などを定めたもの。',
      ]);
      expect(await page.getByRole('figure').locator('li').allInnerTexts()).toEqual([
        '① 部の使命・目標に関する認識',
        '② 部の経営資源(職員数・予算規模)',
        '③ 今年度の実施方針と個別事業',
      ]);

      await screenshot(page, 'booklet-2012');
      if (process.env.UPDATE_SCREENSHOTS === '1') {
        mkdirSync(resolve(root, 'docs/screenshots'), { recursive: true });
        await page.screenshot({
          path: resolve(root, 'docs/screenshots/booklet-2012.png'),
          fullPage: true,
        });
      }
      await page.close();
    },
  );
});

describe('the booklet page of a year whose plans state ① ② ③', () => {
  it('shows them per department, escapes the data, and drops the first-year ☞ sentence', async () => {
    const prisma = api.db.prisma;
    const kyoiku = await prisma.department.findFirstOrThrow({ where: { code: 'kyoiku' } });
    // Scenario data (never in the seed): a FY2013 plan with mission, resources and policy.
    await prisma.departmentPlan.create({
      data: {
        departmentId: kyoiku.id,
        fiscalYear: 2013,
        status: 'PUBLISHED',
        publishedAt: new Date('2013-05-01T00:00:00Z'),
        mission: '学びのまちを<つくる>',
        staffCount: 120,
        budgetYen: 3_500_000_000n,
        policy: '小・中一貫教育を進めます。',
        initiatives: {
          create: [
            { position: 1, text: 'A & B <script>alert(1)</script>', isAdministrativeReform: true },
          ],
        },
      },
    });
    const response = await api.fetch('/booklet/132047/2013.html');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(
      '<dt>① 部の使命・目標に関する認識</dt><dd>学びのまちを&lt;つくる&gt;</dd>',
    );
    expect(html).toContain(
      '<dt>② 部の経営資源</dt><dd>職員数 120人、予算規模 3,500,000,000円</dd>',
    );
    expect(html).toContain('<dt>③ 今年度の実施方針</dt><dd>小・中一貫教育を進めます。</dd>');
    expect(html).toContain('☞</span>A &amp; B &lt;script&gt;alert(1)&lt;/script&gt;</li>');
    expect(html).not.toContain('<script>');
    // FY2012 already had ☞ projects: FY2013 does not introduce them.
    expect(html).not.toContain('特に今年度は');
    expect(html).toContain('<span>平成</span><span>25年度</span>');
  });
});

describe("the white paper's evaluation section", () => {
  it('shows the published evaluations of the year, by department, with ☞ and ※, and no draft', async () => {
    const prisma = api.db.prisma;
    const mitaka = await prisma.municipality.findUniqueOrThrow({ where: { code: '132047' } });
    // Scenario data (not in the seed): the white paper on FY2012, published, with evaluations
    // of 総務部's projects (one with a ※ note, one ☞) and a draft one that must not show.
    const paper = await prisma.whitePaper.create({
      data: {
        municipalityId: mitaka.id,
        title: '三鷹市自治体経営白書2013',
        publicationDate: '2013-07',
        reportsOnFiscalYear: 2012,
        publishedAt: new Date('2013-07-01T00:00:00Z'),
      },
    });
    const somu = await prisma.initiative.findMany({
      where: {
        plan: { fiscalYear: 2012, department: { code: 'somu', municipalityId: mitaka.id } },
      },
      orderBy: { position: 'asc' },
    });
    const [discussion, continuity, roster] = somu as [
      (typeof somu)[0],
      (typeof somu)[0],
      (typeof somu)[0],
    ];
    await prisma.evaluation.createMany({
      data: [
        {
          initiativeId: continuity.id,
          rating: 'ACHIEVED',
          progressPercent: 100,
          summary: '事業継続推進本部を設置し、訓練を実施した。',
          decision: 'CONTINUE',
          status: 'PUBLISHED',
          whitePaperId: paper.id,
        },
        {
          initiativeId: roster.id,
          rating: 'MOSTLY_ACHIEVED',
          summary: '名簿を作成した。',
          decision: 'COMPLETE',
          status: 'PUBLISHED',
          whitePaperId: paper.id,
        },
        {
          initiativeId: discussion.id,
          rating: 'NOT_ACHIEVED',
          summary: '下書きの評価',
          status: 'DRAFT',
          whitePaperId: paper.id,
        },
      ],
    });
    const response = await api.fetch('/booklet/132047/2012/white-paper.html');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1>平成24年度「各部の運営方針と目標」の達成状況</h1>');
    expect(html).toContain('<caption>総務部</caption>');
    expect(html).toContain(
      '<td>達成</td><td>100%</td><td>事業継続推進本部を設置し、訓練を実施した。</td><td>継続</td>',
    );
    expect(html).toContain(
      '<p class="footnote" role="note">※震災時に優先的に取り組む業務や必要な体制などを定めたもの。</p>',
    );
    expect(html).toContain('aria-label="行革推進事業">☞</span>平成22年度に作成した');
    expect(html).toContain('☞</span>…行革推進事業(行財政改革の視点から取り組む重点的な事業)');
    expect(html).toContain(
      '<p class="contact" aria-label="問い合わせ先">☎企画経営課 ☎内線2150</p>',
    );
    expect(html).not.toContain('下書きの評価');
    expect(html).not.toContain(discussion.text);
  });
});

describe.skipIf(!runBrowser)('the booklet as PDF', () => {
  it('is A4 with embedded Japanese fonts, and its text reads like the source', async () => {
    const response = await api.fetch('/booklet/132047/2012.pdf');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Kept beside the screenshots for a look (test-results/ is not committed).
    const dir = resolve(root, 'test-results/booklet');
    mkdirSync(dir, { recursive: true });
    {
      const file = join(dir, 'booklet-2012.pdf');
      await writeFile(file, pdf);
      // A4, tagged (structure for assistive technology), titled.
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      expect(info).toMatch(/Page size:.*\(A4\)/);
      expect(info).toMatch(/Tagged:\s+yes/);
      expect(info).toContain('平成24年度「各部の運営方針と目標」 三鷹市');
      // Every font embedded (a subset), at least one of them a Japanese one.
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2);
      const rows = fonts.filter((row) => row.trim().length > 0);
      expect(rows.length).toBeGreaterThan(0);
      // pdffonts' columns end: emb sub uni object ID. Chromium draws a few symbols as Type 3
      // glyph procedures, which are in the file by definition (emb yes, sub no).
      for (const row of rows) {
        expect(/\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/.exec(row)?.[1], row).toBe('yes');
      }
      console.log(`booklet PDF fonts:\n${rows.join('\n')}`);
      expect(
        rows.some((row) => /IPA|Gothic|CJK/i.test(row)),
        fonts.join('\n'),
      ).toBe(true);
      // The text: each line of the source appears in the PDF's text, in order.
      expect(firstLineMissing(pdftotext(file), await sourceLines())).toBeNull();
    }
  });
});
