// The booklet as HTML: the newsletter page 各部の運営方針と目標 and the white paper's evaluation
// section, generated from the data (booklet.data.ts). Accessible (lang, landmarks, headings,
// list semantics, named marks) and printable (A4 print CSS; booklet.pdf.ts prints it). The
// terms of the ①②③ structure and the ☞ / ※ marks come from the schema's field facts; the
// page's standing prose is the page's template and lives here, once.
import { builtObjectType, columnFields } from '../../graphql/fields.ts';
import { fiscalYear } from '../fiscal-year/fiscal-year.ts';
import { LABELS } from '../labels/labels.type.ts';
import type {
  BookletEvaluationSection,
  BookletInitiative,
  BookletPlanPage,
} from './booklet.data.ts';
import { resourceFields } from './booklet.data.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Every text from the data goes through here: the page is built from strings. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** The open-data facts (Japanese term, source mark) of a type's fields, by field name. */
function termsOf(typeName: string): Map<string, { ja: string; sourceTerm?: string }> {
  const terms = new Map<string, { ja: string; sourceTerm?: string }>();
  for (const field of columnFields(builtObjectType(typeName))) {
    if (field.openData) terms.set(field.name, field.openData);
  }
  return terms;
}

/** The ①②③ structure and the marks, as the schema names them. */
function structureTerms() {
  const plan = termsOf('DepartmentPlan');
  const initiative = termsOf('Initiative');
  const term = (map: typeof plan, name: string) => {
    const found = map.get(name);
    if (!found) throw new Error(`booklet: the schema has no open-data term for ${name}`);
    return found;
  };
  const figures = resourceFields();
  const resources = (figures[0]?.sourceTerm ?? '').replace(/^②\s*/, '').split(':')[0]?.trim() ?? '';
  const reform = term(initiative, 'isAdministrativeReform');
  const project = LABELS.SearchField?.find(([value]) => value === 'INITIATIVE_TEXT')?.[1] ?? '';
  return {
    mission: term(plan, 'mission').ja,
    /** The ② figures' names, e.g. 職員数, 予算規模. */
    figures: figures.map((f) => f.ja),
    resources,
    policy: term(plan, 'policy').ja,
    project,
    reform: reform.ja,
    reformMark: (reform.sourceTerm ?? '☞').split(/\s/)[0] ?? '☞',
    footnoteMark: term(initiative, 'footnotes').sourceTerm ?? '※',
  };
}

const PRINT_CSS = `
@page { size: A4; margin: 14mm 12mm 16mm; }
:root { color: #1a1a1a; background: #fff; }
body { margin: 0 auto; max-width: 186mm; padding: 12px;
  font-family: "IPAGothic", "IPAexGothic", "Noto Sans CJK JP", "Hiragino Sans", sans-serif;
  font-size: 10.5pt; line-height: 1.65; }
header.masthead { display: grid; grid-template-columns: auto 1fr; gap: 4px 16px; align-items: center;
  border-bottom: 3px solid #2b6b3f; padding-bottom: 6px; }
.kicker { grid-column: 1 / -1; margin: 0; font-size: 10pt; color: #2b6b3f; font-weight: bold; }
.year { margin: 0; display: flex; flex-direction: column; align-items: center; justify-content: center;
  width: 4.2em; height: 4.2em; border-radius: 50%; background: #2b6b3f; color: #fff; font-weight: bold;
  line-height: 1.2; }
.year span { display: block; }
h1 { margin: 0; font-size: 18pt; }
.lead p { margin: 0.5em 0; text-indent: 1em; }
.facts { display: flex; flex-wrap: wrap; gap: 4px 24px; align-items: baseline; margin: 8px 0; }
.contact { margin: 0; padding: 2px 8px; border: 1px solid #2b6b3f; border-radius: 4px; }
.legend { margin: 0; }
figure.structure { margin: 8px 0; padding: 6px 8px; border: 1px solid #999; border-radius: 4px;
  break-inside: avoid; }
figure.structure ol { list-style: none; margin: 0 0 4px; padding: 0; display: grid; gap: 3px; }
figure.structure li { border: 1px solid #2b6b3f; padding: 2px 8px; border-radius: 3px; }
figure.structure figcaption { font-weight: bold; text-align: center; }
.departments { columns: 2; column-gap: 8mm; }
.department { break-inside: avoid; margin: 0 0 10px; }
.department h2 { font-size: 12pt; margin: 6px 0 2px; padding: 1px 6px; background: #e3efe6;
  border-left: 5px solid #2b6b3f; }
.department dl { margin: 0 0 4px; }
.department dt { font-weight: bold; }
.department dd { margin: 0 0 2px 1em; }
.department ul { margin: 0; padding-left: 1.2em; }
.department li { margin: 2px 0; }
.mark { font-weight: bold; color: #8a3b00; }
.footnote { margin: 0; font-size: 9pt; list-style: none; }
.notes { border-top: 1px solid #999; margin-top: 8px; padding-top: 4px; }
.notes p { margin: 0.3em 0; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 10px; }
caption { text-align: left; font-weight: bold; font-size: 12pt; }
th, td { border: 1px solid #999; padding: 3px 5px; vertical-align: top; text-align: left; }
thead th { background: #e3efe6; }
tr { break-inside: avoid; }
@media print {
  body { padding: 0; max-width: none; }
  a { color: inherit; text-decoration: none; }
}
`;

function document(options: {
  title: string;
  description: string;
  municipality: string;
  issued: string | null;
  body: string;
}): string {
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<meta name="description" content="${escapeHtml(options.description)}">
<meta name="author" content="${escapeHtml(options.municipality)}">
${options.issued ? `<meta name="dcterms.issued" content="${escapeHtml(options.issued)}">\n` : ''}<meta name="generator" content="hoshin">
<style>${PRINT_CSS}</style>
</head>
<body>
${options.body}
</body>
</html>
`;
}

/** "市ホームページ・冊子"-style lists: the source's joiners, from the data's items. */
const joined = (items: readonly string[], by: string) => items.map(escapeHtml).join(by);

/** "2012-07" -> 7月, "2012-07-31" -> 7月31日 (the notice is read within its own year). */
function monthDay(iso: string): string {
  const [, month, day] = iso.split('-');
  return `${Number(month)}月${day ? `${Number(day)}日` : ''}`;
}

function initiativeItem(
  initiative: BookletInitiative,
  terms: ReturnType<typeof structureTerms>,
): string {
  const mark = initiative.isAdministrativeReform
    ? `<span class="mark" role="img" aria-label="${escapeHtml(terms.reform)}">${escapeHtml(terms.reformMark)}</span>`
    : '';
  const item = `<li>${mark}${escapeHtml(initiative.text)}</li>`;
  // The source prints each ※ note as its own line under the project it explains.
  const notes = initiative.footnotes.map(
    (note) =>
      `<li class="footnote" role="note">${escapeHtml(terms.footnoteMark)}${escapeHtml(note)}</li>`,
  );
  return [item, ...notes].join('\n');
}

/** The 各部の運営方針と目標 page of a newsletter, for one municipality and fiscal year. */
export function renderPlanPage(page: BookletPlanPage): string {
  const terms = structureTerms();
  const fy = page.fiscalYear;
  const eraLabel = fy.label.slice(0, fy.era.name.length);
  const yearLabel = fy.label.slice(fy.era.name.length);
  const hasReform = page.departments.some((d) =>
    d.initiatives.some((i) => i.isAdministrativeReform),
  );
  const m = page.municipality;

  const lead = [
    `「各部の運営方針と目標」は、「施政方針」などに掲げる事業の実現を目指し、各部が主体的に取り組むための「部の経営の全体構想」を示すものです。①「${escapeHtml(terms.mission)}」を明確にし、②${escapeHtml(terms.figures.join('、'))}など「${escapeHtml(terms.resources)}」を踏まえ、③「${escapeHtml(terms.policy)}と${escapeHtml(terms.project)}」を設定しています(右図)。${
      page.reformIntroducedThisYear
        ? `特に今年度は、${escapeHtml(terms.project)}の中に「${escapeHtml(terms.reform)}」を位置付け、重点的に取り組むこととしました。`
        : ''
    }`,
    'また、年度終了後はその達成状況を「自治体経営白書」の中で公表し、検証結果を次の取り組みに反映させています。',
    `今号では、${escapeHtml(fy.label)}「各部の運営方針と目標」の中から、各部が重点的に取り組む主な「${escapeHtml(terms.project)}」の概要を紹介します。`,
  ];

  const contact =
    m.contactSection || m.contactExtension
      ? `<p class="contact" aria-label="問い合わせ先">${[
          m.contactSection && `<span>☎${escapeHtml(m.contactSection)}</span>`,
          m.contactExtension && `<span>☎内線${escapeHtml(m.contactExtension)}</span>`,
        ]
          .filter(Boolean)
          .join(' ')}</p>`
      : '';
  const legend = hasReform
    ? `<p class="legend"><span class="mark" aria-hidden="true">${escapeHtml(terms.reformMark)}</span>…${escapeHtml(terms.reform)}(行財政改革の視点から取り組む重点的な事業)</p>`
    : '';

  // The figure (右図): the ①②③ structure. The newsletter's transcript names only its caption.
  const figure = `<figure class="structure" aria-labelledby="structure-caption">
<ol data-source-figure>
<li>① ${escapeHtml(terms.mission)}</li>
<li>② ${escapeHtml(terms.resources)}(${escapeHtml(terms.figures.join('・'))})</li>
<li>③ ${escapeHtml(terms.policy)}と${escapeHtml(terms.project)}</li>
</ol>
<figcaption id="structure-caption">各部の運営方針と目標の構成</figcaption>
</figure>`;

  const departments = page.departments
    .map((d, index) => {
      // ① and ② and the ③ policy, where the plan states them (the newsletter page does not).
      const parts: string[] = [];
      if (d.mission)
        parts.push(`<dt>① ${escapeHtml(terms.mission)}</dt><dd>${escapeHtml(d.mission)}</dd>`);
      if (d.resources.length > 0) {
        const figures = d.resources.map(
          (r) => `${escapeHtml(r.term)} ${r.value.toLocaleString('ja-JP')}${escapeHtml(r.unit)}`,
        );
        parts.push(`<dt>② ${escapeHtml(terms.resources)}</dt><dd>${figures.join('、')}</dd>`);
      }
      if (d.policy)
        parts.push(`<dt>③ ${escapeHtml(terms.policy)}</dt><dd>${escapeHtml(d.policy)}</dd>`);
      const id = `department-${index + 1}`;
      return `<section class="department" aria-labelledby="${id}">
<h2 id="${id}">${escapeHtml(d.name)}</h2>
${parts.length > 0 ? `<dl>${parts.join('')}</dl>\n` : ''}<ul aria-label="${escapeHtml(terms.project)}">
${d.initiatives.map((i) => initiativeItem(i, terms)).join('\n')}
</ul>
</section>`;
    })
    .join('\n');

  const n = page.notes;
  const notes: string[] = [];
  if (n && n.fullTextMedia.length > 0) {
    let text = `◆「各部の運営方針と目標」の全文は、${joined(n.fullTextMedia, '・')}で閲覧できます。`;
    if (n.bookletDistributedAt.length > 0) {
      text += `冊子は、${joined(n.bookletDistributedAt, '、')}で配布するほか、`;
      text +=
        n.bookletReadableAt.length > 0
          ? `${joined(n.bookletReadableAt, '、')}でも閲覧できます。`
          : '';
    }
    notes.push(`${text}ご意見、ご感想などをお寄せください。`);
  }
  if (n?.evaluationReportsOnFiscalYear && n.evaluationWhitePaperTitle && n.evaluationPublication) {
    notes.push(
      `◆${escapeHtml(fiscalYear(n.evaluationReportsOnFiscalYear).label)}「各部の運営方針と目標」の達成状況は、${monthDay(n.evaluationPublication)}に発行する「${escapeHtml(n.evaluationWhitePaperTitle)}」の${joined(n.evaluationMedia.length > 0 ? n.evaluationMedia : ['冊子'], 'や')}に掲載する予定です。`,
    );
  }

  const body = `<header class="masthead">
<p class="kicker">各部の取り組みを紹介します</p>
<p class="year" aria-label="${escapeHtml(fy.label)}"><span>${escapeHtml(eraLabel)}</span><span>${escapeHtml(yearLabel)}</span></p>
<h1>「各部の運営方針と目標」を策定しました</h1>
</header>
<main>
<div class="lead">
${lead.map((p) => `<p>${p}</p>`).join('\n')}
</div>
<div class="facts">
${contact}
${legend}
</div>
${figure}
<div class="departments">
${departments}
</div>
</main>
${notes.length > 0 ? `<footer class="notes">\n${notes.map((p) => `<p>${p}</p>`).join('\n')}\n</footer>` : ''}`;

  return document({
    title: `${fy.label}「各部の運営方針と目標」 ${m.name}`,
    description: `${m.name}の${fy.label}「各部の運営方針と目標」(各部の主な個別事業)`,
    municipality: m.name,
    issued: page.publishedAt?.toISOString().slice(0, 10) ?? null,
    body,
  });
}

const label = (enumName: string, value: string | null) =>
  value === null ? '' : (LABELS[enumName]?.find(([v]) => v === value)?.[1] ?? value);

/** The white paper's section on the achievements (達成状況) of one fiscal year's goals. */
export function renderEvaluationSection(section: BookletEvaluationSection): string {
  const terms = structureTerms();
  const fy = section.fiscalYear;
  const m = section.municipality;
  const hasReform = section.departments.some((d) =>
    d.evaluations.some((e) => e.isAdministrativeReform),
  );
  const tables = section.departments
    .map(
      (d) => `<table>
<caption>${escapeHtml(d.name)}</caption>
<thead><tr><th scope="col">${escapeHtml(terms.project)}</th><th scope="col">達成状況</th><th scope="col">進捗</th><th scope="col">評価の内容</th><th scope="col">次年度の方向</th></tr></thead>
<tbody>
${d.evaluations
  .map(
    (e) =>
      `<tr><th scope="row">${
        e.isAdministrativeReform
          ? `<span class="mark" role="img" aria-label="${escapeHtml(terms.reform)}">${escapeHtml(terms.reformMark)}</span>`
          : ''
      }${escapeHtml(e.text)}${e.footnotes
        .map(
          (f) =>
            `<p class="footnote" role="note">${escapeHtml(terms.footnoteMark)}${escapeHtml(f)}</p>`,
        )
        .join(
          '',
        )}</th><td>${escapeHtml(e.rating ? label('AchievementRating', e.rating) : '—')}</td><td>${
        e.progressPercent === null ? '' : `${e.progressPercent}%`
      }</td><td>${escapeHtml(e.summary ?? '')}</td><td>${escapeHtml(label('NextYearDecision', e.decision))}</td></tr>`,
  )
  .join('\n')}
</tbody>
</table>`,
    )
    .join('\n');
  const contact = [
    m.contactSection && `☎${escapeHtml(m.contactSection)}`,
    m.contactExtension && `☎内線${escapeHtml(m.contactExtension)}`,
  ]
    .filter(Boolean)
    .join(' ');
  const body = `<header class="masthead">
<p class="kicker">${escapeHtml(section.whitePaper.title)}</p>
<h1>${escapeHtml(fy.label)}「各部の運営方針と目標」の達成状況</h1>
</header>
<main>
<div class="facts">
${contact ? `<p class="contact" aria-label="問い合わせ先">${contact}</p>` : ''}
${
  hasReform
    ? `<p class="legend"><span class="mark" aria-hidden="true">${escapeHtml(terms.reformMark)}</span>…${escapeHtml(terms.reform)}(行財政改革の視点から取り組む重点的な事業)</p>`
    : ''
}
</div>
${tables}
</main>
<footer class="notes"><p>${escapeHtml(m.name)}「${escapeHtml(section.whitePaper.title)}」(${escapeHtml(section.whitePaper.publicationDate)}発行)${
    section.whitePaper.url
      ? ` <a href="${escapeHtml(section.whitePaper.url)}">${escapeHtml(section.whitePaper.url)}</a>`
      : ''
  }</p></footer>`;
  return document({
    title: `${section.whitePaper.title} ${fy.label}「各部の運営方針と目標」の達成状況`,
    description: `${m.name}の${fy.label}「各部の運営方針と目標」の達成状況(${section.whitePaper.title})`,
    municipality: m.name,
    issued: section.whitePaper.publicationDate,
    body,
  });
}
