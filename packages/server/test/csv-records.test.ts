// csvRecord writes exactly what csv-stringify writes with the exports' options, on arbitrary
// texts: quotes, commas, CR, LF and CRLF anywhere, empty texts, formula marks, any Unicode.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_OPTIONS, csvRecord } from '../src/modules/open-data/spreadsheet.ts';

/** Records as the exports write them: one csvRecord after another. */
const csvRecords = (records: readonly string[][]) => records.map(csvRecord).join('');

const tricky = fc.string({
  unit: fc.oneof(
    fc.constantFrom('"', ',', '\r', '\n', '\r\n', "'", '=', ' ', '\t', '、', '𠮷', '\u3000', ';'),
    fc.string({ unit: 'grapheme', maxLength: 3 }),
  ),
  maxLength: 12,
});

describe('csvRecord', () => {
  it('is csv-stringify with CSV_OPTIONS, byte for byte', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(tricky, { minLength: 1, maxLength: 6 }), { maxLength: 5 }),
        (records) => {
          expect(csvRecords(records)).toBe(stringify(records, CSV_OPTIONS));
        },
      ),
      { numRuns: 2000 },
    );
  });

  // A reader that ends a record at any line break outside quotes (as spreadsheet programs and
  // most CSV libraries do) gets the records back.
  it('reads back as the same records, whatever line breaks the texts hold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(tricky, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }),
        (records) => {
          expect(
            parse(csvRecords(records), {
              record_delimiter: ['\r\n', '\n', '\r'],
              relax_column_count: true,
            }),
          ).toEqual(records);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('on the cases that matter, written out', () => {
    const records = [
      ['', 'a', '"', 'a,b', 'x\ny', 'x\r\ny', 'x\r', '\r', "'=1+1", '"quoted"'],
      ['132047', 'kyoiku', '2012', '1', '「引用」, "quotes"\n二行目', 'true', '["a,b"]', ''],
    ];
    expect(csvRecords(records)).toBe(stringify(records, CSV_OPTIONS));
    expect(csvRecords([['x\ny', 'x\r']])).toBe('"x\ny","x\r"\r\n');
  });
});
