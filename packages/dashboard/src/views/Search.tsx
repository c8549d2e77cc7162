// Search: the API's Japanese-aware search over the initiatives (NFKC, hiragana/katakana, case),
// with the matched words highlighted in the server's snippets, a ☞ filter and a year.
import { type FormEvent, useState } from 'react';
import { Loaded, YearSelect } from '../components/common';
import { SearchDocument } from '../data/documents';
import { loadPlanIndex } from '../data/queries';
import { useQuery } from '../data/react';
import { useLang, useT } from '../i18n';
import { href, navigate, useRoute } from '../route';

export function SearchView({ municipality }: { municipality: string }) {
  const t = useT();
  const lang = useLang();
  const { params } = useRoute();
  const words = params.get('q') ?? '';
  const reform = params.get('r') === '1';
  const year = Number(params.get('y')) || undefined;
  const [draft, setDraft] = useState(words);
  const index = useQuery((c, s) => loadPlanIndex(c, s, municipality), [municipality]);
  const results = useQuery(
    async (c, s) =>
      words || reform
        ? (
            await c.request(
              SearchDocument,
              {
                municipality,
                search: words || null,
                fiscalYear: year ?? null,
                reform: reform ? true : null,
              },
              { signal: s },
            )
          ).initiatives
        : null,
    [municipality, words, reform, year],
  );
  const go = (next: { q?: string; r?: boolean; y?: number | undefined }) =>
    navigate('search', {
      m: municipality,
      q: next.q ?? words,
      r: (next.r ?? reform) ? 1 : undefined,
      y: 'y' in next ? next.y : year,
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    go({ q: draft.trim() });
  };
  return (
    <>
      <h1 tabIndex={-1}>{t('search')}</h1>
      <form className="filters search" onSubmit={submit}>
        <label>
          {t('searchWords')}
          <input
            type="search"
            value={draft}
            maxLength={100}
            onChange={(e) => setDraft(e.target.value)}
            data-testid="search-input"
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={reform}
            onChange={(e) => go({ r: e.target.checked })}
            data-testid="reform-only"
          />
          {t('reformOnly')}
        </label>
        <Loaded query={index}>
          {(data) => <YearSelect index={data} value={year} onChange={(y) => go({ y })} />}
        </Loaded>
        <button type="submit">{t('search')}</button>
      </form>
      <Loaded query={results}>
        {(found) =>
          found && (
            <>
              <p role="status" data-testid="result-count">
                {t('results', { count: found.totalCount })}
              </p>
              <ol className="results">
                {found.edges.map(({ node, matches }) => {
                  const plan = node.plan;
                  const snippet = matches[0]?.snippet;
                  return (
                    <li key={node.id} data-testid="search-result">
                      <a
                        href={href('browse', {
                          m: municipality,
                          y: plan.fiscalYear.year,
                          d: plan.department.code,
                        })}
                      >
                        {lang === 'en' ? plan.fiscalYear.labelEn : plan.fiscalYear.label}{' '}
                        {lang === 'en' && plan.department.nameEn
                          ? plan.department.nameEn
                          : plan.department.name}
                      </a>
                      <p className="stored">
                        {node.isAdministrativeReform && (
                          <span className="reform" role="img" aria-label={t('reform')}>
                            ☞
                          </span>
                        )}
                        {snippet
                          ? snippet.map((part, i) =>
                              part.isMatch ? (
                                // biome-ignore lint/suspicious/noArrayIndexKey: parts of one fixed snippet.
                                <mark key={i}>{part.text}</mark>
                              ) : (
                                // biome-ignore lint/suspicious/noArrayIndexKey: parts of one fixed snippet.
                                <span key={i}>{part.text}</span>
                              ),
                            )
                          : node.text}
                      </p>
                    </li>
                  );
                })}
              </ol>
            </>
          )
        }
      </Loaded>
    </>
  );
}
