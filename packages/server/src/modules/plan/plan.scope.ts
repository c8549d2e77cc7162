// The filter shared by list queries: which municipality, fiscal year(s), department and
// status. Codes
// that name nothing are reported only when a result comes back empty, so the common case
// costs no extra query.

import type { Prisma } from '../../../generated/prisma/client.ts';
import type { PrismaClient } from '../../db/client.ts';
import { ErrorCode, UserInputError } from '../../errors.ts';
import { builder } from '../../graphql/builder.ts';
import { parseFiscalYear } from '../fiscal-year/fiscal-year.type.ts';
import { requireDepartment, requireMunicipality } from '../municipality/municipality.lookup.ts';

import { PublicationStatus } from './plan.type.ts';

const MAX_YEARS_LISTED = 50;

export interface FiscalYearRangeShape {
  from?: number | null;
  to?: number | null;
  in?: number[] | null;
}

export interface PlanScope {
  municipality?: string | null;
  fiscalYear?: number | null;
  fiscalYears?: FiscalYearRangeShape | null;
  department?: string | null;
  status?: 'DRAFT' | 'PUBLISHED' | null;
}

export const FiscalYearRange = builder.inputType('FiscalYearRange', {
  description:
    'Several fiscal years: a range (`from`/`to`, both included, either may be left open) or a list (`in`), not both.',
  fields: (t) => ({
    from: t.int({ description: 'First year, e.g. 2012.' }),
    to: t.int({ description: 'Last year, included.' }),
    in: t.intList({ description: `Exactly these years (at most ${MAX_YEARS_LISTED}).` }),
  }),
});

// Shared by every list's filter, so `fiscalYears`, `status` and the rest read the same.
export const planScopeFields = (t: PothosInputFieldBuilder) => ({
  municipality: t.string({ description: 'National code, e.g. 132047.' }),
  fiscalYear: t.int({ description: 'One fiscal year, e.g. 2012 for 平成24年度.' }),
  fiscalYears: t.field({
    type: FiscalYearRange,
    description: 'Several fiscal years; instead of `fiscalYear`.',
  }),
  department: t.string({ description: 'Department code, e.g. kyoiku.' }),
  status: t.field({
    type: PublicationStatus,
    description:
      "Only plans in this status. Narrows what the caller may see, never widens it: the public's DRAFT list is empty.",
  }),
});

type PothosInputFieldBuilder = Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0];

export const PlanFilter = builder.inputType('PlanFilter', {
  fields: (t) => planScopeFields(t),
});

function badYears(message: string): UserInputError {
  return new UserInputError(ErrorCode.BAD_USER_INPUT, message, { argument: 'filter.fiscalYears' });
}

/** The `fiscalYear` condition of a scope, years checked at the edge. */
function fiscalYearWhere(scope: PlanScope): Prisma.IntFilter | number | undefined {
  const { fiscalYear, fiscalYears } = scope;
  if (fiscalYear != null && fiscalYears != null)
    throw badYears('Give "fiscalYear" or "fiscalYears", not both');
  if (fiscalYear != null) return parseFiscalYear(fiscalYear).year;
  if (fiscalYears == null) return undefined;
  const { from, to, in: list } = fiscalYears;
  if (list != null) {
    if (from != null || to != null)
      throw badYears('Give a range (from/to) or a list (in), not both');
    if (list.length === 0 || list.length > MAX_YEARS_LISTED)
      throw badYears(`"in" must list 1 to ${MAX_YEARS_LISTED} years`);
    return { in: list.map((year) => parseFiscalYear(year, 'filter.fiscalYears.in').year) };
  }
  if (from == null && to == null) throw badYears('Give "from", "to" or "in"');
  const range: Prisma.IntFilter = {};
  if (from != null) range.gte = parseFiscalYear(from, 'filter.fiscalYears.from').year;
  if (to != null) range.lte = parseFiscalYear(to, 'filter.fiscalYears.to').year;
  if (range.gte != null && range.lte != null && range.gte > range.lte)
    throw badYears(`"from" (${range.gte}) is after "to" (${range.lte})`);
  return range;
}

/** The `where` for plans in the scope; checks the year range up front. */
export function planScopeWhere(
  scope: PlanScope | null | undefined,
): Prisma.DepartmentPlanWhereInput {
  if (!scope) return {};
  const where: Prisma.DepartmentPlanWhereInput = {};
  const years = fiscalYearWhere(scope);
  if (years !== undefined) where.fiscalYear = years;
  if (scope.status != null) where.status = scope.status;
  if (scope.municipality != null || scope.department != null) {
    where.department = {
      ...(scope.municipality != null ? { municipality: { code: scope.municipality } } : {}),
      ...(scope.department != null ? { code: scope.department } : {}),
    };
  }
  return where;
}

/**
 * The same scope for initiatives: the year and the status from the plan's copies on the
 * initiative (Initiative.planFiscalYear and planStatus, indexed beside the search column), the
 * municipality and the department through the plan.
 */
export function initiativeScopeWhere(
  scope: PlanScope | null | undefined,
): Prisma.InitiativeWhereInput {
  const { fiscalYear, status, department } = planScopeWhere(scope);
  return {
    ...(fiscalYear !== undefined
      ? { planFiscalYear: fiscalYear as Prisma.InitiativeWhereInput['planFiscalYear'] }
      : {}),
    ...(status !== undefined
      ? { planStatus: status as Prisma.InitiativeWhereInput['planStatus'] }
      : {}),
    ...(department !== undefined ? { plan: { department } } : {}),
  };
}

/** After an empty result: throws if a code in the scope names nothing. */
export async function assertScopeExists(prisma: PrismaClient, scope: PlanScope | null | undefined) {
  if (!scope?.municipality) return;
  if (scope.department) await requireDepartment(prisma, scope.municipality, scope.department);
  else await requireMunicipality(prisma, scope.municipality);
}
