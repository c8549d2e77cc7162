// A department in a fiscal year: whether it existed then, and its name then. Renaming from a
// year on keeps the former naming for the years before (DepartmentFormerName), so wherever a
// department is shown for a year (a plan's department, departments(fiscalYear:), a year's
// summary, live plan events, exports for a year) its name and English name are the ones it had
// then. Every path asks here.

import type { Prisma } from '../../../generated/prisma/client.ts';
import type { FieldChanges } from '../../db/history.ts';

export interface Naming {
  name: string;
  nameEn: string | null;
  displayOrder: number;
}

export interface FormerName extends Naming {
  untilFiscalYear: number;
}

/** Former names as the `formerNames` field lists them: oldest first. */
export const formerNamesOrder = { orderBy: { untilFiscalYear: 'asc' } } as const;

/**
 * Prisma selection of what namingIn needs besides the department's own columns. With the
 * `formerNames` field's own arguments, so one load serves both: loaded twice with different
 * ones, one is read again after the rest, through the plan's visibility, which fails for the
 * plan a write has just deleted.
 */
export const formerNamesSelect = {
  formerNames: {
    ...formerNamesOrder,
    select: { untilFiscalYear: true, name: true, nameEn: true, displayOrder: true },
  },
} as const;

/** Departments that existed in `year` (established by then, not abolished before). */
export function existedIn(year: number): Prisma.DepartmentWhereInput {
  return {
    AND: [
      { OR: [{ establishedIn: null }, { establishedIn: { lte: year } }] },
      { OR: [{ abolishedAfter: null }, { abolishedAfter: { gte: year } }] },
    ],
  };
}

/**
 * A Prisma query for departments (as Pothos plans it: select or include) that also reads their
 * former names, for shownInYear. Typed as the query it extends: Pothos types rows by its plan.
 */
export function withFormerNames<Q extends { select?: object | null; include?: object | null }>(
  query: Q,
): Q {
  return query.select
    ? { ...query, select: { ...query.select, ...formerNamesSelect } }
    : { ...query, include: { ...query.include, ...formerNamesSelect } };
}

/** The naming in force in `year`: the earliest former name that lasted until then, else the current one. */
export function namingIn(
  current: Naming,
  formerNames: readonly FormerName[],
  year: number,
): Naming {
  const former = formerNames
    .filter((f) => f.untilFiscalYear >= year)
    .sort((a, b) => a.untilFiscalYear - b.untilFiscalYear)[0];
  const { name, nameEn, displayOrder } = former ?? current;
  return { name, nameEn, displayOrder };
}

// The naming a department row is shown with, for rows handed out in a year's context. Kept
// beside the row (not copied into it) so the row stays the object the Prisma plugin loaded.
const shown = new WeakMap<object, Naming>();

/**
 * Marks `department` (read with withFormerNames) as shown for `year` and returns it: the row
 * itself, not a copy.
 */
export function shownInYear<D extends Naming>(department: D, year: number): D {
  const { formerNames } = department as { formerNames?: readonly FormerName[] };
  // A read without them would show today's name for every year, silently.
  if (!formerNames) throw new Error('shownInYear: the department was read without formerNames');
  shown.set(department, namingIn(department, formerNames, year));
  return department;
}

/** The name and English name to show for a department row: as of its year, else today's. */
export function shownNaming(department: Naming): Naming {
  return shown.get(department) ?? department;
}

// A department edit records, for each plan that shows the department differently afterwards,
// a plan change whose fields are the department's, prefixed: `department.name` and so on.
const PREFIX = 'department.';

export function departmentChanges(changes: FieldChanges): FieldChanges {
  return Object.fromEntries(Object.entries(changes).map(([field, c]) => [PREFIX + field, c]));
}

/** Was this plan change a change of how its department is shown (a rename, say)? */
export function changesShownDepartment(changes: unknown): boolean {
  return Object.keys((changes ?? {}) as object).some((field) => field.startsWith(PREFIX));
}
