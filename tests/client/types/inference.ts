// Type tests: compiled (never run) by tests/client/types.test.ts against the built package's
// declarations. Every `@ts-expect-error` must meet an error, or the compile fails with
// "Unused '@ts-expect-error' directive": each one proves a mistake does not compile.
import {
  type AchievementRating,
  type AddInitiativeOutcome,
  createClient,
  DepartmentPlanDocument,
  type DepartmentPlanQuery,
  type DepartmentPlanQueryVariables,
  FiscalYearDocument,
  type HoshinRequestError,
  PlanChangesDocument,
  type PlanEvent,
  type PublicationStatus,
  SearchInitiativesDocument,
} from '@hoshin/client';
import type { ErrorCode, ResultOf, TypedDocument, VariablesOf } from '@hoshin/client/core';
import { expectTypeOf } from 'vitest';
import { DepartmentsOfYear as Departments } from '../../../packages/client/examples/own-document.ts';

const hoshin = createClient({ url: 'http://localhost:4000/graphql' });

export async function resultsAreInferred() {
  const data = await hoshin.request(DepartmentPlanDocument, {
    municipality: '132047',
    department: 'kyoiku',
    fiscalYear: 2012,
  });
  expectTypeOf(data).toEqualTypeOf<DepartmentPlanQuery>();
  expectTypeOf(data.plan?.status).toEqualTypeOf<PublicationStatus | undefined>();
  expectTypeOf(data.plan?.initiatives.edges[0]?.node.text).toEqualTypeOf<string | undefined>();

  // @ts-expect-error `title` is not a field of DepartmentPlan's selection
  data.plan?.title;

  const plan = await hoshin.departmentPlan({
    municipality: '132047',
    department: 'kyoiku',
    fiscalYear: 2012,
  });
  expectTypeOf(plan).toEqualTypeOf<NonNullable<DepartmentPlanQuery['plan']> | null>();
  // @ts-expect-error the plan may be null: no plan that year
  plan.id;

  const year = await hoshin.fiscalYear({ year: 2012 });
  expectTypeOf(year.label).toBeString();
  expectTypeOf(year.era.romaji).toBeString();
  // @ts-expect-error fiscalYear is not nullable; no field `month`
  year.month;
}

export async function variablesAreChecked() {
  // @ts-expect-error required variables missing: `department` and `fiscalYear`
  await hoshin.request(DepartmentPlanDocument, { municipality: '132047' });
  // @ts-expect-error variables are required when the operation declares required ones
  await hoshin.request(DepartmentPlanDocument);
  // @ts-expect-error wrong variable type: fiscalYear is an Int
  await hoshin.fiscalYear({ year: '2012' });
  await hoshin.request(FiscalYearDocument, {
    year: 2012,
    // @ts-expect-error an undeclared variable
    month: 4,
  });

  // Every variable of SearchInitiatives is optional: variables may be left out entirely.
  await hoshin.request(SearchInitiativesDocument);
  await hoshin.searchInitiatives();
  await hoshin.request(SearchInitiativesDocument, undefined, { timeoutMs: 1000 });
  // @ts-expect-error still checked when given
  await hoshin.searchInitiatives({ search: 42 });

  expectTypeOf<
    VariablesOf<typeof DepartmentPlanDocument>
  >().toEqualTypeOf<DepartmentPlanQueryVariables>();
  expectTypeOf<ResultOf<typeof FiscalYearDocument>>().toHaveProperty('fiscalYear');
}

export async function ownDocumentsAreInferred() {
  // An integrator's own codegen output (the README example's document), sent through the SDK.
  const { departments } = await hoshin.request(Departments, { municipality: '132047' });
  expectTypeOf(departments).toEqualTypeOf<Array<{ code: string; name: string }>>();
  // @ts-expect-error `nameEn` was not selected
  departments[0]?.nameEn;
  // @ts-expect-error `municipality` is required by this document
  await hoshin.request(Departments, { fiscalYear: 2012 });

  // A hand-typed document with no variables accepts none.
  const Ping = { toString: () => '{ __typename }' } as TypedDocument<
    { __typename: 'Query' },
    { [key: string]: never }
  >;
  expectTypeOf(await hoshin.request(Ping)).toEqualTypeOf<{ __typename: 'Query' }>();
  // @ts-expect-error no variables are declared
  await hoshin.request(Ping, { anything: 1 });
}

export function errorsAreTyped(error: HoshinRequestError) {
  expectTypeOf(error.kind).toEqualTypeOf<'network' | 'timeout' | 'http' | 'graphql' | 'protocol'>();
  expectTypeOf(error.status).toEqualTypeOf<number | undefined>();
  // The server's codes, as a union: a typo is a compile error.
  expectTypeOf(error.codes).toEqualTypeOf<readonly ErrorCode[]>();
  expectTypeOf<'UNAUTHENTICATED'>().toExtend<ErrorCode>();
  // @ts-expect-error not a code the server sends
  error.hasCode('UNAUTHENTICATD');
}

export async function writesAreDiscriminatedUnions() {
  const result = await hoshin.createPlan({
    municipality: '132047',
    department: 'kyoiku',
    fiscalYear: 2013,
  });
  expectTypeOf(result.__typename).toEqualTypeOf<
    'CreatePlanSuccess' | 'ForbiddenError' | 'NotFoundError' | 'ValidationError'
  >();
  // @ts-expect-error `plan` exists only on the success member: narrow first
  result.plan;
  switch (result.__typename) {
    case 'CreatePlanSuccess':
      expectTypeOf(result.plan.status).toEqualTypeOf<PublicationStatus>();
      break;
    case 'ValidationError':
      expectTypeOf(result.issues[0]?.path).toEqualTypeOf<string[] | undefined>();
      break;
    case 'ForbiddenError':
      expectTypeOf(result.message).toBeString();
      break;
    case 'NotFoundError':
      expectTypeOf(result.entityType).toBeString();
      break;
    default:
      // Exhaustive: every member is handled above.
      expectTypeOf(result).toBeNever();
  }
  const update = await hoshin.updatePlan({ id: 'x', expectedVersion: 1, mission: null });
  if (update.__typename === 'VersionConflictError')
    expectTypeOf(update.currentVersion).toBeNumber();
  // @ts-expect-error expectedVersion is required
  await hoshin.publishPlan({ id: 'x' });
  const feedback = await hoshin.submitFeedback({ plan: 'x', body: 'よい' });
  if (feedback.__typename === 'RateLimitedError')
    expectTypeOf(feedback.retryAfterSeconds).toBeNumber();
  expectTypeOf<AddInitiativeOutcome>().toHaveProperty('__typename');
  // @ts-expect-error `Typo` is no member of the union
  if (result.__typename === 'Typo') return;
}

export async function readsAreTyped() {
  const summary = await hoshin.yearSummary({ municipality: '132047', fiscalYear: 2012 });
  expectTypeOf(summary.reformShare).toBeNumber();
  expectTypeOf(summary.achievement[0]?.rating).toEqualTypeOf<AchievementRating | undefined>();
  // @ts-expect-error municipality is required
  await hoshin.yearSummary({ fiscalYear: 2012 });
  const history = await hoshin.history({ id: 'x', first: 10 });
  expectTypeOf(history?.edges[0]?.node.action).toEqualTypeOf<
    'CREATE' | 'UPDATE' | 'DELETE' | undefined
  >();
  expectTypeOf(history?.edges[0]?.node.changes[0]?.after).toBeUnknown();
}

export async function subscriptionsAreTyped(signal: AbortSignal) {
  for await (const event of hoshin.planChanges({ municipality: '132047' }, { signal })) {
    expectTypeOf(event).toEqualTypeOf<PlanEvent>();
    expectTypeOf(event.cursor).toBeString();
    expectTypeOf(event.plan?.status).toEqualTypeOf<PublicationStatus | undefined>();
  }
  for await (const data of hoshin.subscribe(
    PlanChangesDocument,
    { filter: null },
    { after: '1' },
  )) {
    expectTypeOf(data.planChanged.kind).toEqualTypeOf<'ENTERED' | 'MODIFIED' | 'LEFT'>();
  }
  // Every variable is optional: none at all is fine; `after` goes in the options.
  hoshin.subscribe(PlanChangesDocument);
  // @ts-expect-error `after` is managed by subscribe(): pass it as an option
  hoshin.subscribe(PlanChangesDocument, { after: '1' });

  const NoCursor = { toString: () => '' } as TypedDocument<
    { planChanged: { id: string } },
    { after?: string | null }
  >;
  // @ts-expect-error the event's cursor is not selected: it could not resume
  hoshin.subscribe(NoCursor);
  const NoAfter = { toString: () => '' } as TypedDocument<
    { planChanged: { cursor: string } },
    { filter?: { municipality?: string | null } | null }
  >;
  // @ts-expect-error $after is not declared: it could not resume
  hoshin.subscribe(NoAfter, {});
}
