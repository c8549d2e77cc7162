// Compare: one department across years (projects carried on, new, ended; ratings), and one
// year across departments (counts and ratings side by side).
import { DepartmentSelect, DownloadButton, Loaded, YearSelect } from '../components/common';
import { loadPlanIndex, loadPlans, type PlanInFull } from '../data/queries';
import { useQuery } from '../data/react';
import { type MessageKey, useLang, useT } from '../i18n';
import { navigate, useRoute } from '../route';

type Initiative = PlanInFull['initiatives']['edges'][number]['node'];

const RATINGS = ['ACHIEVED', 'MOSTLY_ACHIEVED', 'PARTIALLY_ACHIEVED', 'NOT_ACHIEVED'] as const;

/**
 * What changed from one year's plan to the next: a project is carried on when last year's
 * evaluation names it as its continuation, or when its text is unchanged.
 */
export function diffYears(previous: readonly Initiative[], current: readonly Initiative[]) {
  const continued = new Set(
    previous.flatMap((i) => (i.evaluation?.nextInitiative ? [i.evaluation.nextInitiative.id] : [])),
  );
  const previousTexts = new Set(previous.map((i) => i.text));
  const currentTexts = new Set(current.map((i) => i.text));
  const carried = current.filter((i) => continued.has(i.id) || previousTexts.has(i.text));
  const added = current.filter((i) => !carried.includes(i));
  const ended = previous.filter(
    (i) =>
      !currentTexts.has(i.text) &&
      !(
        i.evaluation?.nextInitiative &&
        current.some((c) => c.id === i.evaluation?.nextInitiative?.id)
      ),
  );
  return { carried, added, ended };
}

export function CompareView({ municipality }: { municipality: string }) {
  const t = useT();
  const lang = useLang();
  const { params } = useRoute();
  const index = useQuery((c, s) => loadPlanIndex(c, s, municipality), [municipality]);
  const department = params.get('d') ?? index.data?.departments.at(-1)?.code;
  const year = Number(params.get('y')) || index.data?.years[0]?.year;
  const across = useQuery(
    (c, s) => (department ? loadPlans(c, s, { municipality, department }) : Promise.resolve([])),
    [municipality, department],
  );
  const ofYear = useQuery(
    (c, s) => (year ? loadPlans(c, s, { municipality, fiscalYear: year }) : Promise.resolve([])),
    [municipality, year],
  );
  const go = (next: { y?: number; d?: string }) =>
    navigate('compare', { m: municipality, y: next.y ?? year, d: next.d ?? department });
  const ratingLabel = (i: Initiative) =>
    i.evaluation ? t(i.evaluation.rating as MessageKey) : t('unevaluated');

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
          {(plans) => {
            const sorted = [...plans].sort((a, b) => a.fiscalYear.year - b.fiscalYear.year);
            const blocks = sorted.map((plan, i) => {
              const previous = sorted[i - 1];
              const current = plan.initiatives.edges.map((e) => e.node);
              if (!previous) {
                // The first year shown: nothing to compare it with.
                return (
                  <div key={plan.id} className="year-block" data-testid="compare-year">
                    <h3>{lang === 'en' ? plan.fiscalYear.labelEn : plan.fiscalYear.label}</h3>
                    <ul>
                      {current.map((item) => (
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
              const diff = diffYears(
                previous.initiatives.edges.map((e) => e.node),
                current,
              );
              const groups = [
                ['carried', diff.carried],
                ['added', diff.added],
                ['ended', diff.ended],
              ] as const;
              return (
                <div key={plan.id} className="year-block" data-testid="compare-year">
                  <h3>
                    {lang === 'en' ? plan.fiscalYear.labelEn : plan.fiscalYear.label}
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
                        {list.map((item) => (
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
              ...RATINGS.map((r) => t(r)),
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
