// The initiatives table as statements outside Prisma compare and order it (graphql/compiled/
// where.ts): a searched count's sample, and the pages of lists that go through an initiative
// (evaluations in their initiatives' order).
import type { SqlTable } from '../../graphql/compiled/where.ts';
import { PLAN_STATUSES, planTable } from '../plan/plan.table.ts';

export const initiativeTable: SqlTable = {
  name: 'Initiative',
  alias: 'i',
  columns: {
    id: 'int',
    planId: 'int',
    position: 'int',
    planFiscalYear: 'int',
    planStatus: PLAN_STATUSES,
    isAdministrativeReform: 'bool',
    searchText: 'search-bigrams',
  },
  relations: { plan: { table: planTable, on: 'planId' } },
};
