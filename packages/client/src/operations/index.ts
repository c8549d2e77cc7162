// The ready-made operations: one typed function per operation of the API, each taking the
// client first and returning the field the caller asked for rather than the whole `data`.
// Every function is its own export marked pure, so a bundle keeps only the ones it imports
// (and their documents); `operations(client)` binds them all for createClient's convenience.
import {
  AddInitiativeDocument,
  AddTargetDocument,
  ApproveFeedbackDocument,
  AsOfDiffDocument,
  ChangesDocument,
  CompleteEvaluationStageDocument,
  CreateDepartmentDocument,
  CreateMunicipalityDocument,
  CreatePlanDocument,
  CreateWebhookEndpointDocument,
  CreateWhitePaperDocument,
  DeletePlanDocument,
  DeleteWebhookEndpointDocument,
  DepartmentDocument,
  DepartmentPlanDocument,
  DepartmentsDocument,
  EvaluationChangesDocument,
  EvaluationsDocument,
  FiscalYearDocument,
  HistoryDocument,
  InitiativeChainsDocument,
  InitiativeChangesDocument,
  InitiativeTargetsDocument,
  LatestChangeCursorDocument,
  MunicipalitiesDocument,
  MunicipalityDocument,
  PlanAsOfDocument,
  PlanChangesDocument,
  PlanFeedbackDocument,
  PlansDocument,
  PublishEvaluationDocument,
  PublishPlanDocument,
  PublishWhitePaperDocument,
  RecordEvaluationDocument,
  RecordEvaluationStageDocument,
  RecordTargetActualDocument,
  RedeliverWebhookDocument,
  RejectFeedbackDocument,
  RemoveInitiativeDocument,
  ReorderInitiativesDocument,
  ReturnEvaluationStageDocument,
  RotateWebhookSecretDocument,
  SearchInitiativesDocument,
  SetEvaluationStagesDocument,
  SetStatusRulesDocument,
  StatusRulesDocument,
  SubmitFeedbackDocument,
  TargetRollupsDocument,
  UnpublishEvaluationDocument,
  UnpublishPlanDocument,
  UpdateDepartmentDocument,
  UpdateEvaluationDocument,
  UpdateInitiativeDocument,
  UpdateMunicipalityDocument,
  UpdatePlanDocument,
  UpdateWebhookEndpointDocument,
  UpdateWhitePaperDocument,
  WebhookDeliveriesDocument,
  WebhookEndpointsDocument,
  WhitePapersDocument,
  YearSummaryDocument,
} from '../generated/documents.js';
import type {
  AddInitiativeMutation,
  CreatePlanMutation,
  DepartmentPlanQuery,
  EvaluationChangesSubscription,
  FiscalYearQuery,
  HistoryQuery,
  HistoryQueryVariables,
  InitiativeChangesSubscription,
  InitiativeTargetsQueryVariables,
  LiveFilter,
  PlanChangesSubscription,
  PlanFeedbackQueryVariables,
  PlansQuery,
  PublishPlanMutation,
  SearchInitiativesQuery,
  SubmitFeedbackMutation,
  UpdatePlanMutation,
  YearSummaryQuery,
} from '../generated/graphql.js';
import type { Client, RequestArgs, RequestOptions } from '../runtime/client.js';
import type { SubscribeOptions } from '../runtime/subscribe.js';
import type { TypedDocument } from '../runtime/types.js';

export type DepartmentPlan = NonNullable<DepartmentPlanQuery['plan']>;
export type PlanConnection = PlansQuery['plans'];
export type InitiativeConnection = SearchInitiativesQuery['initiatives'];
export type FiscalYear = FiscalYearQuery['fiscalYear'];
export type YearSummary = YearSummaryQuery['yearSummary'];
/** A page of a record's changes, oldest first. */
export type RecordHistory = Extract<
  NonNullable<HistoryQuery['node']>,
  { history: unknown }
>['history'];
export type PlanEvent = PlanChangesSubscription['planChanged'];
export type InitiativeEvent = InitiativeChangesSubscription['initiativeChanged'];
export type EvaluationEvent = EvaluationChangesSubscription['evaluationChanged'];

// The result unions of the most used writes, discriminated on `__typename`.
export type CreatePlanOutcome = CreatePlanMutation['createPlan'];
export type UpdatePlanOutcome = UpdatePlanMutation['updatePlan'];
export type PublishPlanOutcome = PublishPlanMutation['publishPlan'];
export type AddInitiativeOutcome = AddInitiativeMutation['addInitiative'];
export type SubmitFeedbackOutcome = SubmitFeedbackMutation['submitFeedback'];

/** Options of the ready-made live helpers: resume with `after`, follow the state, stop with `signal`. */
export type LiveOptions = SubscribeOptions;

/** A query returning one root field of its result. */
const query =
  <R, V, K extends keyof R>(document: TypedDocument<R, V>, field: K) =>
  async (client: Client, ...args: RequestArgs<V>): Promise<R[K]> =>
    // The args were checked against this document's variables by the signature above.
    (await client.request(document, ...(args as RequestArgs<NoInfer<V>>)))[field];

/**
 * A write: takes its `input`, resolves with its result union (switch on `__typename`: the
 * success type, or an error type with `message`). Never retried; only transport and GraphQL
 * errors reject.
 */
const write =
  <R, V extends { input: unknown }, K extends keyof R>(document: TypedDocument<R, V>, field: K) =>
  async (client: Client, input: V['input'], options?: RequestOptions): Promise<R[K]> =>
    // `{ input }` is V for every write document (one required `input` variable).
    (
      await client.request(
        document,
        ...([{ input }, options] as unknown as RequestArgs<NoInfer<V>>),
      )
    )[field];

/** The events of a subscription, as its one root field's value. */
async function* fieldOf<T, K extends keyof T>(
  events: AsyncIterable<T>,
  field: K,
): AsyncGenerator<T[K], void> {
  for await (const event of events) yield event[field];
}

/** A live helper: the events of one subscription, resumed after reconnects. */
const live =
  <R, K extends keyof R>(
    document: TypedDocument<R, { filter?: LiveFilter | null; after?: string | null }>,
    field: K,
  ) =>
  (client: Client, filter?: LiveFilter | null, options?: LiveOptions): AsyncGenerator<R[K], void> =>
    fieldOf(
      client.subscribe(
        document as TypedDocument<
          { [k: string]: { cursor: string } },
          { filter?: LiveFilter | null; after?: string | null }
        >,
        { filter },
        options,
      ) as AsyncIterable<R>,
      field,
    );

/** A department's plan for a fiscal year with its initiatives; null when there is none. */
export const departmentPlan = /* @__PURE__ */ query(DepartmentPlanDocument, 'plan');
/** The plans of a fiscal year, a page at a time (`first`, `after`). */
export const plans = /* @__PURE__ */ query(PlansDocument, 'plans');
/** Initiatives by text and/or scope, a page at a time. */
export const searchInitiatives = /* @__PURE__ */ query(SearchInitiativesDocument, 'initiatives');
/** A fiscal year (年度) by the calendar year it starts in. */
export const fiscalYear = /* @__PURE__ */ query(FiscalYearDocument, 'fiscalYear');
/** A municipality's fiscal year in counts (plans, initiatives, reform share, achievement). */
export const yearSummary = /* @__PURE__ */ query(YearSummaryDocument, 'yearSummary');
/** A municipality by its national code. */
export const municipality = /* @__PURE__ */ query(MunicipalityDocument, 'municipality');
/** Municipalities, a page at a time. */
export const municipalities = /* @__PURE__ */ query(MunicipalitiesDocument, 'municipalities');
/** A municipality's departments in display order (those of a fiscal year, when given). */
export const departments = /* @__PURE__ */ query(DepartmentsDocument, 'departments');
/** A department by its municipality and code. */
export const department = /* @__PURE__ */ query(DepartmentDocument, 'department');
/** A municipality's white papers, newest first. */
export const whitePapers = /* @__PURE__ */ query(WhitePapersDocument, 'whitePapers');
/** Evaluations (達成状況) of initiatives in scope, a page at a time. */
export const evaluations = /* @__PURE__ */ query(EvaluationsDocument, 'evaluations');
/** The change log, oldest first, within what the caller's token covers. */
export const changes = /* @__PURE__ */ query(ChangesDocument, 'changes');
/** Each initiative of a department's year through the years (decisions that carry on). */
export const initiativeChains = /* @__PURE__ */ query(InitiativeChainsDocument, 'initiativeChains');
/** The cursor of the newest change (null before any): subscribe after it to miss nothing. */
export const latestChangeCursor = /* @__PURE__ */ query(
  LatestChangeCursorDocument,
  'latestChangeCursor',
);

/**
 * A record's changes, oldest first, by its global ID (a plan, initiative, evaluation,
 * department, municipality or white paper); null for an unknown or invisible ID.
 */
export const history = async (client: Client, ...args: RequestArgs<HistoryQueryVariables>) => {
  const { node } = await client.request(HistoryDocument, ...args);
  return node && 'history' in node ? node.history : null;
};

/**
 * Opinions on a plan (by its ID): approved ones for anyone, all of them for its department
 * and the planning section; null for an unknown or invisible plan.
 */
export const planFeedback = async (
  client: Client,
  ...args: RequestArgs<PlanFeedbackQueryVariables>
) => {
  const { node } = await client.request(PlanFeedbackDocument, ...args);
  return node && 'feedback' in node ? node.feedback : null;
};

export const deletePlan = /* @__PURE__ */ write(DeletePlanDocument, 'deletePlan');
export const unpublishPlan = /* @__PURE__ */ write(UnpublishPlanDocument, 'unpublishPlan');
export const updateInitiative = /* @__PURE__ */ write(UpdateInitiativeDocument, 'updateInitiative');
export const removeInitiative = /* @__PURE__ */ write(RemoveInitiativeDocument, 'removeInitiative');
export const reorderInitiatives = /* @__PURE__ */ write(
  ReorderInitiativesDocument,
  'reorderInitiatives',
);
export const recordEvaluation = /* @__PURE__ */ write(RecordEvaluationDocument, 'recordEvaluation');
export const updateEvaluation = /* @__PURE__ */ write(UpdateEvaluationDocument, 'updateEvaluation');
export const publishEvaluation = /* @__PURE__ */ write(
  PublishEvaluationDocument,
  'publishEvaluation',
);
export const unpublishEvaluation = /* @__PURE__ */ write(
  UnpublishEvaluationDocument,
  'unpublishEvaluation',
);
export const recordEvaluationStage = /* @__PURE__ */ write(
  RecordEvaluationStageDocument,
  'recordEvaluationStage',
);
export const completeEvaluationStage = /* @__PURE__ */ write(
  CompleteEvaluationStageDocument,
  'completeEvaluationStage',
);
export const returnEvaluationStage = /* @__PURE__ */ write(
  ReturnEvaluationStageDocument,
  'returnEvaluationStage',
);
export const setEvaluationStages = /* @__PURE__ */ write(
  SetEvaluationStagesDocument,
  'setEvaluationStages',
);
export const publishWhitePaper = /* @__PURE__ */ write(
  PublishWhitePaperDocument,
  'publishWhitePaper',
);
export const approveFeedback = /* @__PURE__ */ write(ApproveFeedbackDocument, 'approveFeedback');
export const rejectFeedback = /* @__PURE__ */ write(RejectFeedbackDocument, 'rejectFeedback');
export const createDepartment = /* @__PURE__ */ write(CreateDepartmentDocument, 'createDepartment');
export const updateDepartment = /* @__PURE__ */ write(UpdateDepartmentDocument, 'updateDepartment');
export const createMunicipality = /* @__PURE__ */ write(
  CreateMunicipalityDocument,
  'createMunicipality',
);
export const updateMunicipality = /* @__PURE__ */ write(
  UpdateMunicipalityDocument,
  'updateMunicipality',
);
export const createWhitePaper = /* @__PURE__ */ write(CreateWhitePaperDocument, 'createWhitePaper');
export const updateWhitePaper = /* @__PURE__ */ write(UpdateWhitePaperDocument, 'updateWhitePaper');
export const createPlan = /* @__PURE__ */ write(CreatePlanDocument, 'createPlan');
export const updatePlan = /* @__PURE__ */ write(UpdatePlanDocument, 'updatePlan');
export const publishPlan = /* @__PURE__ */ write(PublishPlanDocument, 'publishPlan');
export const addInitiative = /* @__PURE__ */ write(AddInitiativeDocument, 'addInitiative');
export const submitFeedback = /* @__PURE__ */ write(SubmitFeedbackDocument, 'submitFeedback');

/** Changes to plans the caller may see. */
export const planChanges = /* @__PURE__ */ live(PlanChangesDocument, 'planChanged');
/** Changes to initiatives the caller may see. */
export const initiativeChanges = /* @__PURE__ */ live(
  InitiativeChangesDocument,
  'initiativeChanged',
);
/** Changes to evaluations the caller may see. */
export const evaluationChanges = /* @__PURE__ */ live(
  EvaluationChangesDocument,
  'evaluationChanged',
);

/** A municipality's status rules (the default set until it sets its own). */
export const statusRules = /* @__PURE__ */ query(StatusRulesDocument, 'statusRules');
/** Target statuses per department for a fiscal year: counts, share on track, weighted progress. */
export const targetRollups = /* @__PURE__ */ query(TargetRollupsDocument, 'targetRollups');
/** A plan as it stood at a time or change sequence; null if the caller could not see it then. */
export const planAsOf = /* @__PURE__ */ query(PlanAsOfDocument, 'planAsOf');
/** How a plan, initiative or evaluation differs between two points, field by field. */
export const asOfDiff = /* @__PURE__ */ query(AsOfDiffDocument, 'asOfDiff');
/** An initiative's targets with their status (by its ID); null for an unknown or invisible one. */
export const initiativeTargets = async (
  client: Client,
  ...args: RequestArgs<InitiativeTargetsQueryVariables>
) => {
  const { node } = await client.request(InitiativeTargetsDocument, ...args);
  return node && 'targets' in node ? node.targets : null;
};
export const addTarget = /* @__PURE__ */ write(AddTargetDocument, 'addTarget');
export const recordTargetActual = /* @__PURE__ */ write(
  RecordTargetActualDocument,
  'recordTargetActual',
);
export const setStatusRules = /* @__PURE__ */ write(SetStatusRulesDocument, 'setStatusRules');

// Webhooks (planning section and admin tokens; docs/integrating.md). The secret is in
// createWebhookEndpoint's and rotateWebhookSecret's success only: keep it then.
export const createWebhookEndpoint = /* @__PURE__ */ write(
  CreateWebhookEndpointDocument,
  'createWebhookEndpoint',
);
export const updateWebhookEndpoint = /* @__PURE__ */ write(
  UpdateWebhookEndpointDocument,
  'updateWebhookEndpoint',
);
export const rotateWebhookSecret = /* @__PURE__ */ write(
  RotateWebhookSecretDocument,
  'rotateWebhookSecret',
);
export const deleteWebhookEndpoint = /* @__PURE__ */ write(
  DeleteWebhookEndpointDocument,
  'deleteWebhookEndpoint',
);
export const redeliverWebhook = /* @__PURE__ */ write(RedeliverWebhookDocument, 'redeliverWebhook');
/** The webhook endpoints your token manages. */
export const webhookEndpoints = /* @__PURE__ */ query(WebhookEndpointsDocument, 'webhookEndpoints');
/** An endpoint's delivery log, newest first; null for an endpoint you do not manage. */
export const webhookDeliveries = /* @__PURE__ */ query(
  WebhookDeliveriesDocument,
  'webhookEndpoint',
);

/** Every ready-made operation, by name. */
const all = {
  departmentPlan,
  plans,
  searchInitiatives,
  fiscalYear,
  yearSummary,
  municipality,
  municipalities,
  departments,
  department,
  whitePapers,
  evaluations,
  changes,
  initiativeChains,
  latestChangeCursor,
  history,
  planFeedback,
  deletePlan,
  unpublishPlan,
  updateInitiative,
  removeInitiative,
  reorderInitiatives,
  recordEvaluation,
  updateEvaluation,
  publishEvaluation,
  unpublishEvaluation,
  recordEvaluationStage,
  completeEvaluationStage,
  returnEvaluationStage,
  setEvaluationStages,
  publishWhitePaper,
  approveFeedback,
  rejectFeedback,
  createDepartment,
  updateDepartment,
  createMunicipality,
  updateMunicipality,
  createWhitePaper,
  updateWhitePaper,
  createPlan,
  updatePlan,
  publishPlan,
  addInitiative,
  submitFeedback,
  planChanges,
  initiativeChanges,
  evaluationChanges,
  statusRules,
  targetRollups,
  planAsOf,
  asOfDiff,
  initiativeTargets,
  addTarget,
  recordTargetActual,
  setStatusRules,
  createWebhookEndpoint,
  updateWebhookEndpoint,
  rotateWebhookSecret,
  deleteWebhookEndpoint,
  redeliverWebhook,
  webhookEndpoints,
  webhookDeliveries,
};

/** A ready-made operation with its client bound. */
type Bound<F> = F extends (client: Client, ...args: infer A) => infer R ? (...args: A) => R : never;
export type Operations = { [K in keyof typeof all]: Bound<(typeof all)[K]> };

/** Every ready-made operation bound to `client` (pulls every document into a bundle). */
export function operations(client: Client): Operations {
  const bound: Record<string, unknown> = {};
  for (const [name, operation] of Object.entries(all)) {
    bound[name] = (...args: unknown[]) =>
      (operation as (c: Client, ...a: unknown[]) => unknown)(client, ...args);
  }
  return bound as Operations;
}
