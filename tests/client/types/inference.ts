// Type tests: compiled (never run) by tests/client/types.test.ts against the built package's
// declarations. Every `@ts-expect-error` must meet an error, or the compile fails with
// "Unused '@ts-expect-error' directive": each one proves a mistake does not compile.
import {
  createClient,
  DepartmentPlanDocument,
  type DepartmentPlanQuery,
  type DepartmentPlanQueryVariables,
  FiscalYearDocument,
  type HoshinRequestError,
  type PublicationStatus,
  SearchInitiativesDocument,
} from '@hoshin/client';
import type { ResultOf, TypedDocument, VariablesOf } from '@hoshin/client/core';
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
  expectTypeOf(error.codes).toEqualTypeOf<readonly string[]>();
}
