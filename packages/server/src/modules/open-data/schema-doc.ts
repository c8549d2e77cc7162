// The normative part of docs/open-data-schema.md: every Table Schema and the code lists, as
// generated from the column definitions. The script scripts/open-data-schema.ts writes it
// between the document's markers; a test checks the committed document is current.
import { getNamedType, isEnumType } from 'graphql';
import { builtObjectType } from '../../graphql/fields.ts';
import { LABELS } from '../labels/labels.type.ts';
import { COLUMNS, ENTITY_LABELS, ENTITY_NAMES } from './columns.ts';
import { machineSchema, readableSchema } from './table-schema.ts';

export const BEGIN = '<!-- table-schemas:begin (generated: pnpm docs:open-data-schema) -->';
export const END = '<!-- table-schemas:end -->';

/** The enums the columns use, with their labels (the readable files' values). */
function codeLists(): string {
  const used = new Map<string, string[]>();
  for (const entity of ENTITY_NAMES) {
    for (const column of COLUMNS[entity]) {
      if (column.type !== 'enum') continue;
      const [typeName = '', fieldName = ''] = column.apiField.split('.');
      const type = builtObjectType(typeName).getFields()[fieldName]?.type;
      const named = type && getNamedType(type);
      if (!named || !isEnumType(named)) continue;
      used.set(named.name, [...(used.get(named.name) ?? []), `${entity}.${column.key}`]);
    }
  }
  return [...used]
    .map(([name, columns]) => {
      const rows = (LABELS[name] ?? [])
        .map(([value, ja, en]) => `- \`${value}\`: ${ja} (${en})`)
        .join('\n');
      // A list, not a table: the formatter would realign a table and the check would fail.
      return `#### ${name} (${columns.map((c) => `\`${c}\``).join(', ')})\n\ncode: 表示名 in readable files (English label)\n\n${rows}`;
    })
    .join('\n\n');
}

export function normativeSection(): string {
  const schemas = ENTITY_NAMES.map((entity) => {
    const label = ENTITY_LABELS[entity];
    return `### ${label.ja} / ${label.en}: \`${entity}\`, \`${entity}-readable\`

\`\`\`json
${JSON.stringify(machineSchema(entity), null, 2)}
\`\`\`

<details><summary>Readable variant (<code>${entity}-readable</code>)</summary>

\`\`\`json
${JSON.stringify(readableSchema(entity), null, 2)}
\`\`\`

</details>`;
  }).join('\n\n');
  return `${BEGIN}

${schemas}

### Code lists

${codeLists()}

${END}`;
}

/** The document with its normative section replaced by the current one. */
export function withNormativeSection(document: string): string {
  const start = document.indexOf(BEGIN);
  const end = document.indexOf(END);
  if (start < 0 || end < start) throw new Error('docs/open-data-schema.md has no schema markers');
  return `${document.slice(0, start)}${normativeSection()}${document.slice(end + END.length)}`;
}
