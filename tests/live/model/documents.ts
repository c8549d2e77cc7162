// The GraphQL documents the model test sends, and one normalised shape per entity so that a
// query's node and an event's state (PlanState, InitiativeState, EvaluationState) compare equal.

export type EntityKind = 'plan' | 'initiative' | 'evaluation';
export const ENTITY_KINDS: readonly EntityKind[] = ['plan', 'initiative', 'evaluation'];

export interface LiveFilter {
  municipality: string;
  fiscalYear?: number;
  department?: string;
}

/** One entity as a viewer holds it, keyed by global id. */
export type Row = Record<string, unknown> & { id: string };
export type Collection = Map<string, Row>;
export type State = Record<EntityKind, Collection>;

export const emptyState = (): State => ({
  plan: new Map(),
  initiative: new Map(),
  evaluation: new Map(),
});

const PLAN_FIELDS = `id version status mission staffCount budgetYen policy publishedAt
  fiscalYear { year } department { code name }`;
const INITIATIVE_FIELDS = 'id version position text isAdministrativeReform footnotes citations';
const EVALUATION_FIELDS = 'id version status rating summary progressPercent decision';

/** Everything in scope, as any query reader sees it (pages of 100: the model stays smaller). */
const STATE_SELECTION = `
  plans(filter: $filter, first: 100) {
    pageInfo { hasNextPage } edges { node { ${PLAN_FIELDS} } } }
  initiatives(filter: $initiativeFilter, first: 100) {
    pageInfo { hasNextPage } edges { node { ${INITIATIVE_FIELDS} plan { id } } } }
  evaluations(filter: $filter, first: 100) {
    pageInfo { hasNextPage } edges { node { ${EVALUATION_FIELDS} initiative { id } } } }`;

/** The initiatives filter has the same fields as the plan filter, under another type name. */
export const SNAPSHOT = `query ModelSnapshot($filter: PlanFilter, $initiativeFilter: InitiativeFilter) {
  liveSnapshot { cursor query { ${STATE_SELECTION} } } }`;

const CHANGE = 'change { entityId action actor office changes { field before after } }';

export const SUBSCRIPTIONS: Record<EntityKind, { field: string; query: string }> = {
  plan: {
    field: 'planChanged',
    query: `subscription ModelPlans($filter: LiveFilter, $after: String) {
      planChanged(filter: $filter, after: $after) { cursor kind id at ${CHANGE}
        plan { ${PLAN_FIELDS} } } }`,
  },
  initiative: {
    field: 'initiativeChanged',
    query: `subscription ModelInitiatives($filter: LiveFilter, $after: String) {
      initiativeChanged(filter: $filter, after: $after) { cursor kind id at ${CHANGE}
        initiative { ${INITIATIVE_FIELDS} planId } } }`,
  },
  evaluation: {
    field: 'evaluationChanged',
    query: `subscription ModelEvaluations($filter: LiveFilter, $after: String) {
      evaluationChanged(filter: $filter, after: $after) { cursor kind id at ${CHANGE}
        evaluation { ${EVALUATION_FIELDS} initiativeId } } }`,
  },
};

export interface LiveEvent {
  cursor: string;
  kind: 'ENTERED' | 'MODIFIED' | 'LEFT';
  id: string;
  at: string;
  change: ChangeSeen;
  /** The entity's state (plan / initiative / evaluation field of the event). */
  state: Row | null;
}

export interface ChangeSeen {
  entityId: string;
  action: string;
  actor: string;
  office: string;
  changes: { field: string; before: unknown; after: unknown }[];
}

/** Query node or event state -> one flat shape (the relation becomes an id). */
export function normalise(kind: EntityKind, node: Record<string, any>): Row {
  const { id, fiscalYear, department, plan, initiative, ...rest } = node;
  const row: Row = { id: String(id), ...rest };
  // The department as the plan shows it: its code, and its name as of the plan's year.
  if (kind === 'plan')
    return {
      ...row,
      fiscalYear: fiscalYear?.year,
      department: department?.code,
      departmentName: department?.name,
    };
  if (kind === 'initiative') return { ...row, planId: rest.planId ?? plan?.id };
  return { ...row, initiativeId: rest.initiativeId ?? initiative?.id };
}

interface Page {
  pageInfo: { hasNextPage: boolean };
  edges: { node: Record<string, any> }[];
}

/** The three collections of a ModelSnapshot `query` (fails if a page was not the whole). */
export function stateOf(query: { plans: Page; initiatives: Page; evaluations: Page }): State {
  const state = emptyState();
  const pages: [EntityKind, Page][] = [
    ['plan', query.plans],
    ['initiative', query.initiatives],
    ['evaluation', query.evaluations],
  ];
  for (const [kind, page] of pages) {
    if (page.pageInfo.hasNextPage) throw new Error(`more than 100 ${kind}s: grow the pages`);
    for (const { node } of page.edges) state[kind].set(node.id, normalise(kind, node));
  }
  return state;
}

/** A state as plain sorted data, for comparisons and failure messages. */
export function plainState(state: State) {
  return Object.fromEntries(
    ENTITY_KINDS.map((kind) => [
      kind,
      [...state[kind].values()].sort((a, b) => a.id.localeCompare(b.id)),
    ]),
  );
}

export const MUTATIONS = {
  createPlan: `mutation ($input: CreatePlanInput!) { createPlan(input: $input) { __typename
    ... on CreatePlanSuccess { plan { id } } ... on Error { message } } }`,
  updatePlan: `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { __typename ... on Error { message } } }`,
  publishPlan: `mutation ($input: PlanVersionInput!) { publishPlan(input: $input) { __typename ... on Error { message } } }`,
  unpublishPlan: `mutation ($input: PlanVersionInput!) { unpublishPlan(input: $input) { __typename ... on Error { message } } }`,
  deletePlan: `mutation ($input: PlanVersionInput!) { deletePlan(input: $input) { __typename ... on Error { message } } }`,
  addInitiative: `mutation ($input: AddInitiativeInput!) { addInitiative(input: $input) { __typename
    ... on AddInitiativeSuccess { initiative { id } } ... on Error { message } } }`,
  updateInitiative: `mutation ($input: UpdateInitiativeInput!) { updateInitiative(input: $input) { __typename ... on Error { message } } }`,
  reorderInitiatives: `mutation ($input: ReorderInitiativesInput!) { reorderInitiatives(input: $input) { __typename ... on Error { message } } }`,
  removeInitiative: `mutation ($input: RemoveInitiativeInput!) { removeInitiative(input: $input) { __typename ... on Error { message } } }`,
  recordEvaluation: `mutation ($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { __typename
    ... on RecordEvaluationSuccess { evaluation { id } } ... on Error { message } } }`,
  updateEvaluation: `mutation ($input: UpdateEvaluationInput!) { updateEvaluation(input: $input) { __typename ... on Error { message } } }`,
  publishEvaluation: `mutation ($input: EvaluationVersionInput!) { publishEvaluation(input: $input) { __typename ... on Error { message } } }`,
  unpublishEvaluation: `mutation ($input: EvaluationVersionInput!) { unpublishEvaluation(input: $input) { __typename ... on Error { message } } }`,
  updateDepartment: `mutation ($input: UpdateDepartmentInput!) { updateDepartment(input: $input) { __typename
    ... on Error { message } ... on ValidationError { issues { code } } } }`,
} as const;

/** Every Change a viewer can read through `history`, for entities given by id. */
export const HISTORIES = `query ModelHistories($ids: [ID!]!) { nodes(ids: $ids) {
  ... on DepartmentPlan { history(first: 100) { edges { node { ...Seen } } } }
  ... on Initiative { history(first: 100) { edges { node { ...Seen } } } }
  ... on Evaluation { history(first: 100) { edges { node { ...Seen } } } } } }
  fragment Seen on Change { entityId action actor office changes { field before after } }`;

export const CHANGE_LOG = `query ModelChanges($after: String, $municipality: String!) {
  changes(first: 100, after: $after, filter: { municipality: $municipality }) {
    pageInfo { hasNextPage endCursor }
    edges { node { entityId action actor office changes { field before after } } } } }`;
