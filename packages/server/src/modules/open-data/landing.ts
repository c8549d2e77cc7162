// The dataset's landing page (DCAT's dcat:landingPage, CKAN's url): what the dataset is, under
// which licence, who answers questions, its files in both variants, the package and catalogue
// documents, its feeds, and the field dictionary (every column) as the body.
import { fiscalYear as fiscalYearOf } from '../fiscal-year/fiscal-year.ts';
import {
  type DatasetFacts,
  datasetText,
  datasetUrl,
  dcatDataset,
  fileName,
  resourceName,
  VARIANTS,
} from './catalogue.ts';
import { ENTITY_LABELS, ENTITY_NAMES } from './columns.ts';
import { dictionarySections, escapeHtml } from './dictionary.ts';
import { feedPath } from './feeds.ts';

/** JSON inside <script>: no `</script>` or `<!--` can end it early. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export function landingHtml(facts: DatasetFacts): string {
  const text = datasetText(facts);
  const folder = datasetUrl(facts, facts.year);
  const feed = `${facts.base}${feedPath({ municipality: facts.code, year: facts.year })}`;
  const link = (href: string, label: string) =>
    `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;
  const files = ENTITY_NAMES.map((entity) => {
    const cells = VARIANTS.map((variant) =>
      (['csv', 'xlsx', 'json', 'jsonl'] as const)
        .map((format) =>
          link(`${folder}/${fileName({ entity, variant, format })}`, format.toUpperCase()),
        )
        .join(' '),
    );
    return `<tr><td>${escapeHtml(ENTITY_LABELS[entity].ja)} / ${escapeHtml(ENTITY_LABELS[entity].en)} <code>${escapeHtml(resourceName(entity, 'machine'))}</code></td><td>${cells.join('</td><td>')}</td></tr>`;
  }).join('\n');
  const years = facts.years
    .map((year) =>
      year === facts.year
        ? `<strong>${escapeHtml(fiscalYearOf(year).label)}</strong>`
        : link(`${datasetUrl(facts, year)}/`, fiscalYearOf(year).label),
    )
    .join(' ');
  return `<!doctype html>
<html lang="ja">
<head><meta charset="utf-8"><title>${escapeHtml(text.title)}</title>
<link rel="alternate" type="application/atom+xml" title="公表のお知らせ (Atom)" href="${escapeHtml(feed)}">
<link rel="describedby" type="application/json" href="${escapeHtml(`${folder}/datapackage.json`)}">
<link rel="alternate" type="application/ld+json" href="${escapeHtml(`${datasetUrl(facts)}/catalog.jsonld`)}">
<script type="application/ld+json">${scriptJson({ '@context': { dcat: 'http://www.w3.org/ns/dcat#', dct: 'http://purl.org/dc/terms/', foaf: 'http://xmlns.com/foaf/0.1/', vcard: 'http://www.w3.org/2006/vcard/ns#', xsd: 'http://www.w3.org/2001/XMLSchema#' }, ...dcatDataset(facts) })}</script>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}dt{font-weight:bold}</style>
</head>
<body>
<h1>${escapeHtml(text.title)}</h1>
<p lang="en">${escapeHtml(text.titleEn)}</p>
<p>${escapeHtml(text.description)}</p>
<p lang="en">${escapeHtml(text.descriptionEn)}</p>
<dl>
<dt>公開者 Publisher</dt><dd>${escapeHtml(facts.prefecture)}${escapeHtml(facts.name)} (${escapeHtml(facts.code)})</dd>
<dt>問い合わせ先 Contact</dt><dd>${escapeHtml(text.contact)}</dd>
<dt>ライセンス Licence</dt><dd>${link(facts.licence.url, facts.licence.title)}</dd>
<dt>対象期間 Period</dt><dd>${text.temporal ? `${escapeHtml(text.temporal.start)} – ${escapeHtml(text.temporal.end)}` : ''}</dd>
<dt>更新頻度 Update frequency</dt><dd>年1回 (annual), 公表のたび</dd>
<dt>最終更新 Modified</dt><dd>${escapeHtml(facts.modified.toISOString())}</dd>
<dt>年度 Years</dt><dd>${link(`${datasetUrl(facts)}/`, '全年度 all years')} ${years}</dd>
<dt>メタデータ Metadata</dt><dd>${link(`${folder}/datapackage.json`, 'datapackage.json (Frictionless)')} · ${link(`${folder}/dcat.jsonld`, 'DCAT (JSON-LD)')} · ${link(`${folder}/ckan.json`, 'CKAN package')} · ${link(`${datasetUrl(facts)}/catalog.jsonld`, 'DCAT catalogue')}</dd>
<dt>お知らせ Feeds</dt><dd>${link(feed, '公表のお知らせ (Atom)')}; 部ごと: <code>${escapeHtml(datasetUrl(facts))}/departments/&lt;部コード&gt;/feed.atom</code></dd>
</dl>
<h2>ファイル Files</h2>
<p>機械判読用はコード・ISO 8601 (UTC)、閲覧用は日本語の表示名・その年度の部名・☞ ※・「、」区切り・日本時間の日付 (XLSX では日付セル)。CSV は UTF-8 (BOM なし)。Excel では XLSX をお使いください。</p>
<table>
<thead><tr><th>データ</th><th>機械判読用 machine-readable</th><th>閲覧用 readable</th></tr></thead>
<tbody>
${files}
</tbody>
</table>
<h2>データ項目定義 / Field dictionary</h2>
<p>The readable files' columns are the same, under their Japanese names. Also as ${link('/export/dictionary.json', 'JSON')} and ${link('/export/dictionary.csv', 'CSV')}.</p>
${dictionarySections()}
</body>
</html>
`;
}
