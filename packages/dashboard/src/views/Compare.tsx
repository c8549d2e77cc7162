// Compare: one department across years as the API compares them (initiatives carried on by
// last year's evaluation decision, new and ended: the initiative chains, not text equality),
// and one year across departments (counts and ratings side by side).
import { DepartmentSelect, DownloadButton, Loaded, YearSelect } from '../components/common';
import { TimelineDocument } from '../data/documents';
import { loadPlanIndex, loadPlans } from '../data/queries';
import { useLabel, useQuery } from '../data/react';
import { useLang, useT } from '../i18n';
import { navigate, useRoute } from '../route';

const RATINGS = ['ACHIEVED', 'MOSTLY_ACHIEVED', 'PARTIALLY_ACHIEVED', 'NOT_ACHIEVED'] as const;

interface Item {
  id: string;
  text: string;
  isAdministrativeReform: boolean;
  evaluation?: { rating: string | null } | null;
}

export function CompareView({ municipality }: { municipality: string }) {
  const t = useT();
  const lang = useLang();
  const { params } = useRoute();
  const index = useQuery((c, s) => loadPlanIndex(c, s, municipality), [municipality]);
  const department = params.get('d') ?? index.data?.departments.at(-1)?.code;
  const year = Number(params.get('y')) || index.data?.years[0]?.year;
  const years = index.data?.years.map((y) => y.year) ?? [];
  const from = Math.min(...years);
  const to = Math.max(...years);
  const across = useQuery(
    async (c, s) =>
      department && years.length > 0
        ? (
            await c.request(TimelineDocument, { municipality, department, from, to }, { signal: s })
          ).departmentTimeline.filter((year) => year.plan)
        : [],
    [municipality, department, from, to],
  );
  const label = useLabel();
  const ofYear = useQuery(
    (c, s) => (year ? loadPlans(c, s, { municipality, fiscalYear: year }) : Promise.resolve([])),
    [municipality, year],
  );
  const go = (next: { y?: number; d?: string }) =>
    navigate('compare', { m: municipality, y: next.y ?? year, d: next.d ?? department });
  const ratingLabel = (i: Item) =>
    i.evaluation?.rating ? label('AchievementRating', i.evaluation.rating) : t('unevaluated');

  return (
    <>
      <h1 tabIndex={-1}>{t('compare')}</h1>
      <Loaded query={index}>
        {(data) => (
          <form className="filters" onSubmit={(e) => e.preventDefault()}>
            <DepartmentSelect
              index={data}
              value={department}
              allowAll={false}
              onChange={(d) => go(d ? { d } : {})}
            />
            <YearSelect index={data} value={year} onChange={(y) => go({ y })} />
          </form>
        )}
      </Loaded>

      <section aria-labelledby="across-years">
        <h2 id="across-years">{t('compareYears')}</h2>
        <Loaded query={across}>
          {(timeline) => {
            const blocks = timeline.map((year, i) => {
              const plan = year.plan;
              if (!plan) return null;
              const title = lang === 'en' ? year.fiscalYear.labelEn : year.fiscalYear.label;
              if (i === 0) {
                // The first year shown: nothing to compare it with.
                return (
                  <div key={plan.id} className="year-block" data-testid="compare-year">
                    <h3>{title}</h3>
                    <ul>
                      {plan.initiatives.edges.map(({ node: item }) => (
                        <li key={item.id}>
                          {item.isAdministrativeReform && '☞'}
                          {item.text}{' '}
                          <span className={`badge rating ${item.evaluation?.rating ?? 'none'}`}>
                            {ratingLabel(item)}
                          </span>
                        </li>
                      ))}
                    </ul>
                  </div>
                );
              }
              const groups = [
                ['carried', year.carriedOn.map((c) => c.to)],
                ['added', year.new],
                ['ended', year.ended],
              ] as const;
              return (
                <div key={plan.id} className="year-block" data-testid="compare-year">
                  <h3>
                    {title}
                    {plan.status !== 'PUBLISHED' && (
                      <span className="badge draft">{t('draft')}</span>
                    )}
                  </h3>
                  {groups.map(([kind, list]) => (
                    <div key={kind} className={`diff ${kind}`}>
                      <h4>
                        {t(kind)} ({list.length})
                      </h4>
                      <ul>
                        {list.map((item: Item) => (
                          <li key={item.id} data-testid={`diff-${kind}`}>
                            {item.isAdministrativeReform && '☞'}
                            {item.text}{' '}
                            <span className={`badge rating ${item.evaluation?.rating ?? 'none'}`}>
                              {ratingLabel(item)}
                            </span>
                          </li>
                        ))}
                      </ul>
                    </div>
                  ))}
                </div>
              );
            });
            return (
              <>
                <DownloadButton filter={{ entity: 'initiatives', municipality, department }} />
                {blocks}
              </>
            );
          }}
        </Loaded>
      </section>

      <section aria-labelledby="across-departments">
        <h2 id="across-departments">{t('compareDepartments')}</h2>
        <Loaded query={ofYear}>
          {(plans) => {
            const header = [
              t('department'),
              t('initiatives'),
              t('reform'),
              ...RATINGS.map((r) => label('AchievementRating', r)),
              t('unevaluated'),
            ];
            const body = plans.map((plan) => {
              const items = plan.initiatives.edges.map((e) => e.node);
              return [
                plan.department.name,
                items.length,
                items.filter((i) => i.isAdministrativeReform).length,
                ...RATINGS.map((r) => items.filter((i) => i.evaluation?.rating === r).length),
                items.filter((i) => !i.evaluation).length,
              ];
            });
            return (
              <>
                <DownloadButton
                  filter={{ entity: 'evaluations', municipality, fiscalYear: year }}
                />
                <div className="table-wrap">
                  <table data-testid="departments-table">
                    <thead>
                      <tr>
                        {header.map((h) => (
                          <th key={h} scope="col">
                            {h}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {body.map((row) => (
                        <tr key={String(row[0])}>
                          {row.map((cell, i) =>
                            i === 0 ? (
                              <th key={header[i]} scope="row">
                                {cell}
                              </th>
                            ) : (
                              <td key={header[i]}>{cell}</td>
                            ),
                          )}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            );
          }}
        </Loaded>
      </section>
    </>
  );
}
