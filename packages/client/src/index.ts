// `@hoshin/client`: the runtime plus the ready-made operations, their documents and types.
import fragmentMatcher from './generated/possible-types.js';
import { type Operations, operations } from './operations/index.js';
import { type WatchOperations, watchOperations } from './operations/watch.js';
import {
  type Client,
  type ClientOptions,
  createClient as createCoreClient,
} from './runtime/client.js';

export * from './core.js';
export * from './generated/documents.js';
export type * from './generated/graphql.js';
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
// Each ready-made operation on its own (client first): import only those you use and a
// bundle keeps only their documents.
export * from './operations/index.js';
export type {
  WatchedEvaluation,
  WatchedInitiative,
  WatchedPlan,
  WatchOperations,
} from './operations/watch.js';
export type { Watch, WatchChange, WatchEventKind, WatchOptions } from './runtime/watch.js';
export {
  type VerifyWebhookOptions,
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookEvent,
  WebhookSignatureError,
} from './runtime/webhooks.js';

/**
 * Which object types each of the schema's unions and interfaces covers (every mutation result's
 * error types, every `Node`), generated from the schema. Apollo Client's cache needs it to read a
 * fragment on an interface or union: `new InMemoryCache({ possibleTypes })`.
 */
export const possibleTypes: Record<string, string[]> = fragmentMatcher.possibleTypes;

export type HoshinClient = Client & Operations & WatchOperations;

/**
 * A client for hoshin's GraphQL API: `request()` for any typed document, plus the ready-made
 * operations.
 */
export function createClient(options: ClientOptions): HoshinClient {
  const client = createCoreClient(options);
  return { ...client, ...operations(client), ...watchOperations(client) };
}
