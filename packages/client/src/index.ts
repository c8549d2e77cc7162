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
  AddInitiativeDocument,
  CreatePlanDocument,
  DepartmentPlanDocument,
  EvaluationChangesDocument,
  FiscalYearDocument,
  HistoryDocument,
  InitiativeChangesDocument,
  PlanChangesDocument,
  PlansDocument,
  PublishPlanDocument,
  SearchInitiativesDocument,
  SubmitFeedbackDocument,
  UpdatePlanDocument,
  YearSummaryDocument,
} from './generated/graphql.js';
export * from './open-data.js';
export type {
  AddInitiativeOutcome,
  CreatePlanOutcome,
  DepartmentPlan,
  EvaluationEvent,
  FiscalYear,
  InitiativeConnection,
  InitiativeEvent,
  LiveOptions,
  Operations,
  PlanConnection,
  PlanEvent,
  PublishPlanOutcome,
  RecordHistory,
  SubmitFeedbackOutcome,
  UpdatePlanOutcome,
  YearSummary,
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
