// The error table of docs/limits-and-errors.md names every code the server can send (the
// client's generated ErrorCode union, read from errors.ts and Yoga's own codes), each with
// its HTTP status.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, without types
import { serverErrorCodes } from '../../packages/client/scripts/codegen-error-codes.mjs';

const root = resolve(import.meta.dirname, '../..');

describe('the error table', () => {
  it('gives every code an HTTP status', () => {
    const text = readFileSync(resolve(root, 'docs/limits-and-errors.md'), 'utf8');
    const rows = text.split('\n').filter((line) => /^\|\s*`[A-Z_]+`/.test(line));
    const documented = new Map<string, string>();
    for (const row of rows) {
      const [codes = '', status = ''] = row
        .split('|')
        .slice(1)
        .map((cell) => cell.trim());
      for (const [, code] of codes.matchAll(/`([A-Z][A-Z0-9_]+)`/g))
        documented.set(code ?? '', status);
    }
    const missing = (serverErrorCodes() as string[]).filter((code) => !documented.has(code));
    expect(missing).toEqual([]);
    for (const [code, status] of documented) expect(status, code).not.toBe('');
    expect(documented.has('INTERNAL_SERVER_ERROR')).toBe(true);
  });
});
