// Year summary: charts of yearSummary (projects per department, share of reform projects,
// achievement by rating) with the same numbers in tables beside them.
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { DownloadButton, Loaded, OpenDataLinks, YearSelect } from '../components/common';
import { loadPlanIndex } from '../data/queries';
import { useQuery } from '../data/react';
import { type MessageKey, useT } from '../i18n';
import { navigate, useRoute } from '../route';

const COLORS = ['#1b6ca8', '#e07b00', '#3a8d3f', '#b03a2e', '#777'];

export function SummaryView({ municipality }: { municipality: string }) {
  const t = useT();
  const { params } = useRoute();
  const index = useQuery((c, s) => loadPlanIndex(c, s, municipality), [municipality]);
  const year = Number(params.get('y')) || index.data?.years[0]?.year;
  const summary = useQuery(
    (c, s) =>
      year
        ? c.yearSummary({ municipality, fiscalYear: year }, { signal: s })
        : Promise.resolve(undefined),
    [municipality, year],
  );
  return (
    <>
      <h1 tabIndex={-1}>{t('summary')}</h1>
      <Loaded query={index}>
        {(data) => (
          <form className="filters" onSubmit={(e) => e.preventDefault()}>
            <YearSelect
              index={data}
              value={year}
              onChange={(y) => navigate('summary', { m: municipality, y })}
            />
          </form>
        )}
      </Loaded>
      <Loaded query={summary}>
        {(s) => {
          if (!s) return <p>{t('noPlans')}</p>;
          const departments = s.byDepartment.map((d) => ({
            name: d.departmentName,
            [t('initiatives')]: d.initiativeCount - d.reformCount,
            [t('reform')]: d.reformCount,
            total: d.initiativeCount,
            reform: d.reformCount,
          }));
          const share = [
            { name: t('reform'), value: s.reformCount },
            { name: t('initiatives'), value: s.initiativeCount - s.reformCount },
          ];
          const achievement = s.achievement.map((a) => ({
            name: t(a.rating as MessageKey),
            [t('count')]: a.count,
          }));
          return (
            <>
              <dl className="totals" data-testid="totals">
                <div>
                  <dt>{t('plans')}</dt>
                  <dd>{s.planCount}</dd>
                </div>
                <div>
                  <dt>{t('initiatives')}</dt>
                  <dd data-testid="initiative-count">{s.initiativeCount}</dd>
                </div>
                <div>
                  <dt>{t('reformShare')}</dt>
                  <dd>
                    {(s.reformShare * 100).toFixed(1)}% ({s.reformCount})
                  </dd>
                </div>
                <div>
                  <dt>{t('evaluated')}</dt>
                  <dd>{s.evaluatedCount}</dd>
                </div>
              </dl>
              <DownloadButton filter={{ entity: 'initiatives', municipality, fiscalYear: year }} />
              {year !== undefined && <OpenDataLinks municipality={municipality} year={year} />}
              <section className="chart-row" aria-labelledby="by-department">
                <h2 id="by-department">{t('byDepartment')}</h2>
                <div className="chart" aria-hidden="true">
                  <ResponsiveContainer width="100%" height={320}>
                    <BarChart
                      data={departments}
                      layout="vertical"
                      margin={{ left: 24 }}
                      accessibilityLayer={false}
                    >
                      <CartesianGrid strokeDasharray="3 3" />
                      <XAxis type="number" allowDecimals={false} />
                      <YAxis type="category" dataKey="name" width={96} />
                      <Tooltip />
                      <Legend />
                      <Bar dataKey={t('initiatives')} stackId="a" fill={COLORS[0]} />
                      <Bar dataKey={t('reform')} stackId="a" fill={COLORS[1]} />
                    </BarChart>
                  </ResponsiveContainer>
                </div>
                <table data-testid="by-department-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('department')}</th>
                      <th scope="col">{t('initiatives')}</th>
                      <th scope="col">{t('reform')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {departments.map((d) => (
                      <tr key={d.name}>
                        <th scope="row">{d.name}</th>
                        <td>{d.total}</td>
                        <td>{d.reform}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
              <section className="chart-row" aria-labelledby="reform-share">
                <h2 id="reform-share">{t('reformShare')}</h2>
                <div className="chart small" aria-hidden="true">
                  <ResponsiveContainer width="100%" height={240}>
                    <PieChart accessibilityLayer={false}>
                      <Pie
                        data={share}
                        dataKey="value"
                        nameKey="name"
                        outerRadius={90}
                        label
                        rootTabIndex={-1}
                      >
                        {share.map((entry, i) => (
                          <Cell key={entry.name} fill={COLORS[(i + 1) % 2]} />
                        ))}
                      </Pie>
                      <Tooltip />
                      <Legend />
                    </PieChart>
                  </ResponsiveContainer>
                </div>
                <table>
                  <tbody>
                    {share.map((d) => (
                      <tr key={d.name}>
                        <th scope="row">{d.name}</th>
                        <td>{d.value}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
              <section className="chart-row" aria-labelledby="achievement">
                <h2 id="achievement">{t('achievement')}</h2>
                <div className="chart small" aria-hidden="true">
                  <ResponsiveContainer width="100%" height={240}>
                    <BarChart data={achievement} accessibilityLayer={false}>
                      <CartesianGrid strokeDasharray="3 3" />
                      <XAxis dataKey="name" />
                      <YAxis allowDecimals={false} />
                      <Tooltip />
                      <Bar dataKey={t('count')} fill={COLORS[2]} />
                    </BarChart>
                  </ResponsiveContainer>
                </div>
                <table>
                  <tbody>
                    {s.achievement.map((a) => (
                      <tr key={a.rating}>
                        <th scope="row">{t(a.rating as MessageKey)}</th>
                        <td>{a.count}</td>
                      </tr>
                    ))}
                    <tr>
                      <th scope="row">{t('unevaluated')}</th>
                      <td>{s.initiativeCount - s.evaluatedCount}</td>
                    </tr>
                  </tbody>
                </table>
              </section>
            </>
          );
        }}
      </Loaded>
    </>
  );
}
