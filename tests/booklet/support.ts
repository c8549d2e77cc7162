// How the booklet tests compare a generated page with its source document: the source's lines
// (whitespace normalised), the text a reader gets from the page in Chromium, and the PDF's text
// as poppler extracts it. Shared by tests/booklet and the whole-spring test (tests/cycle).
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';

const root = resolve(import.meta.dirname, '../..');
const SOURCE = resolve(root, '../shared/seed/mitaka-h24-department-goals.txt');

/** Runs of white space to one space, trimmed, blank lines dropped. */
export function normalisedLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line.length > 0);
}

/** Mitaka's FY2012 page 各部の運営方針と目標 as transcribed, its lines normalised. */
export async function sourceLines(): Promise<string[]> {
  const text = await readFile(SOURCE, 'utf8').catch(() =>
    readFile('/work/shared/seed/mitaka-h24-department-goals.txt', 'utf8'),
  );
  return normalisedLines(text);
}

/** Every white space removed: PDF text extraction breaks lines where the layout does. */
export const squeezed = (text: string) => text.replace(/\s+/g, '');

/** The text of a PDF file, as poppler's pdftotext extracts it (UTF-8, in reading order). */
export function pdftotext(pdf: string): string {
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
}

/**
 * What a reader gets from the open page: the rendered text, each list item with the "- " marker
 * the transcript writes, without the figure's drawing (the transcript names only its caption).
 */
export async function readerText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const body = document.body.cloneNode(true) as HTMLElement;
    for (const figure of body.querySelectorAll('[data-source-figure]')) figure.remove();
    for (const item of body.querySelectorAll('li')) item.prepend('- ');
    // innerText needs the layout: measure the clone in the document.
    body.style.position = 'absolute';
    document.documentElement.append(body);
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a reader gets
    const shown = body.innerText;
    body.remove();
    return shown;
  });
}

/**
 * The first source line (without its list marker) that is not found in the extracted text after
 * the previous one, or null when every line is there, in order.
 */
export function firstLineMissing(extracted: string, lines: string[]): string | null {
  const text = squeezed(extracted);
  let from = 0;
  for (const line of lines) {
    const wanted = squeezed(line.replace(/^- /, ''));
    const at = text.indexOf(wanted, from);
    if (at < 0) return `"${line}" after offset ${from}`;
    from = at + wanted.length;
  }
  return null;
}
