import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import {
  createClient,
  DepartmentPlanDocument,
  type PlanEvent,
  planChanges,
  possibleTypes,
  UpdatePlanDocument,
} from '@hoshin/client';
import { experimental_streamedQuery, type QueryClient } from '@tanstack/query-core';
import { cacheExchange, createClient as createUrql, fetchExchange } from '@urql/core';
import { request } from 'graphql-request';

const kyoiku = { municipality: '132047', department: 'kyoiku', fiscalYear: 2012 };

/** urql: the package's documents are TypedDocumentNodes, so results are typed. */
export async function titleWithUrql(url: string): Promise<string | undefined> {
  const urql = createUrql({ url, exchanges: [cacheExchange, fetchExchange] });
  const { data, error } = await urql.query(DepartmentPlanDocument, kyoiku).toPromise();
  if (error) throw error;
  const plan = data?.plan;
  return plan ? `${plan.department.name} ${plan.fiscalYear.label}` : undefined;
}

/** graphql-request (what a TanStack Query `queryFn` or `mutationFn` would call). */
export async function renamePolicy(
  url: string,
  token: string,
  input: { id: string; expectedVersion: number; policy: string },
): Promise<string> {
  const { updatePlan } = await request(
    url,
    UpdatePlanDocument,
    { input },
    { authorization: `Bearer ${token}` },
  );
  return updatePlan.__typename === 'UpdatePlanSuccess'
    ? `version ${updatePlan.plan.version}`
    : `${updatePlan.__typename}: ${updatePlan.message}`;
}

/**
 * Apollo Client: the same documents, typed `data`. Its cache needs the SDK's `possibleTypes` to
 * read fragments on the `Error` interface: without them a write's error loses its fields.
 */
export async function initiativesWithApollo(url: string): Promise<string[]> {
  const apollo = new ApolloClient({
    link: new HttpLink({ uri: url }),
    cache: new InMemoryCache({ possibleTypes }),
  });
  const { data } = await apollo.query({ query: DepartmentPlanDocument, variables: kyoiku });
  return data?.plan?.initiatives.edges.map((edge) => edge.node.text) ?? [];
}

/** TanStack Query: graphql-request as the query function, the SDK's live helper as a stream. */
export function tanstackQueries(url: string, queryClient: QueryClient) {
  const hoshin = createClient({ url });
  return {
    plan: () =>
      queryClient.fetchQuery({
        queryKey: ['plan', kyoiku],
        queryFn: () => request(url, DepartmentPlanDocument, kyoiku),
      }),
    // The cache holds the events seen so far (PlanEvent[]).
    changes: () =>
      queryClient.fetchQuery({
        queryKey: ['planChanges'],
        queryFn: experimental_streamedQuery<PlanEvent>({
          streamFn: ({ signal }) => planChanges(hoshin, { municipality: '132047' }, { signal }),
        }),
      }),
  };
}
