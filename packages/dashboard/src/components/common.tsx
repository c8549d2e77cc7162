import { HoshinRequestError } from '@hoshin/client';
import type { ReactNode } from 'react';
import { endpoint } from '../data/hoshin';
import type { PlanIndex } from '../data/queries';
import { type QueryState, useHoshin } from '../data/react';
import { downloadExport, type ExportFilter } from '../download';
import { useLang, useT } from '../i18n';

/** Loading and error states of a query, around what it shows once loaded. */
export function Loaded<T>(props: { query: QueryState<T>; children: (data: T) => ReactNode }) {
  const t = useT();
  const { data, error } = props.query;
  return (
    <>
      {error !== undefined && (
        <p role="alert" className="error">
          {t('loadFailed')}:{' '}
          {error instanceof HoshinRequestError
            ? `${error.kind} ${error.codes.join(',')}`
            : String(error)}
        </p>
      )}
      {data === undefined
        ? error === undefined && <p className="muted">{t('loading')}</p>
        : props.children(data)}
    </>
  );
}

export function YearSelect(props: {
  index: PlanIndex;
  value: number | undefined;
  onChange: (year: number) => void;
}) {
  const t = useT();
  const lang = useLang();
  return (
    <label>
      {t('fiscalYear')}
      <select
        value={props.value ?? ''}
        onChange={(event) => props.onChange(Number(event.target.value))}
        data-testid="year-select"
      >
        {props.index.years.map((y) => (
          <option key={y.year} value={y.year}>
            {lang === 'en' ? y.labelEn : `${y.label} (${y.year})`}
          </option>
        ))}
      </select>
    </label>
  );
}

export function DepartmentSelect(props: {
  index: PlanIndex;
  value: string | undefined;
  allowAll: boolean;
  onChange: (department: string | undefined) => void;
}) {
  const t = useT();
  const lang = useLang();
  return (
    <label>
      {t('department')}
      <select
        value={props.value ?? ''}
        onChange={(event) => props.onChange(event.target.value || undefined)}
        data-testid="department-select"
      >
        {props.allowAll && <option value="">{t('allDepartments')}</option>}
        {props.index.departments.map((d) => (
          <option key={d.code} value={d.code}>
            {lang === 'en' && d.nameEn ? d.nameEn : d.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * The year's open-data landing page (package, catalogue, field dictionary) and its Atom feed
 * of publications, on the server the app reads from.
 */
export function OpenDataLinks(props: { municipality: string; year: number }) {
  const t = useT();
  const folder = new URL(`/open-data/${props.municipality}/${props.year}/`, endpoint());
  return (
    <p className="open-data-links">
      <a href={folder.toString()} data-testid="open-data">
        {t('openData')}
      </a>{' '}
      · <a href={new URL('feed.atom', folder).toString()}>{t('feed')}</a>
    </p>
  );
}

/** Downloads the server's CSV export of what the view shows (same filters). */
export function DownloadButton(props: { filter: ExportFilter }) {
  const t = useT();
  const { token } = useHoshin();
  return (
    <button
      type="button"
      className="download"
      data-testid="download-csv"
      data-export={props.filter.entity}
      onClick={() => void downloadExport(token, props.filter)}
    >
      ⬇ {t('download')}
    </button>
  );
}
