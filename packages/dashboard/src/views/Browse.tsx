// Browse: municipality, fiscal year (with era label), department; the plans as the source
// document lays them out, with the ☞ legend and the contact section.

import { DepartmentSelect, DownloadButton, Loaded, YearSelect } from '../components/common';
import { PlanView } from '../components/PlanView';
import { loadMunicipalities, loadPlanIndex, loadPlans, loadTargets } from '../data/queries';
import { useLive, useQuery } from '../data/react';
import { useLang, useT } from '../i18n';
import { navigate, useRoute } from '../route';

export function BrowseView({ municipality }: { municipality: string }) {
  const t = useT();
  const lang = useLang();
  const { params } = useRoute();
  const live = useLive();
  const index = useQuery((c, s) => loadPlanIndex(c, s, municipality), [municipality]);
  const municipalities = useQuery((c, s) => loadMunicipalities(c, s), []);
  const year = Number(params.get('y')) || index.data?.years[0]?.year;
  const department = params.get('d') ?? undefined;
  const plans = useQuery(
    (c, s) =>
      year ? loadPlans(c, s, { municipality, fiscalYear: year, department }) : Promise.resolve([]),
    [municipality, year, department],
  );
  const targets = useQuery(
    (c, s) =>
      year
        ? loadTargets(c, s, { municipality, fiscalYear: year, department })
        : Promise.resolve(new Map()),
    [municipality, year, department],
  );
  const changed = new Set(live.events.slice(0, 10).map((e) => e.id));
  const contact = municipalities.data?.find((m) => m.code === municipality)?.contact;
  const go = (next: { y?: number; d?: string | undefined }) =>
    navigate('browse', {
      m: municipality,
      y: next.y ?? year,
      d: 'd' in next ? next.d : department,
    });
  return (
    <>
      <h1 tabIndex={-1}>
        {t('browse')}
        {plans.data?.[0] && (
          <span className="subtitle">
            {' '}
            {lang === 'en' ? plans.data[0].fiscalYear.labelEn : plans.data[0].fiscalYear.label}
          </span>
        )}
      </h1>
      <Loaded query={index}>
        {(data) => (
          <form className="filters" onSubmit={(e) => e.preventDefault()}>
            <YearSelect index={data} value={year} onChange={(y) => go({ y })} />
            <DepartmentSelect
              index={data}
              value={department}
              allowAll
              onChange={(d) => go({ d })}
            />
            <DownloadButton
              filter={{ entity: 'initiatives', municipality, fiscalYear: year, department }}
            />
          </form>
        )}
      </Loaded>
      <p className="legend" data-testid="legend">
        {t('reformLegend')}
      </p>
      <Loaded query={plans}>
        {(list) =>
          list.length === 0 ? (
            <p data-testid="no-plans">{t('noPlans')}</p>
          ) : (
            list.map((plan) => (
              <PlanView key={plan.id} plan={plan} changed={changed} targets={targets.data} />
            ))
          )
        }
      </Loaded>
      <p className="open-data" data-testid="open-data-links">
        {t('openData')}:{' '}
        <a
          href={`/export/initiatives.csv?municipality=${municipality}${year ? `&fiscalYear=${year}` : ''}`}
        >
          CSV
        </a>{' '}
        <a href="/export/dictionary.html">{t('dictionary')}</a>
      </p>
      {contact && (
        <footer className="contact" data-testid="contact">
          <h2>{t('contact')}</h2>
          <p>
            ☎{contact.section}
            {contact.extension && ` ☎${t('extension')}${contact.extension}`}
          </p>
        </footer>
      )}
    </>
  );
}
