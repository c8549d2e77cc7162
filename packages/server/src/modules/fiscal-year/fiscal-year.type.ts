// FiscalYear and Era: values derived from a year number, never stored as rows.

import { ErrorCode, UserInputError } from '../../errors.ts';
import { builder } from '../../graphql/builder.ts';
import {
  type Era,
  type FiscalYear,
  fiscalYear,
  isSupportedFiscalYear,
  MAX_FISCAL_YEAR,
  MIN_FISCAL_YEAR,
} from './fiscal-year.ts';

/** Checks a fiscal year argument at the edge; `argument` names it in the error. */
export function parseFiscalYear(year: number, argument = 'fiscalYear'): FiscalYear {
  if (!isSupportedFiscalYear(year)) {
    throw new UserInputError(
      ErrorCode.FISCAL_YEAR_OUT_OF_RANGE,
      `"${argument}" must be a year from ${MIN_FISCAL_YEAR} to ${MAX_FISCAL_YEAR}, got ${year}`,
      { argument, min: MIN_FISCAL_YEAR, max: MAX_FISCAL_YEAR },
    );
  }
  return fiscalYear(year);
}

export const EraRef = builder.objectRef<Era>('Era').implement({
  description: 'A Japanese era (元号).',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'e.g. 平成' }),
    romaji: t.exposeString('romaji', { description: 'e.g. Heisei' }),
    startDate: t.field({ type: 'LocalDate', resolve: (era) => era.start }),
  }),
});

export const FiscalYearRef = builder.objectRef<FiscalYear>('FiscalYear').implement({
  description:
    'A Japanese fiscal year (年度), 1 April to 31 March, labelled with the era in force for most of it.',
  fields: (t) => ({
    year: t.exposeInt('year', {
      description: 'The calendar year it starts in: 2012 for 平成24年度.',
    }),
    label: t.exposeString('label', { description: 'e.g. 平成24年度, 令和元年度' }),
    labelEn: t.exposeString('labelEn', { description: 'e.g. FY2012' }),
    era: t.field({ type: EraRef, resolve: (fy) => fy.era }),
    eraYear: t.exposeInt('eraYear', { description: 'Year within the era; 1 is written 元.' }),
    startDate: t.field({ type: 'LocalDate', resolve: (fy) => fy.startDate }),
    endDate: t.field({ type: 'LocalDate', resolve: (fy) => fy.endDate }),
  }),
});

builder.queryField('fiscalYear', (t) =>
  t.field({
    type: FiscalYearRef,
    description: `The fiscal year starting in April of \`year\` (${MIN_FISCAL_YEAR} to ${MAX_FISCAL_YEAR}).`,
    args: { year: t.arg.int({ required: true }) },
    resolve: (_root, { year }) => parseFiscalYear(year, 'year'),
  }),
);
