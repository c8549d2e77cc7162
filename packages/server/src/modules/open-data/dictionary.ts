// The field dictionary (データ項目定義): every column of every export, generated from the
// column definitions the exporters and importers use, as JSON, CSV and an HTML page.
import { stringify } from 'csv-stringify/sync';
import type { Cell } from './columns.ts';
import { COLUMNS, ENTITY_LABELS, ENTITY_NAMES, type EntityName } from './columns.ts';
import { CSV_OPTIONS, csvCell } from './spreadsheet.ts';

export interface DictionaryEntry {
  entity: EntityName;
  column: string;
  ja: string;
  en: string;
  type: string;
  unit: string | null;
  allowedValues: string[] | null;
  sourceTerm: string | null;
  apiField: string;
  description: string;
  identifiesRow: boolean;
  nullable: boolean;
  importable: boolean;
  maxLength: number | null;
  min: number | null;
  max: number | null;
}

export function dictionary(): DictionaryEntry[] {
  return ENTITY_NAMES.flatMap((entity) =>
    COLUMNS[entity].map((c) => ({
      entity,
      column: c.key,
      ja: c.ja,
      en: c.en,
      type: c.type,
      unit: c.unit ?? null,
      allowedValues: c.allowed ? [...c.allowed] : null,
      sourceTerm: c.sourceTerm ?? null,
      apiField: c.apiField,
      description: c.description,
      identifiesRow: c.key_ === true,
      nullable: c.nullable === true,
      importable: c.exportOnly !== true,
      maxLength: c.maxLength ?? null,
      min: c.min ?? null,
      max: c.max ?? null,
    })),
  );
}

export function dictionaryJson(): string {
  return `${JSON.stringify(
    {
      entities: ENTITY_NAMES.map((name) => ({ name, ...ENTITY_LABELS[name] })),
      columns: dictionary(),
    },
    null,
    2,
  )}\n`;
}

const CSV_FIELDS: (keyof DictionaryEntry)[] = [
  'entity',
  'column',
  'ja',
  'en',
  'type',
  'unit',
  'allowedValues',
  'sourceTerm',
  'apiField',
  'description',
  'identifiesRow',
  'nullable',
  'importable',
  'maxLength',
  'min',
  'max',
];

/** UTF-8 with a byte-order mark, like the exports. */
export function dictionaryCsv(): string {
  const rows = dictionary().map((entry) =>
    CSV_FIELDS.map((field) => {
      const value = entry[field] as Cell | undefined;
      return csvCell(Array.isArray(value) ? value.join(' | ') : (value ?? null));
    }),
  );
  return stringify([CSV_FIELDS, ...rows], { bom: true, ...CSV_OPTIONS });
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** The dictionary's tables, one per entity (also the body of the datasets' landing pages). */
export function dictionarySections(): string {
  return ENTITY_NAMES.map((entity) => {
    const label = ENTITY_LABELS[entity];
    const rows = dictionary()
      .filter((entry) => entry.entity === entity)
      .map(
        (e) =>
          `<tr><td><code>${escapeHtml(e.column)}</code></td><td>${escapeHtml(e.ja)}</td><td>${escapeHtml(e.en)}</td><td>${escapeHtml(e.type)}${e.nullable ? '' : ' (required)'}</td><td>${escapeHtml(e.unit ?? '')}</td><td>${escapeHtml(e.allowedValues?.join(', ') ?? '')}</td><td>${escapeHtml(e.sourceTerm ?? '')}</td><td><code>${escapeHtml(e.apiField)}</code></td><td>${escapeHtml(e.description)}${e.importable ? '' : ' (export only)'}${e.identifiesRow ? ' (identifies the row)' : ''}</td></tr>`,
      )
      .join('\n');
    return `<h2 id="${entity}">${escapeHtml(label.ja)} / ${escapeHtml(label.en)} <small><code>/export/${entity}.csv</code></small></h2>
<table>
<thead><tr><th>列 column</th><th>項目名</th><th>name</th><th>型 type</th><th>単位 unit</th><th>値 allowed</th><th>原文 source</th><th>API</th><th>説明 description</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
  }).join('\n');
}

export function dictionaryHtml(): string {
  const sections = dictionarySections();
  return `<!doctype html>
<html lang="ja">
<head><meta charset="utf-8"><title>hoshin データ項目定義 / field dictionary</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}</style>
</head>
<body>
<h1>データ項目定義 / Field dictionary</h1>
<p>Every column of the open-data exports (CSV, XLSX, JSON, JSON Lines), the API field it mirrors and the term of the source document (各部の運営方針と目標). Also as <a href="/export/dictionary.json">JSON</a> and <a href="/export/dictionary.csv">CSV</a>.</p>
${sections}
</body>
</html>
`;
}
