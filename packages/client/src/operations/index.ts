// The ready-made operations: typed functions over the SDK's own documents (the .graphql files
// beside this one, compiled by codegen), each returning the field the caller asked for rather
// than the whole `data` object. Documents are imported from generated/graphql.js, never
// through the generated graphql() lookup, which would pull every document into a bundle.
import {
  DepartmentPlanDocument,
  type DepartmentPlanQuery,
  type DepartmentPlanQueryVariables,
  FiscalYearDocument,
  type FiscalYearQuery,
  type FiscalYearQueryVariables,
  PlansDocument,
  type PlansQuery,
  type PlansQueryVariables,
  SearchInitiativesDocument,
  type SearchInitiativesQuery,
  type SearchInitiativesQueryVariables,
} from '../generated/graphql.js';
import type { Client, RequestOptions } from '../runtime/client.js';

export type DepartmentPlan = NonNullable<DepartmentPlanQuery['plan']>;
export type PlanConnection = PlansQuery['plans'];
export type InitiativeConnection = SearchInitiativesQuery['initiatives'];
export type FiscalYear = FiscalYearQuery['fiscalYear'];

export interface Operations {
  /** A department's plan for a fiscal year with its initiatives; null when there is none. */
  departmentPlan(
    variables: DepartmentPlanQueryVariables,
    options?: RequestOptions,
  ): Promise<DepartmentPlan | null>;
  /** The plans of a fiscal year, a page at a time (`first`, `after`). */
  plans(variables: PlansQueryVariables, options?: RequestOptions): Promise<PlanConnection>;
  /** Initiatives by text and/or scope, a page at a time. */
  searchInitiatives(
    variables?: SearchInitiativesQueryVariables,
    options?: RequestOptions,
  ): Promise<InitiativeConnection>;
  /** A fiscal year (年度) by the calendar year it starts in. */
  fiscalYear(variables: FiscalYearQueryVariables, options?: RequestOptions): Promise<FiscalYear>;
}

export function operations(client: Client): Operations {
  return {
    departmentPlan: async (variables, options) =>
      (await client.request(DepartmentPlanDocument, variables, options)).plan,
    plans: async (variables, options) =>
      (await client.request(PlansDocument, variables, options)).plans,
    searchInitiatives: async (variables, options) =>
      (await client.request(SearchInitiativesDocument, variables, options)).initiatives,
    fiscalYear: async (variables, options) =>
      (await client.request(FiscalYearDocument, variables, options)).fiscalYear,
  };
}
