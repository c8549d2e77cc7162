// The GraphQL requests the benchmark sends. Every rung of the ladder answers the same request
// body with the same response bytes; the contract query is the one the issue names.

export interface Scenario {
  /** Stable id used in results: contract, list-1, list-10, list-100. */
  id: string;
  title: string;
  /** The exact POST body every rung receives. */
  body: string;
  /** For list scenarios: how many plans. */
  listSize?: number;
}

export const CONTRACT_ARGS = { municipality: '132047', department: 'kyoiku', fiscalYear: 2012 };
export const CONTRACT_FIRST = 20;
export const LIST_FISCAL_YEAR = 2012;
export const LIST_INITIATIVES = 10;
export const LIST_SIZES = [1, 10, 100] as const;

const contractQuery = `query DepartmentPlan { plan(municipality: "${CONTRACT_ARGS.municipality}", department: "${CONTRACT_ARGS.department}", fiscalYear: ${CONTRACT_ARGS.fiscalYear}) { department { code name } fiscalYear { year label } mission staffCount budgetYen policy status initiatives(first: ${CONTRACT_FIRST}) { totalCount edges { cursor node { position text isAdministrativeReform footnotes evaluation { rating } } } pageInfo { hasNextPage endCursor } } } }`;

const listQuery = (first: number) =>
  `query PlanList { plans(filter: { fiscalYear: ${LIST_FISCAL_YEAR} }, first: ${first}) { edges { node { department { name } initiatives(first: ${LIST_INITIATIVES}) { edges { node { text evaluation { rating } } } } } } } }`;

export const contractScenario: Scenario = {
  id: 'contract',
  title: 'contract query: plan(132047, kyoiku, 2012) with 20 initiatives and evaluations',
  body: JSON.stringify({ query: contractQuery }),
};

export const listScenarios: Scenario[] = LIST_SIZES.map((n) => ({
  id: `list-${n}`,
  title: `plans(fiscalYear 2012, first: ${n}) { department, initiatives(first: 10) { text, evaluation } }`,
  body: JSON.stringify({ query: listQuery(n) }),
  listSize: n,
}));

export const allScenarios: Scenario[] = [contractScenario, ...listScenarios];

export function scenarioForBody(body: string): Scenario | undefined {
  return allScenarios.find((scenario) => scenario.body === body);
}
