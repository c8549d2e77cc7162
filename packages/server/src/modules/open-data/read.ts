// Reading an import file: CSV (UTF-8 with or without BOM, or CP932), XLSX, JSON (an array)
// or JSON Lines, into records keyed by column, every format streamed a record at a time. Text
// must be in the encoding declared: bytes that are not are refused with the encoding they look
// like, never read as U+FFFD. An XLSX (a zip of XML) is checked before it is read: what it
// expands to is bounded (XLSX_LIMITS), so a small file cannot take the server's memory. Headers may be the column keys or their Japanese names (both as
// exported). Row numbers are the ones a spreadsheet shows: the
// header is row 1 in CSV and XLSX; in JSON and JSON Lines the first record is row 1.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
// stream-json and unzipper are loaded when a JSON array or a spreadsheet is first read, not at
// every start (unzipper alone took ~0.5 s of a cold start's module loading).
import type unzipper from 'unzipper';
import { ErrorCode } from '../../errors.ts';
import { COLUMNS, type EntityName } from './columns.ts';
import type { CsvEncoding, ExportFormat } from './export.ts';
import { csvText } from './spreadsheet.ts';

export interface SourceRecord {
  row: number;
  cells: Record<string, unknown>;
}

/** The whole file is unusable (unknown columns, not the format or encoding it claims). */
export class ImportFileError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode = ErrorCode.BAD_USER_INPUT,
  ) {
    super(message);
  }
}

/** Headers mapped (JSON records each have their own: they repeat), by entity and names. */
const mappedHeaders = new Map<string, string[]>();

/** Maps a header to column keys; throws on a header that names no column. */
export function mapHeader(entity: EntityName, header: unknown[]): string[] {
  const name = `${entity}\u0000${header.map((h) => String(h ?? '')).join('\u0000')}`;
  let keys = mappedHeaders.get(name);
  if (!keys) {
    keys = mapNewHeader(entity, header);
    if (mappedHeaders.size > 100) mappedHeaders.clear();
    mappedHeaders.set(name, keys);
  }
  return keys;
}

function mapNewHeader(entity: EntityName, header: unknown[]): string[] {
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
  { maxRows }: ReadLimits = {},
): AsyncGenerator<SourceRecord> {
  switch (format) {
    case 'csv': {
      // pipeline, not pipe: a decoding error ends the parser, and so the loop, with it.
      const parser = pipeline(
        Readable.from(decoded(input, encoding)),
        parse({ bom: true, skip_empty_lines: true }),
        () => {},
      );
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
      for await (const line of lines(decoded(input, 'utf-8'))) {
        if (line.trim() === '') continue;
        row += 1;
        yield { row, cells: parseObject(entity, line, row) };
      }
      return;
    }
    case 'json': {
      // The array's elements one at a time (stream-json's streaming parser): a file larger
      // than memory imports as JSON Lines does, with the parser pausing while a row is written.
      const { streamArray } = await import('stream-json/streamers/stream-array.js');
      const elements = pipeline(
        Readable.from(decoded(input, 'utf-8')),
        streamArray.withParserAsStream(),
        () => {},
      );
      try {
        for await (const { key, value } of elements as AsyncIterable<{
          key: number;
          value: unknown;
        }>) {
          yield { row: key + 1, cells: objectCells(entity, value, key + 1) };
        }
      } catch (error) {
        if (error instanceof ImportFileError) throw error;
        throw new ImportFileError(
          `The file is not a JSON array of records: ${(error as Error).message.slice(0, 200)}`,
        );
      }
      return;
    }
    case 'xlsx': {
      yield* xlsxRecords(input, entity, maxRows);
      return;
    }
  }
}

/**
 * What an XLSX may expand to. A spreadsheet is a zip: 1 MiB of it can hold hundreds of MiB of
 * XML (a "zip bomb"), and the reader holds the shared strings and each row, and each cell's
 * text, in memory. The zip is read once through, counting, before it is parsed: an XLSX beyond
 * any bound is refused (SPREADSHEET_TOO_LARGE) having held no more than a chunk of it.
 */
export const XLSX_LIMITS = {
  /** Bytes of XML all its parts expand to (an export of 200,000 initiatives is about 60 MiB). */
  uncompressedBytes: 128 * 2 ** 20,
  /** Bytes of one text (a cell, a shared string) or tag: no column holds more than a few KiB. */
  textBytes: 2 ** 20,
  /** Cells in one row: Excel's widest sheet (column XFD). */
  cellsPerRow: 16_384,
} as const;

export interface ReadLimits {
  /** Records the import takes; an XLSX with more rows (empty ones too) and its header is refused. */
  maxRows?: number;
}

const tooLargeSpreadsheet = (what: string) =>
  new ImportFileError(
    `The spreadsheet is too large: ${what}. Split it, or import it as CSV. Nothing was imported.`,
    ErrorCode.SPREADSHEET_TOO_LARGE,
  );

/** The first sheet's rows as records, once the whole file is known to be within XLSX_LIMITS. */
async function* xlsxRecords(
  input: Readable,
  entity: EntityName,
  maxRows: number | undefined,
): AsyncGenerator<SourceRecord> {
  // Read twice (checked, then parsed): from a file of its own, whatever the input is.
  const dir = await mkdtemp(join(tmpdir(), 'hoshin-xlsx-'));
  try {
    const file = join(dir, 'file.xlsx');
    await pipelineAsync(input, createWriteStream(file));
    await checkXlsx(createReadStream(file), maxRows);
    // Loaded on the first spreadsheet, not at start-up (about half a second of CPU).
    const { default: ExcelJS } = await import('exceljs');
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(file), {
      worksheets: 'emit',
      sharedStrings: 'cache',
    });
    try {
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
    } catch (error) {
      // What the reader cannot make sense of (it throws TypeErrors on a cell without address).
      if (error instanceof ImportFileError) throw error;
      throw new ImportFileError(
        `The file is not a readable XLSX spreadsheet: ${(error as Error).message.slice(0, 200)}`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const WORKSHEET = /^xl\/worksheets\/sheet\d+\.xml$/;

/**
 * Reads the zip as the spreadsheet reader will (entry by entry, in file order, inflating each)
 * and refuses it on the first bound crossed: total bytes, one text's bytes, rows (every <row>,
 * empty ones too) and cells per row. Only counts: nothing is kept.
 */
async function checkXlsx(input: Readable, maxRows: number | undefined): Promise<void> {
  const { default: unzip } = await import('unzipper');
  const zip = input.pipe(unzip.Parse({ forceStream: true }));
  let total = 0;
  let rows = 0;
  try {
    for await (const entry of zip as AsyncIterable<unzipper.Entry>) {
      const sheet = WORKSHEET.test(entry.path);
      let run = 0; // bytes since the last '<'
      let cells = 0;
      let tail = '';
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > XLSX_LIMITS.uncompressedBytes) {
          throw tooLargeSpreadsheet(
            `it expands to more than ${XLSX_LIMITS.uncompressedBytes / 2 ** 20} MiB`,
          );
        }
        for (let at = 0; ; ) {
          const lt = chunk.indexOf(0x3c, at);
          run += (lt < 0 ? chunk.length : lt) - at;
          if (run > XLSX_LIMITS.textBytes) {
            throw tooLargeSpreadsheet(
              `${entry.path} holds a text or tag of more than ${XLSX_LIMITS.textBytes / 2 ** 20} MiB`,
            );
          }
          if (lt < 0) break;
          run = 0;
          at = lt + 1;
        }
        if (!sheet) continue;
        // <row …> and <c …> tags, also those split between two chunks (counted once).
        const text = tail + chunk.toString('latin1');
        for (const match of text.matchAll(/<(row|c)[\s>/]/g)) {
          if (match.index + match[0].length <= tail.length) continue;
          if (match[1] === 'c') {
            cells += 1;
            if (cells > XLSX_LIMITS.cellsPerRow) {
              throw tooLargeSpreadsheet(
                `a row of ${entry.path} has more than ${XLSX_LIMITS.cellsPerRow} cells`,
              );
            }
          } else {
            cells = 0;
            rows += 1;
            if (maxRows !== undefined && rows > maxRows + 1) {
              throw new ImportFileError(
                `The spreadsheet has more than ${maxRows} rows besides its header: split it. Nothing was imported.`,
                ErrorCode.TOO_MANY_ROWS,
              );
            }
          }
        }
        tail = text.slice(-4);
      }
    }
  } catch (error) {
    input.destroy();
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError(
      `The file is not an XLSX spreadsheet: ${(error as Error).message.slice(0, 200)}`,
    );
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

/** The lines of a text (LF or CRLF), as they come. */
async function* lines(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of chunks) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) yield part.endsWith('\r') ? part.slice(0, -1) : part;
  }
  if (rest) yield rest;
}

const newlines = (text: string) => text.split('\n').length - 1;

/** What undecodable bytes most likely are, for the message (a guess to tell, never to use). */
function likelyEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16LE';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16BE';
  for (const [label, name] of [
    ['utf-8', 'UTF-8'],
    ['shift_jis', 'Shift_JIS (CP932)'],
    ['euc-jp', 'EUC-JP'],
  ] as const) {
    try {
      new TextDecoder(label, { fatal: true }).decode(bytes, { stream: true });
      return name;
    } catch {}
  }
  return undefined;
}

function wrongEncoding(declared: CsvEncoding, bytes: Uint8Array, line: number): ImportFileError {
  const likely = likelyEncoding(bytes);
  const name = declared === 'cp932' ? 'Shift_JIS (CP932)' : 'UTF-8';
  const advice =
    likely === 'Shift_JIS (CP932)'
      ? 'send it with encoding=shift_jis (hoshin import: --encoding shift_jis), or save it as UTF-8'
      : likely === 'UTF-8'
        ? 'send it without encoding=shift_jis'
        : 'save it as UTF-8 (Excel: CSV UTF-8) and send it again';
  const looks = likely ? `: it looks like ${likely}` : '';
  return new ImportFileError(
    `The file is not valid ${name} (line ${line})${looks}; ${advice}. Nothing was imported.`,
    ErrorCode.INVALID_ENCODING,
  );
}

/**
 * The text of a file in the declared encoding, refusing bytes that are not in it. A file
 * declared Shift_JIS that is valid UTF-8 (with non-ASCII text) is refused too: read as
 * Shift_JIS it would be mojibake.
 */
async function* decoded(input: Readable, encoding: CsvEncoding): AsyncGenerator<string> {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  // CP932 as the exporter writes it (iconv-lite), U+FFFD for bytes it cannot map (which
  // CP932 text never holds).
  const sjis = encoding === 'cp932' ? iconv.getDecoder('cp932') : undefined;
  let line = 1;
  let isUtf8 = true;
  let nonAscii = false;
  let last: Uint8Array = new Uint8Array();
  for await (const chunk of input as AsyncIterable<Buffer>) {
    last = chunk;
    let utf8Text: string | undefined;
    try {
      utf8Text = isUtf8 ? utf8.decode(chunk, { stream: true }) : undefined;
    } catch {
      isUtf8 = false;
    }
    nonAscii ||= chunk.some((byte) => byte > 0x7f);
    let text: string;
    if (sjis) {
      text = sjis.write(chunk);
      const bad = text.indexOf('\uFFFD');
      if (bad >= 0) throw wrongEncoding(encoding, chunk, line + newlines(text.slice(0, bad)));
    } else {
      if (utf8Text === undefined) {
        const lenient = new TextDecoder('utf-8').decode(chunk);
        throw wrongEncoding(
          encoding,
          chunk,
          line + newlines(lenient.slice(0, lenient.indexOf('\uFFFD'))),
        );
      }
      text = utf8Text;
    }
    line += newlines(text);
    yield text;
  }
  const rest = sjis ? (sjis.end() ?? '') : '';
  try {
    if (isUtf8) utf8.decode();
  } catch {
    isUtf8 = false;
  }
  if (rest.includes('\uFFFD') || (!sjis && !isUtf8)) throw wrongEncoding(encoding, last, line);
  if (sjis && isUtf8 && nonAscii) {
    throw new ImportFileError(
      'The file is UTF-8, not Shift_JIS (CP932) as encoding=shift_jis says; send it without encoding=shift_jis. Nothing was imported.',
      ErrorCode.INVALID_ENCODING,
    );
  }
  if (rest) yield rest;
}
