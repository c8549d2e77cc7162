// Japanese fiscal years (年度): 1 April to 31 March, labelled with the era (元号) in force for
// most of the year. FY1988 is 昭和63年度 although 平成 began in January 1989; FY2019 is
// 令和元年度 because 令和 began on 1 May 2019. The first year of an era is written 元.

/** The April-to-March fiscal year was introduced in 1886 (明治19年度). */
export const MIN_FISCAL_YEAR = 1886;
/** Far enough ahead for long-term plans; the database holds the same bounds. */
export const MAX_FISCAL_YEAR = 2100;

export interface Era {
  name: string;
  romaji: string;
  /** First day of the era (proleptic Gregorian, UTC date). */
  start: string;
}

// Newest last. Dates are the first day of each era.
export const ERAS: readonly Era[] = [
  { name: '明治', romaji: 'Meiji', start: '1868-10-23' },
  { name: '大正', romaji: 'Taisho', start: '1912-07-30' },
  { name: '昭和', romaji: 'Showa', start: '1926-12-25' },
  { name: '平成', romaji: 'Heisei', start: '1989-01-08' },
  { name: '令和', romaji: 'Reiwa', start: '2019-05-01' },
];

export interface FiscalYear {
  /** The calendar year in which the fiscal year starts: 2012 for 平成24年度. */
  year: number;
  era: Era;
  /** Year number within the era; 1 is written 元. */
  eraYear: number;
  /** 平成24年度 */
  label: string;
  /** FY2012 */
  labelEn: string;
  /** ISO dates, inclusive. */
  startDate: string;
  endDate: string;
}

export function isSupportedFiscalYear(year: number): boolean {
  return Number.isInteger(year) && year >= MIN_FISCAL_YEAR && year <= MAX_FISCAL_YEAR;
}

const DAY_MS = 86_400_000;
const utc = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

/** The era with the most days inside [start, end]; ties go to the newer era. */
function eraOfMostDays(start: number, end: number): Era {
  let best: Era | undefined;
  let bestDays = -1;
  ERAS.forEach((era, index) => {
    const next = ERAS[index + 1];
    const from = Math.max(start, utc(era.start));
    const to = Math.min(end, next ? utc(next.start) - DAY_MS : end);
    const days = to >= from ? (to - from) / DAY_MS + 1 : 0;
    if (days >= bestDays && days > 0) {
      best = era;
      bestDays = days;
    }
  });
  if (!best) throw new RangeError('No era covers the given dates');
  return best;
}

/** Computed once per year (the era search parses dates): every plan and answer asks. */
const known = new Map<number, FiscalYear>();

export function fiscalYear(year: number): FiscalYear {
  let result = known.get(year);
  if (!result) {
    result = Object.freeze(computeFiscalYear(year));
    known.set(year, result);
  }
  return result;
}

function computeFiscalYear(year: number): FiscalYear {
  if (!isSupportedFiscalYear(year)) {
    throw new RangeError(
      `Fiscal year must be an integer from ${MIN_FISCAL_YEAR} to ${MAX_FISCAL_YEAR}, got ${year}`,
    );
  }
  const startDate = `${year}-04-01`;
  const endDate = `${year + 1}-03-31`;
  const era = eraOfMostDays(utc(startDate), utc(endDate));
  // The era's year 1 is the calendar year in which it began.
  const eraYear = year - Number(era.start.slice(0, 4)) + 1;
  return {
    year,
    era,
    eraYear,
    label: `${era.name}${eraYear === 1 ? '元' : eraYear}年度`,
    labelEn: `FY${year}`,
    startDate,
    endDate,
  };
}
