// Input rules shared by every write: text is NFC-normalised and trimmed, and may be Japanese,
// but never holds NUL bytes, unpaired surrogates or other control characters.
import { z } from 'zod';
import { ValidationError } from '../../errors.ts';
import { MAX_FISCAL_YEAR, MIN_FISCAL_YEAR } from '../fiscal-year/fiscal-year.ts';

// Control characters other than tab and newlines, and UTF-16 halves without their pair.
const FORBIDDEN_CHARACTERS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text as it is stored: NFC, without white space around it. */
export function normalText(value: string): string {
  return value.normalize('NFC').trim();
}

/** Text of 1 to `max` characters (after trimming). */
export function text(max: number) {
  return z
    .string()
    .refine((value) => !FORBIDDEN_CHARACTERS.test(value), {
      message: 'contains control characters or invalid UTF-16',
      abort: true,
    })
    .transform(normalText)
    .pipe(z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`));
}

export const fiscalYearInput = z
  .number()
  .int()
  .min(MIN_FISCAL_YEAR, `must be ${MIN_FISCAL_YEAR} or later`)
  .max(MAX_FISCAL_YEAR, `must be ${MAX_FISCAL_YEAR} or earlier`);

export const versionInput = z.number().int().min(1, 'versions start at 1');

/** A row named by its id, with the version the caller read (deletes, publications...). */
export const versionedInput = z.strictObject({
  id: z.number().int(),
  expectedVersion: versionInput,
});

/** Parses input with a schema, or throws a ValidationError pointing into `input`. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw ValidationError.fromZod(result.error);
  return result.data;
}
