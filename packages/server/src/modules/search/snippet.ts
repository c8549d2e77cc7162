// Where a search matched, shown in the text as stored: words are found in the search form of
// the text and mapped back to the original characters, so ｺﾐｭﾆﾃｨ highlights コミュニティ as
// written, never a normalised copy.
import { searchForm } from './search-form.ts';

export interface SnippetPart {
  text: string;
  isMatch: boolean;
}

/** Characters of context kept before the first match, and the longest snippet. */
const CONTEXT_BEFORE = 30;
const SNIPPET_LENGTH = 120;

// A base character and what NFKC may fold into it: combining marks and the half-width
// (semi-)voiced sound marks ﾞ ﾟ, which compose with the katakana before them.
const CLUSTER = /.[\p{M}\uFF9E\uFF9F]*/gsu;

interface Folded {
  form: string;
  /** For each UTF-16 index of `form`: the original [start, end) of the cluster it came from. */
  origin: Array<[number, number]>;
}

function fold(text: string): Folded {
  let form = '';
  const origin: Array<[number, number]> = [];
  for (const match of text.matchAll(CLUSTER)) {
    const start = match.index;
    const end = start + match[0].length;
    const piece = searchForm(match[0]);
    form += piece;
    for (let i = 0; i < piece.length; i += 1) origin.push([start, end]);
  }
  return { form, origin };
}

/** The original ranges where any of the words occurs, merged and in order. */
export function matchRanges(text: string, words: string[]): Array<[number, number]> {
  const { form, origin } = fold(text);
  const ranges: Array<[number, number]> = [];
  for (const word of words) {
    for (let at = form.indexOf(word); at !== -1; at = form.indexOf(word, at + 1)) {
      const first = origin[at];
      const last = origin[at + word.length - 1];
      if (first && last) ranges.push([first[0], last[1]]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Array<[number, number]> = [];
  for (const range of ranges) {
    const previous = merged[merged.length - 1];
    if (previous && range[0] <= previous[1]) previous[1] = Math.max(previous[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/**
 * A window of the text around its first match, split into matched and unmatched parts; null
 * when no word occurs in it. "…" marks where the text was cut.
 */
export function snippet(text: string, words: string[]): SnippetPart[] | null {
  const ranges = matchRanges(text, words);
  const first = ranges[0];
  if (!first) return null;
  const start = Math.max(0, first[0] - CONTEXT_BEFORE);
  const end = Math.min(text.length, start + SNIPPET_LENGTH);
  const parts: SnippetPart[] = [];
  const push = (from: number, to: number, isMatch: boolean) => {
    if (to > from) parts.push({ text: text.slice(from, to), isMatch });
  };
  let at = start;
  for (const [from, to] of ranges) {
    if (from >= end) break;
    push(at, Math.max(at, from), false);
    push(Math.max(at, from), Math.min(to, end), true);
    at = Math.min(to, end);
  }
  push(at, end, false);
  if (start > 0) parts.unshift({ text: '…', isMatch: false });
  if (end < text.length) parts.push({ text: '…', isMatch: false });
  return parts;
}
