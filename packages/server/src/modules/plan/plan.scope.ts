// The filter shared by list queries: which municipality, fiscal year and department. Codes
// that name nothing are reported only when a result comes back empty, so the common case
// costs no extra query.
import type { PrismaClient } from '../../db/client.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { builder } from '../../graphql/builder.ts';
import { parseFiscalYear } from '../fiscal-year/fiscal-year.type.ts';
import { requireDepartment, requireMunicipality } from '../municipality/municipality.lookup.ts';

export interface PlanScope {
  municipality?: string | null;
  fiscalYear?: number | null;
  department?: string | null;
}

export const PlanFilter = builder.inputType('PlanFilter', {
  fields: (t) => ({
    municipality: t.string({ description: 'National code, e.g. 132047.' }),
    fiscalYear: t.int({ description: 'e.g. 2012 for 平成24年度.' }),
    department: t.string({ description: 'Department code, e.g. kyoiku.' }),
  }),
});

/** The `where` for plans in the scope; checks the year range up front. */
export function planScopeWhere(
  scope: PlanScope | null | undefined,
): Prisma.DepartmentPlanWhereInput {
  if (!scope) return {};
  const where: Prisma.DepartmentPlanWhereInput = {};
  if (scope.fiscalYear != null) where.fiscalYear = parseFiscalYear(scope.fiscalYear).year;
  if (scope.municipality != null || scope.department != null) {
    where.department = {
      ...(scope.municipality != null ? { municipality: { code: scope.municipality } } : {}),
      ...(scope.department != null ? { code: scope.department } : {}),
    };
  }
  return where;
}

/** After an empty result: throws if a code in the scope names nothing. */
export async function assertScopeExists(prisma: PrismaClient, scope: PlanScope | null | undefined) {
  if (!scope?.municipality) return;
  if (scope.department) await requireDepartment(prisma, scope.municipality, scope.department);
  else await requireMunicipality(prisma, scope.municipality);
}
