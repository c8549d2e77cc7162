// How a cell is written to a CSV file, for every CSV the server writes (exports, the field
// dictionary) and read back by imports. Spreadsheet programs run a cell that begins with
// = + - @, a tab, a carriage return or NUL as a formula (CSV injection: =HYPERLINK(...), DDE),
// so, as OWASP's CSV injection guidance and ASVS 5.0 (1.2.10) advise, such a text is prefixed
// with a single quote, which spreadsheets read as "this is text". Numbers are written as they
// are (-5 stays the number -5). XLSX stores texts as strings (never formulas) and JSON keeps the
// stored text: neither needs this.
import type { Cell } from './columns.ts';

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', '\0']);

/**
 * Would a spreadsheet take this text for a formula, or for one already quoted (so that a text
 * that really begins with a quote before = survives the round trip)?
 */
function needsQuote(text: string): boolean {
  const first = text.charAt(0);
  return FORMULA_START.has(first) || (first === "'" && needsQuote(text.slice(1)));
}

/** A cell as CSV text: lists as JSON arrays (empty when empty), nothing as empty, formulas quoted. */
export function csvCell(cell: Cell): string {
  if (cell === null) return '';
  if (Array.isArray(cell)) return cell.length === 0 ? '' : JSON.stringify(cell);
  if (typeof cell !== 'string') return String(cell);
  return needsQuote(cell) ? `'${cell}` : cell;
}

/** The stored text of a CSV cell that csvCell quoted (imports read exports back unchanged). */
export function csvText(text: string): string {
  return text.startsWith("'") && needsQuote(text.slice(1)) ? text.slice(1) : text;
}

/**
 * csv-stringify's options for every CSV: CRLF (what spreadsheets write, RFC 4180's break), and a
 * field holding any line break quoted. csv-stringify quotes CRLF itself but left a lone LF or CR
 * bare, and a stored text with one broke its record in two for any reader.
 */
export const CSV_OPTIONS = { record_delimiter: 'windows', quoted_match: /[\r\n]/ } as const;

/** The fields csv-stringify quotes with CSV_OPTIONS: those holding a quote, a comma, CR or LF. */
const QUOTED = /[",\r\n]/;

/**
 * One record of texts as CSV, ending with CRLF: byte for byte what csv-stringify writes with
 * CSV_OPTIONS (packages/server/test/csv-records.test.ts compares them on arbitrary texts), at
 * about four times its speed: at national size csv-stringify was an eighth of an export's time.
 */
export function csvRecord(record: readonly string[]): string {
  let out = '';
  for (let i = 0; i < record.length; i++) {
    const field = record[i] as string;
    if (i > 0) out += ',';
    out += QUOTED.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
  }
  return `${out}\r\n`;
}
