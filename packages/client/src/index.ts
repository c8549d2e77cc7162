// `@hoshin/client`: the runtime plus the ready-made operations, their documents and types.
import { type Operations, operations } from './operations/index.js';
import {
  type Client,
  type ClientOptions,
  createClient as createCoreClient,
} from './runtime/client.js';

export * from './core.js';
export type * from './generated/graphql.js';
export {
  DepartmentPlanDocument,
  FiscalYearDocument,
  PlansDocument,
  SearchInitiativesDocument,
} from './generated/graphql.js';
export type {
  DepartmentPlan,
  FiscalYear,
  InitiativeConnection,
  Operations,
  PlanConnection,
} from './operations/index.js';

export type HoshinClient = Client & Operations;

/**
 * A client for hoshin's GraphQL API: `request()` for any typed document, plus the ready-made
 * operations.
 */
export function createClient(options: ClientOptions): HoshinClient {
  const client = createCoreClient(options);
  return { ...client, ...operations(client) };
}
