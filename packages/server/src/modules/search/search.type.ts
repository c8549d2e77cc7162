// What a search result says about itself: which field matched, with a snippet of that field as
// stored and the matched words marked. Lists that take a `search` attach their words to the
// rows they return (remember), and the edge's `matches` field reads them back.
import { builder } from '../../graphql/builder.ts';
import { type SnippetPart, snippet } from './snippet.ts';

export const SearchField = builder.enumType('SearchField', {
  description: 'A searched field.',
  values: {
    INITIATIVE_TEXT: { description: 'The text of an initiative (個別事業).' },
    INITIATIVE_FOOTNOTE: { description: 'A footnote (※) of an initiative; `index` says which.' },
    PLAN_MISSION: { description: "A plan's ① 部の使命・目標に関する認識." },
    PLAN_POLICY: { description: "A plan's ③ 今年度の実施方針." },
    EVALUATION_SUMMARY: { description: 'The summary of an evaluation (達成状況).' },
  } as const,
});
type SearchFieldName = typeof SearchField.$inferType;

export interface SearchMatch {
  field: SearchFieldName;
  index: number | null;
  snippet: SnippetPart[];
}

const SnippetPartRef = builder.objectRef<SnippetPart>('SnippetPart').implement({
  description: 'A piece of a snippet: matched (to highlight) or not.',
  fields: (t) => ({
    text: t.exposeString('text', { description: 'As stored, never normalised.' }),
    isMatch: t.exposeBoolean('isMatch'),
  }),
});

export const SearchMatchRef = builder.objectRef<SearchMatch>('SearchMatch').implement({
  description: 'A field in which the search found at least one of its words.',
  fields: (t) => ({
    field: t.field({ type: SearchField, resolve: (m) => m.field }),
    index: t.exposeInt('index', {
      nullable: true,
      description: 'For a footnote: its 0-based position in `footnotes`.',
    }),
    snippet: t.field({
      type: [SnippetPartRef],
      description:
        'Up to 120 characters of the field around its first match; "…" parts mark cuts. Concatenate the parts to show it, highlighting those with isMatch.',
      resolve: (m) => m.snippet,
    }),
    text: t.string({
      description: 'The snippet as plain text.',
      resolve: (m) => m.snippet.map((part) => part.text).join(''),
    }),
  }),
});

const wordsOfRow = new WeakMap<object, string[]>();

/** Marks rows returned by a search with its words, for their edges' `matches`. */
export function remember<T extends object>(rows: T[], words: string[] | undefined): T[] {
  if (words) for (const row of rows) wordsOfRow.set(row, words);
  return rows;
}

/** The matches of a row in the given fields; empty when the list was not searched. */
export function matchesOf(
  row: object,
  fields: () => Array<{ field: SearchFieldName; text: string | null; index?: number }>,
): SearchMatch[] {
  const words = wordsOfRow.get(row);
  // Not searched: the row may not even hold the fields (Pothos selected only what was asked).
  if (!words) return [];
  const matches: SearchMatch[] = [];
  for (const { field, text, index } of fields()) {
    const parts = text == null ? null : snippet(text, words);
    if (parts) matches.push({ field, index: index ?? null, snippet: parts });
  }
  return matches;
}

export const matchesDescription =
  'Where the `search` of this list matched, with snippets; empty when the list was not searched.';

/**
 * The list's Prisma query, loading the searched fields even when the client selected none of
 * them (Pothos then selects only what the selection needs), so `matches` can read them.
 */
export function withSearchedFields<Q extends object>(
  query: Q,
  words: string[] | undefined,
  fields: string[],
): Q {
  if (!words || !('select' in query) || !query.select) return query;
  const select = { ...(query.select as object) } as Record<string, unknown>;
  for (const field of fields) select[field] = true;
  return { ...query, select };
}
