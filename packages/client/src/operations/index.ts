// The ready-made operations: typed functions over the SDK's own documents (the .graphql files
// beside this one, compiled by codegen), each returning the field the caller asked for rather
// than the whole `data` object. Documents are imported from generated/graphql.js, never
// through the generated graphql() lookup, which would pull every document into a bundle.
import {
  AddInitiativeDocument,
  type AddInitiativeMutation,
  type AddInitiativeMutationVariables,
  CreatePlanDocument,
  type CreatePlanMutation,
  type CreatePlanMutationVariables,
  DepartmentPlanDocument,
  type DepartmentPlanQuery,
  type DepartmentPlanQueryVariables,
  EvaluationChangesDocument,
  type EvaluationChangesSubscription,
  FiscalYearDocument,
  type FiscalYearQuery,
  type FiscalYearQueryVariables,
  HistoryDocument,
  type HistoryQuery,
  type HistoryQueryVariables,
  InitiativeChangesDocument,
  type InitiativeChangesSubscription,
  type LiveFilter,
  PlanChangesDocument,
  type PlanChangesSubscription,
  PlansDocument,
  type PlansQuery,
  type PlansQueryVariables,
  PublishPlanDocument,
  type PublishPlanMutation,
  type PublishPlanMutationVariables,
  SearchInitiativesDocument,
  type SearchInitiativesQuery,
  type SearchInitiativesQueryVariables,
  SubmitFeedbackDocument,
  type SubmitFeedbackMutation,
  type SubmitFeedbackMutationVariables,
  UpdatePlanDocument,
  type UpdatePlanMutation,
  type UpdatePlanMutationVariables,
  YearSummaryDocument,
  type YearSummaryQuery,
  type YearSummaryQueryVariables,
} from '../generated/graphql.js';
import type { Client, RequestOptions } from '../runtime/client.js';
import type { SubscribeOptions } from '../runtime/subscribe.js';

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

// The writes' result unions, discriminated on `__typename` (the success type, or an error
// type carrying `message` and its own fields).
export type CreatePlanOutcome = CreatePlanMutation['createPlan'];
export type UpdatePlanOutcome = UpdatePlanMutation['updatePlan'];
export type PublishPlanOutcome = PublishPlanMutation['publishPlan'];
export type AddInitiativeOutcome = AddInitiativeMutation['addInitiative'];
export type SubmitFeedbackOutcome = SubmitFeedbackMutation['submitFeedback'];

/** Options of the ready-made live helpers: resume with `after`, stop with `signal`. */
export type LiveOptions = SubscribeOptions;

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
  /** A municipality's fiscal year in counts (plans, initiatives, reform share, achievement). */
  yearSummary(variables: YearSummaryQueryVariables, options?: RequestOptions): Promise<YearSummary>;
  /**
   * A record's changes, oldest first, by its global ID (a plan, initiative, evaluation,
   * department, municipality or white paper); null for an unknown or invisible ID.
   */
  history(
    variables: HistoryQueryVariables,
    options?: RequestOptions,
  ): Promise<RecordHistory | null>;

  // Writes: never retried. Each resolves with its result union (switch on `__typename`);
  // only transport and GraphQL errors reject.
  /** Starts a department's plan for a fiscal year, as a draft. */
  createPlan(
    input: CreatePlanMutationVariables['input'],
    options?: RequestOptions,
  ): Promise<CreatePlanOutcome>;
  /** Edits a plan; fields left out stay as they are, null clears one. */
  updatePlan(
    input: UpdatePlanMutationVariables['input'],
    options?: RequestOptions,
  ): Promise<UpdatePlanOutcome>;
  /** Makes a plan and its initiatives public (planning section only). */
  publishPlan(
    input: PublishPlanMutationVariables['input'],
    options?: RequestOptions,
  ): Promise<PublishPlanOutcome>;
  /** Adds an initiative to a plan (at the end unless `position` says otherwise). */
  addInitiative(
    input: AddInitiativeMutationVariables['input'],
    options?: RequestOptions,
  ): Promise<AddInitiativeOutcome>;
  /** Sends a citizen's opinion on a plan; anyone may, it is shown once approved. */
  submitFeedback(
    input: SubmitFeedbackMutationVariables['input'],
    options?: RequestOptions,
  ): Promise<SubmitFeedbackOutcome>;

  // Live: async iterables over SSE that reconnect and resume (see subscribe()).
  /** Changes to plans the caller may see. */
  planChanges(filter?: LiveFilter | null, options?: LiveOptions): AsyncGenerator<PlanEvent, void>;
  /** Changes to initiatives the caller may see. */
  initiativeChanges(
    filter?: LiveFilter | null,
    options?: LiveOptions,
  ): AsyncGenerator<InitiativeEvent, void>;
  /** Changes to evaluations the caller may see. */
  evaluationChanges(
    filter?: LiveFilter | null,
    options?: LiveOptions,
  ): AsyncGenerator<EvaluationEvent, void>;
}

/** The events of a subscription, as its one root field's value. */
async function* fieldOf<T, K extends keyof T>(
  events: AsyncIterable<T>,
  field: K,
): AsyncGenerator<T[K], void> {
  for await (const event of events) yield event[field];
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
    yearSummary: async (variables, options) =>
      (await client.request(YearSummaryDocument, variables, options)).yearSummary,
    history: async (variables, options) => {
      const { node } = await client.request(HistoryDocument, variables, options);
      return node && 'history' in node ? node.history : null;
    },
    createPlan: async (input, options) =>
      (await client.request(CreatePlanDocument, { input }, options)).createPlan,
    updatePlan: async (input, options) =>
      (await client.request(UpdatePlanDocument, { input }, options)).updatePlan,
    publishPlan: async (input, options) =>
      (await client.request(PublishPlanDocument, { input }, options)).publishPlan,
    addInitiative: async (input, options) =>
      (await client.request(AddInitiativeDocument, { input }, options)).addInitiative,
    submitFeedback: async (input, options) =>
      (await client.request(SubmitFeedbackDocument, { input }, options)).submitFeedback,
    planChanges: (filter, options) =>
      fieldOf(client.subscribe(PlanChangesDocument, { filter }, options), 'planChanged'),
    initiativeChanges: (filter, options) =>
      fieldOf(
        client.subscribe(InitiativeChangesDocument, { filter }, options),
        'initiativeChanged',
      ),
    evaluationChanges: (filter, options) =>
      fieldOf(
        client.subscribe(EvaluationChangesDocument, { filter }, options),
        'evaluationChanged',
      ),
  };
}
