// The ready-made watches: watchPlans, watchInitiatives, watchEvaluations keep a local
// collection equal to the caller's view for a filter (see runtime/watch.ts). Their items have
// the fields of the live events' states (PlanEvent['plan'] and so on).
import {
  EvaluationChangesDocument,
  InitiativeChangesDocument,
  PlanChangesDocument,
  WatchEvaluationsDocument,
  WatchInitiativesDocument,
  WatchPlansDocument,
} from '../generated/documents.js';
import type {
  EvaluationChangesSubscription,
  InitiativeChangesSubscription,
  LiveFilter,
  PlanChangesSubscription,
  WatchEvaluationsQuery,
  WatchInitiativesQuery,
  WatchPlansQuery,
} from '../generated/graphql.js';
import type { Client } from '../runtime/client.js';
import { type Watch, type WatchOptions, type WatchSource, watch } from '../runtime/watch.js';

export type WatchedPlan = NonNullable<PlanChangesSubscription['planChanged']['plan']>;
export type WatchedInitiative = NonNullable<
  InitiativeChangesSubscription['initiativeChanged']['initiative']
>;
export type WatchedEvaluation = NonNullable<
  EvaluationChangesSubscription['evaluationChanged']['evaluation']
>;

interface Page<TNode> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: TNode }[];
}

function pageOf<TNode, TItem>(cursor: string, page: Page<TNode>, item: (node: TNode) => TItem) {
  return {
    cursor,
    items: page.edges.map((edge) => item(edge.node)),
    next: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null,
  };
}

const planSource: WatchSource<WatchPlansQuery, PlanChangesSubscription, WatchedPlan, LiveFilter> = {
  snapshot: WatchPlansDocument,
  page: ({ liveSnapshot: { cursor, query } }) => pageOf(cursor, query.plans, (node) => node),
  subscription: PlanChangesDocument,
  event: ({ planChanged: e }) => ({ cursor: e.cursor, kind: e.kind, id: e.id, item: e.plan }),
};

const initiativeSource: WatchSource<
  WatchInitiativesQuery,
  InitiativeChangesSubscription,
  WatchedInitiative,
  LiveFilter
> = {
  snapshot: WatchInitiativesDocument,
  page: ({ liveSnapshot: { cursor, query } }) =>
    pageOf(cursor, query.initiatives, ({ plan, ...node }) => ({ ...node, planId: plan.id })),
  subscription: InitiativeChangesDocument,
  event: ({ initiativeChanged: e }) => ({
    cursor: e.cursor,
    kind: e.kind,
    id: e.id,
    item: e.initiative,
  }),
};

const evaluationSource: WatchSource<
  WatchEvaluationsQuery,
  EvaluationChangesSubscription,
  WatchedEvaluation,
  LiveFilter
> = {
  snapshot: WatchEvaluationsDocument,
  page: ({ liveSnapshot: { cursor, query } }) =>
    pageOf(cursor, query.evaluations, ({ initiative, ...node }) => ({
      ...node,
      initiativeId: initiative.id,
    })),
  subscription: EvaluationChangesDocument,
  event: ({ evaluationChanged: e }) => ({
    cursor: e.cursor,
    kind: e.kind,
    id: e.id,
    item: e.evaluation,
  }),
};

export interface WatchOperations {
  /**
   * The plans the caller may see within `filter`, kept current: a snapshot, then every
   * change (ENTERED, MODIFIED, LEFT), resuming after reconnects without a gap.
   */
  watchPlans(filter?: LiveFilter | null, options?: WatchOptions<WatchedPlan>): Watch<WatchedPlan>;
  /** The same for initiatives. */
  watchInitiatives(
    filter?: LiveFilter | null,
    options?: WatchOptions<WatchedInitiative>,
  ): Watch<WatchedInitiative>;
  /** The same for evaluations. */
  watchEvaluations(
    filter?: LiveFilter | null,
    options?: WatchOptions<WatchedEvaluation>,
  ): Watch<WatchedEvaluation>;
}

export function watchOperations(client: Pick<Client, 'request' | 'subscribe'>): WatchOperations {
  return {
    watchPlans: (filter, options) => watch(client, planSource, filter, options),
    watchInitiatives: (filter, options) => watch(client, initiativeSource, filter, options),
    watchEvaluations: (filter, options) => watch(client, evaluationSource, filter, options),
  };
}
