// The one form text is compared in: NFKC (full-width digits and Latin, half-width katakana, ㍻
// to their usual form), katakana as hiragana, ASCII in lower case. The database keeps each
// searchable row in this form (hoshin_search_form() in the migration
// 20261130200000_search_and_department_history); a test holds this function and that one equal.
import { ErrorCode, UserInputError } from '../../errors.ts';

export const MAX_SEARCH_LENGTH = 100;
export const MAX_SEARCH_WORDS = 8;

// ァ (U+30A1) .. ヶ (U+30F6) sit 0x60 above ぁ .. ゖ; ヽ ヾ likewise above ゝ ゞ.
const KATAKANA = /[\u30A1-\u30F6\u30FD\u30FE]/g;
const ASCII_UPPER = /[A-Z]/g;

export function searchForm(text: string): string {
  return text
    .normalize('NFKC')
    .replace(KATAKANA, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60))
    .replace(ASCII_UPPER, (c) => c.toLowerCase());
}

/**
 * An initiative's search form: its text and footnotes, one a line, as the database's
 * hoshin_initiative_search_form(text, footnotes) forms them (concat_ws: the footnotes' line is
 * there, empty, when there are none; migration 20261207120000_initiative_search_cheaper_writes).
 * An update (checkInitiativeUpdate: an import's, a mutation's) writes it with the text, and the
 * trigger trusts a form written together with the text or footnotes: computed here, about 1 µs a
 * row, where the SQL function took 35-70 µs (its katakana are mapped a character at a time). A
 * test holds the two equal.
 */
export function initiativeSearchForm(text: string, footnotes: readonly string[] | null): string {
  return searchForm(footnotes === null ? text : `${text}\n${footnotes.join('\n')}`);
}

/**
 * The words of a search, in search form: split on any white space (a full-width space
 * included), each to be found somewhere in the row. Refuses empty and overlong searches.
 */
export function searchWords(search: string, argument: string): string[] {
  const trimmed = search.trim();
  const tooLong = [...trimmed].length > MAX_SEARCH_LENGTH;
  const words = [
    ...new Set(
      searchForm(trimmed)
        .split(/\s+/u)
        .filter((w) => w.length > 0),
    ),
  ];
  if (words.length === 0 || tooLong) {
    throw new UserInputError(
      ErrorCode.BAD_USER_INPUT,
      `"search" must be 1 to ${MAX_SEARCH_LENGTH} characters`,
      { argument },
    );
  }
  if (words.length > MAX_SEARCH_WORDS) {
    throw new UserInputError(
      ErrorCode.BAD_USER_INPUT,
      `"search" may hold at most ${MAX_SEARCH_WORDS} words`,
      { argument },
    );
  }
  return words;
}

/** A Prisma `contains` value: LIKE's wildcards and its escape character mean themselves. */
export function literalContains(word: string): string {
  return word.replace(/[\\%_]/g, '\\$&');
}

/** Each word must occur in the row's search column (Prisma `contains`, served by pg_trgm). */
export function searchTextWhere(words: string[]) {
  return words.map((word) => ({ searchText: { contains: literalContains(word) } }));
}
