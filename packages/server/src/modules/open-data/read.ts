// Reading an import file: CSV (UTF-8 with or without BOM, or CP932), XLSX, JSON (an array)
// or JSON Lines, into records keyed by column. Headers may be the column keys or their
// Japanese names (both as exported). Row numbers are the ones a spreadsheet shows: the
// header is row 1 in CSV and XLSX; in JSON and JSON Lines the first record is row 1.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { COLUMNS, type EntityName } from './columns.ts';
import type { CsvEncoding, ExportFormat } from './export.ts';
import { csvText } from './spreadsheet.ts';

export interface SourceRecord {
  row: number;
  cells: Record<string, unknown>;
}

/** The whole file is unusable (unknown columns, not the format it claims). */
export class ImportFileError extends Error {}

/** Maps a header to column keys; throws on a header that names no column. */
export function mapHeader(entity: EntityName, header: unknown[]): string[] {
  const byName = new Map<string, string>();
  for (const column of COLUMNS[entity]) {
    byName.set(column.key, column.key);
    byName.set(column.ja, column.key);
  }
  const keys = header.map((name) => {
    const key = byName.get(String(name ?? '').trim());
    if (!key) throw new ImportFileError(`Row 1: "${String(name)}" is not a column of ${entity}`);
    return key;
  });
  const missing = COLUMNS[entity].filter((c) => c.key_ && !keys.includes(c.key)).map((c) => c.key);
  if (missing.length > 0) {
    throw new ImportFileError(`Row 1: the columns ${missing.join(', ')} identify rows; add them`);
  }
  return keys;
}

export async function* readRecords(
  input: Readable,
  entity: EntityName,
  format: ExportFormat,
  encoding: CsvEncoding = 'utf-8',
): AsyncGenerator<SourceRecord> {
  switch (format) {
    case 'csv': {
      const source = encoding === 'cp932' ? input.pipe(iconv.decodeStream('cp932')) : input;
      const parser = source.pipe(parse({ bom: true, skip_empty_lines: true }));
      let keys: string[] | undefined;
      let row = 0;
      for await (const record of parser as AsyncIterable<string[]>) {
        row += 1;
        if (!keys) {
          keys = mapHeader(entity, record);
          continue;
        }
        // What the export quoted against spreadsheet formulas reads back as stored.
        const cells = keys.map((key, i) => [
          key,
          record[i] === undefined ? undefined : csvText(record[i]),
        ]);
        yield { row, cells: Object.fromEntries(cells) };
      }
      return;
    }
    case 'jsonl': {
      let row = 0;
      for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
        if (line.trim() === '') continue;
        row += 1;
        yield { row, cells: parseObject(entity, line, row) };
      }
      return;
    }
    case 'json': {
      // A JSON array is parsed whole; JSON Lines is the format for files too big for memory.
      let text = '';
      for await (const chunk of input) text += typeof chunk === 'string' ? chunk : chunk.toString();
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new ImportFileError('The file is not valid JSON');
      }
      if (!Array.isArray(value)) throw new ImportFileError('A JSON import is an array of records');
      for (const [index, item] of value.entries()) {
        yield { row: index + 1, cells: objectCells(entity, item, index + 1) };
      }
      return;
    }
    case 'xlsx': {
      // Loaded on the first spreadsheet, not at start-up (about half a second of CPU).
      const { default: ExcelJS } = await import('exceljs');
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
        worksheets: 'emit',
        sharedStrings: 'cache',
      });
      for await (const sheet of reader) {
        let keys: string[] | undefined;
        for await (const excelRow of sheet) {
          // row.values is 1-based: index 0 is always empty.
          const values = (excelRow.values as unknown[]).slice(1).map(xlsxCell);
          if (!keys) {
            keys = mapHeader(entity, values);
            continue;
          }
          if (values.every((v) => v === null || v === '')) continue;
          yield {
            row: excelRow.number,
            cells: Object.fromEntries(keys.map((key, i) => [key, values[i] ?? null])),
          };
        }
        return; // the first sheet only
      }
      return;
    }
  }
}

/** Cell values as exceljs gives them: rich text and formulas reduced to their text/result. */
function xlsxCell(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: string };
    if (v.richText) return v.richText.map((part) => part.text).join('');
    if ('result' in v) return v.result ?? null;
    if (typeof v.text === 'string') return v.text;
    if (value instanceof Date) return value.toISOString();
  }
  return value;
}

function parseObject(entity: EntityName, line: string, row: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new ImportFileError(`Row ${row}: not valid JSON`);
  }
  return objectCells(entity, value, row);
}

function objectCells(entity: EntityName, value: unknown, row: number): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ImportFileError(`Row ${row}: a record must be a JSON object`);
  }
  const keys = mapHeader(entity, Object.keys(value));
  const entries = Object.values(value);
  return Object.fromEntries(keys.map((key, i) => [key, entries[i]]));
}
