// The SDK's documents in the clients front-end teams already use: the same three operations
// (a plan query, a write, a subscription) through urql, Apollo Client, TanStack Query (with
// graphql-request) and the SDK's own client, against a real server, typed without a cast.
// This file is type-checked with the repository's strict settings (tsconfig.json, and
// tests/client/types.test.ts for exactOptionalPropertyTypes).
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import {
  createClient as createHoshin,
  DepartmentPlanDocument,
  PlanChangesDocument,
  type PlanEvent,
  planChanges,
  possibleTypes,
  UpdatePlanDocument,
  type UpdatePlanMutation,
  type UpdatePlanMutationVariables,
} from '@hoshin/client';
import { experimental_streamedQuery, MutationObserver, QueryClient } from '@tanstack/query-core';
import { createClient as createUrql, fetchExchange } from '@urql/core';
import { request } from 'graphql-request';
import { createClient as createWsClient } from 'graphql-ws';
import { afterAll, beforeAll, expect, test } from 'vitest';
import WebSocket from 'ws';
import { type LiveServer, startLiveServer } from './support/live-server.ts';

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer();
}, 60_000);
afterAll(() => server?.close());

const kyoiku = { municipality: '132047', department: 'kyoiku', fiscalYear: 2012 };
const auth = () => ({ authorization: `Bearer ${server.planningToken}` });

/** The plan's current version, read through the SDK (each test edits the same plan). */
async function currentVersion(): Promise<{ id: string; version: number }> {
  const plan = await createHoshin({ url: server.url, token: server.planningToken }).departmentPlan(
    kyoiku,
  );
  if (!plan) throw new Error('教育部 FY2012 is missing');
  return { id: plan.id, version: plan.version };
}

/** Runs `subscribe`, then waits until the server listens for changes on its behalf. */
async function subscribed<T>(subscribe: () => T): Promise<T> {
  const before = server.subscriptionsStarted();
  const subscription = subscribe();
  await expect.poll(() => server.subscriptionsStarted()).toBeGreaterThan(before);
  return subscription;
}

test('urql: query, mutation and an SSE subscription with the SDK documents', async () => {
  const urql = createUrql({
    url: server.url,
    exchanges: [fetchExchange],
    fetchSubscriptions: true,
    fetchOptions: () => ({ headers: auth() }),
    preferGetMethod: false,
  });
  const read = await urql.query(DepartmentPlanDocument, kyoiku).toPromise();
  expect(read.error).toBeUndefined();
  const department: string | undefined = read.data?.plan?.department.name;
  expect(department).toBe('教育部');

  const events: PlanEvent[] = [];
  const subscription = await subscribed(() =>
    urql
      .subscription(PlanChangesDocument, { filter: { municipality: '132047' }, after: null })
      .subscribe((result) => {
        if (result.data) events.push(result.data.planChanged);
      }),
  );
  const { id, version } = await currentVersion();
  const written = await urql
    .mutation(UpdatePlanDocument, { input: { id, expectedVersion: version, policy: 'urql' } })
    .toPromise();
  expect(written.data?.updatePlan.__typename).toBe('UpdatePlanSuccess');
  await expect.poll(() => events.map((e) => e.plan?.policy)).toContain('urql');
  subscription.unsubscribe();
});

test('Apollo Client: query, mutation over HTTP and a graphql-ws subscription', async () => {
  const ws = createWsClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: auth(),
  });
  const link = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
    },
    new GraphQLWsLink(ws),
    new HttpLink({ uri: server.url, headers: auth() }),
  );
  const apollo = new ApolloClient({ link, cache: new InMemoryCache({ possibleTypes }) });
  const read = await apollo.query({ query: DepartmentPlanDocument, variables: kyoiku });
  const department: string | undefined = read.data?.plan?.department.name;
  expect(department).toBe('教育部');

  const events: PlanEvent[] = [];
  const subscription = await subscribed(() =>
    apollo
      .subscribe({ query: PlanChangesDocument, variables: { filter: { municipality: '132047' } } })
      .subscribe((result) => {
        if (result.data) events.push(result.data.planChanged);
      }),
  );
  const { id, version } = await currentVersion();
  const written = await apollo.mutate({
    mutation: UpdatePlanDocument,
    variables: { input: { id, expectedVersion: version, policy: 'apollo' } },
  });
  expect(written.data?.updatePlan.__typename).toBe('UpdatePlanSuccess');
  await expect.poll(() => events.map((e) => e.plan?.policy)).toContain('apollo');
  subscription.unsubscribe();
  await ws.dispose();
  apollo.stop();
});

test('TanStack Query: graphql-request for the query and the write, the SDK for the stream', async () => {
  const queryClient = new QueryClient();
  const plan = await queryClient.fetchQuery({
    queryKey: ['plan', kyoiku],
    queryFn: () => request(server.url, DepartmentPlanDocument, kyoiku, auth()),
  });
  const label: string | undefined = plan.plan?.fiscalYear.label;
  expect(label).toBe('平成24年度');

  const hoshin = createHoshin({ url: server.url, token: server.planningToken });
  // (In an object: awaiting the query's promise itself would wait for the stream to end.)
  const { stream } = await subscribed(() => ({
    stream: queryClient.fetchQuery({
      queryKey: ['planChanges'],
      queryFn: experimental_streamedQuery({
        streamFn: ({ signal }) =>
          planChanges(hoshin, { municipality: '132047' }, { after: null, signal }),
      }),
    }),
  }));
  // Ends (cancelled) when the test clears the client.
  stream.catch(() => {});
  const { id, version } = await currentVersion();
  const mutation = new MutationObserver(queryClient, {
    mutationFn: (policy: string) =>
      request(
        server.url,
        UpdatePlanDocument,
        { input: { id, expectedVersion: version, policy } },
        auth(),
      ),
  });
  const written = await mutation.mutate('tanstack');
  expect(written.updatePlan.__typename).toBe('UpdatePlanSuccess');
  await expect
    .poll(() =>
      (queryClient.getQueryData<PlanEvent[]>(['planChanges']) ?? []).map((e) => e.plan?.policy),
    )
    .toContain('tanstack');
  await queryClient.cancelQueries({ queryKey: ['planChanges'] });
  queryClient.clear();
});

test("the SDK's own client: the same three operations", async () => {
  const hoshin = createHoshin({ url: server.url, token: server.planningToken });
  const read = await hoshin.request(DepartmentPlanDocument, kyoiku);
  expect(read.plan?.department.name).toBe('教育部');
  const controller = new AbortController();
  const events: PlanEvent[] = [];
  const states: string[] = [];
  const done = (async () => {
    for await (const event of hoshin.subscribe(
      PlanChangesDocument,
      { filter: { municipality: '132047' } },
      { signal: controller.signal, onState: (state) => states.push(state.status) },
    )) {
      events.push(event.planChanged);
    }
  })();
  await expect.poll(() => states).toContain('live');
  const { id, version } = await currentVersion();
  const written = await hoshin.request(UpdatePlanDocument, {
    input: { id, expectedVersion: version, policy: 'sdk' },
  });
  expect(written.updatePlan.__typename).toBe('UpdatePlanSuccess');
  await expect.poll(() => events.map((e) => e.plan?.policy)).toContain('sdk');
  controller.abort();
  await done;
  expect(states.at(-1)).toBe('closed');
});

// A write's errors are members of its result union, read through the `Error` interface's
// fragment: a client that cannot match that fragment (Apollo's cache without the SDK's
// `possibleTypes`) silently drops `message`, `issues` and the conflict's versions.
type UpdatePlanResult = UpdatePlanMutation['updatePlan'];
type Send = (
  variables: UpdatePlanMutationVariables,
  withToken: boolean,
) => Promise<UpdatePlanResult | undefined>;

/** One invalid, one stale and one anonymous write to the plan: three error types. */
async function failingWrites(send: Send): Promise<(UpdatePlanResult | undefined)[]> {
  const { id, version } = await currentVersion();
  return [
    await send({ input: { id, expectedVersion: version, staffCount: -1 } }, true),
    await send({ input: { id, expectedVersion: version + 100, policy: 'stale' } }, true),
    await send({ input: { id, expectedVersion: version, policy: 'anonymous' } }, false),
  ];
}

test('every client reads each error of a write whole: ValidationError, VersionConflictError, ForbiddenError', async () => {
  const { version } = await currentVersion();
  const staff = createHoshin({ url: server.url, token: server.planningToken });
  const anonymous = createHoshin({ url: server.url });
  const bySdk = await failingWrites(async (variables, withToken) => {
    const { updatePlan } = await (withToken ? staff : anonymous).request(
      UpdatePlanDocument,
      variables,
    );
    return updatePlan;
  });
  expect(bySdk).toEqual([
    {
      __typename: 'ValidationError',
      message: expect.stringMatching(/\S/),
      issues: [
        { path: ['input', 'staffCount'], code: expect.any(String), message: expect.any(String) },
      ],
    },
    {
      __typename: 'VersionConflictError',
      message: expect.stringMatching(/\S/),
      entityType: 'DepartmentPlan',
      expectedVersion: version + 100,
      currentVersion: version,
    },
    { __typename: 'ForbiddenError', message: expect.stringMatching(/\S/) },
  ]);

  const urql = (withToken: boolean) =>
    createUrql({
      url: server.url,
      exchanges: [fetchExchange],
      fetchOptions: () => ({ headers: withToken ? auth() : {} }),
    });
  const byUrql = await failingWrites(async (variables, withToken) => {
    const { data, error } = await urql(withToken)
      .mutation(UpdatePlanDocument, variables)
      .toPromise();
    expect(error).toBeUndefined();
    return data?.updatePlan;
  });
  expect(byUrql).toEqual(bySdk);

  const apollo = (withToken: boolean) =>
    new ApolloClient({
      link: new HttpLink({ uri: server.url, headers: withToken ? auth() : {} }),
      cache: new InMemoryCache({ possibleTypes }),
    });
  const byApollo = await failingWrites(async (variables, withToken) => {
    const { data } = await apollo(withToken).mutate({ mutation: UpdatePlanDocument, variables });
    return data?.updatePlan;
  });
  // Apollo's cache adds `__typename` to every object (the issues too): everything else is equal.
  expect(byApollo).toMatchObject(bySdk);

  const queryClient = new QueryClient();
  const byTanstack = await failingWrites(async (variables, withToken) => {
    const mutation = new MutationObserver(queryClient, {
      mutationFn: () => request(server.url, UpdatePlanDocument, variables, withToken ? auth() : {}),
    });
    return (await mutation.mutate()).updatePlan;
  });
  expect(byTanstack).toEqual(bySdk);
  queryClient.clear();
});
