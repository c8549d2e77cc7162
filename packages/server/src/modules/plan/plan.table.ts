// The plans table (and the department and municipality it joins) as statements outside Prisma
// compare and order it (graphql/compiled/where.ts): the compiled plan reads, the searched counts'
// statements and the pages of lists that go through a plan.
import { PublicationStatus } from '../../../generated/prisma/enums.ts';
import type { SqlTable } from '../../graphql/compiled/where.ts';

/** The statuses a plan may have, as the schema declares them. */
export const PLAN_STATUSES = Object.values(PublicationStatus);

// As visiblePlans' and planScopeWhere's filters may compare them.
const municipalityTable: SqlTable = {
  name: 'Municipality',
  alias: 'm',
  columns: { id: 'int', code: 'text' },
};
const departmentTable: SqlTable = {
  name: 'Department',
  alias: 'd',
  columns: { id: 'int', municipalityId: 'int', displayOrder: 'int', code: 'text' },
  relations: { municipality: { table: municipalityTable, on: 'municipalityId' } },
};
export const planTable: SqlTable = {
  name: 'DepartmentPlan',
  alias: 'p',
  columns: {
    id: 'int',
    departmentId: 'int',
    fiscalYear: 'int',
    departmentOrder: 'int',
    status: PLAN_STATUSES,
  },
  relations: { department: { table: departmentTable, on: 'departmentId' } },
};
