// One description per field (issue 25): a field of an entity type that shows a column (a plain
// exposure, or a field declaring its column with fieldFacts in graphql/fields.ts) is declared
// once, and every path derives from that declaration. This walks the built schema and checks,
// for every such field: (a) the compiled read answers it, with the same bytes as the usual way;
// (b) the live state type carries it, with the same type, and the change snapshot holds its
// value; (c) it is an open-data column and in the field dictionary, unless it says it is not
// exported. publishedAt, createdAt and updatedAt of DepartmentPlan, and a department's
// establishedIn / abolishedAfter, were missing from the compiled read's hand lists: they are
// compiled now because they are declared, with no line of plan.compiled.ts naming them.
import type { App } from '@hoshin/server/app';
import { createApp } from '@hoshin/server/app';
import { createLogger, schema } from '@hoshin/server/testing';
import {
  type GraphQLField,
  type GraphQLObjectType,
  getNamedType,
  isLeafType,
  isObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { factories, tokenFor } from './support/factories.ts';

/** The open-data entity of each type, and the live state type that carries it (if any). */
const ENTITIES = {
  Department: { openData: 'departments', state: undefined },
  DepartmentPlan: { openData: 'plans', state: 'PlanState' },
  Initiative: { openData: 'initiatives', state: 'InitiativeState' },
  Evaluation: { openData: 'evaluations', state: 'EvaluationState' },
  PlanYear: { openData: 'plan-years', state: undefined },
} as const;
type EntityType = keyof typeof ENTITIES;

/** Columns a snapshot leaves out on purpose (db/audience.ts NOT_IN_SNAPSHOTS). */
const NOT_IN_SNAPSHOTS = new Set(['createdAt', 'updatedAt', 'searchText', 'departmentOrder']);

interface Shown {
  field: GraphQLField<unknown, unknown>;
  column: string;
  openData: false | { ja: string } | undefined;
}

function objectType(name: string): GraphQLObjectType {
  const type = schema.getType(name);
  if (!isObjectType(type)) throw new Error(`${name} is not an object type`);
  return type;
}

/** The fields of a type that show a column, as their extensions say. */
function shownFields(typeName: string): Shown[] {
  return Object.values(objectType(typeName).getFields()).flatMap((field) => {
    const extensions = field.extensions as Record<string, any>;
    const facts = extensions.hoshinField as { column?: string; openData?: Shown['openData'] };
    const column = extensions.pothosExposedField ?? facts?.column;
    return typeof column === 'string'
      ? [{ field: field as GraphQLField<unknown, unknown>, column, openData: facts?.openData }]
      : [];
  });
}

/** A selection of every shown field: leaves by name, a fiscal year as its own leaves. */
function selectionOf(typeName: string): string {
  return shownFields(typeName)
    .map(({ field }) =>
      isLeafType(getNamedType(field.type))
        ? field.name
        : `${field.name} { year label labelEn eraYear __typename }`,
    )
    .join(' ');
}

let db: TestDatabase;
const apps: { compiled?: App; usual?: App; compiledUrl: string; usualUrl: string } = {
  compiledUrl: '',
  usualUrl: '',
};
let city: { code: string; department: string; planId: number; token: string };

beforeAll(async () => {
  db = await createTestDatabase();
  const start = async (compiledReads: boolean) => {
    const app = await createApp({
      db,
      log: createLogger('silent'),
      config: { compiledReads, cursorSecret: 'schema-fields-test-secret-0123456789' } as never,
    });
    return { app, url: await app.listen(0, '127.0.0.1') };
  };
  const compiled = await start(true);
  const usual = await start(false);
  Object.assign(apps, {
    compiled: compiled.app,
    usual: usual.app,
    compiledUrl: compiled.url,
    usualUrl: usual.url,
  });
  const make = factories(db.prisma);
  const municipality = await make.municipality();
  const department = await make.department(municipality.id, {
    establishedIn: 2001,
    abolishedAfter: 2030,
  });
  const plan = await make.plan(department.id, {
    fiscalYear: 2012,
    status: 'PUBLISHED',
    initiatives: [
      {
        text: '事業',
        isAdministrativeReform: true,
        footnotes: ['※注'],
        evaluation: { rating: 'ACHIEVED', progressPercent: 80 },
      },
    ],
  });
  city = {
    code: municipality.code,
    department: department.code,
    planId: plan.id,
    token: await tokenFor(db.prisma, {
      role: 'PLANNING',
      municipality: municipality.code,
      name: 'p',
    }),
  };
});
afterAll(async () => {
  await apps.compiled?.close(1000);
  await apps.usual?.close(1000);
  await db?.close();
});

async function graphql(base: string, query: string, variables: object = {}, token?: string) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return response.text();
}

async function compiledCount(): Promise<number> {
  const text = await (apps.compiled as App).metrics.text();
  return Number(/^hoshin_compiled_reads_total\{outcome="compiled"\} (\d+)/m.exec(text)?.[1] ?? 0);
}

describe('every field that shows a column is declared once', () => {
  it('the entity types have such fields (the walk below walks something)', () => {
    for (const type of Object.keys(ENTITIES)) expect(shownFields(type).length).toBeGreaterThan(3);
    expect(shownFields('DepartmentPlan').map((f) => f.field.name)).toEqual(
      expect.arrayContaining(['staffCount', 'budgetYen', 'publishedAt', 'fiscalYear']),
    );
  });

  it('(a) the compiled read answers every one of them, as the usual way does', async () => {
    const query = `query Every($m: String!, $d: String!) { plan(municipality: $m, department: $d, fiscalYear: 2012) {
      ${selectionOf('DepartmentPlan')}
      department { ${selectionOf('Department')} }
      initiatives(first: 5) { edges { node { ${selectionOf('Initiative')} evaluation { ${selectionOf('Evaluation')} } } } }
    } }`;
    const variables = { m: city.code, d: city.department };
    const before = await compiledCount();
    const compiled = await graphql(apps.compiledUrl, query, variables);
    expect(await compiledCount(), `not compiled: ${compiled}`).toBe(before + 1);
    expect(compiled).toBe(await graphql(apps.usualUrl, query, variables));
    const plan = JSON.parse(compiled).data.plan;
    expect(plan.department.establishedIn.year).toBe(2001);
    expect(plan.initiatives.edges[0].node.evaluation.progressPercent).toBe(80);
  });

  it('(b) the live state types carry every one of them, with the same type', () => {
    for (const [entity, { state }] of Object.entries(ENTITIES)) {
      if (!state) continue;
      const stateFields = objectType(state).getFields();
      for (const { field, column } of shownFields(entity)) {
        if (NOT_IN_SNAPSHOTS.has(column)) continue;
        expect(String(stateFields[field.name]?.type), `${state}.${field.name}`).toBe(
          String(field.type),
        );
      }
    }
  });

  it('(b) a change snapshot holds every one of them: an event shows what a query shows', async () => {
    const update = await graphql(
      apps.compiledUrl,
      `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { __typename } }`,
      {
        input: {
          id: Buffer.from(`DepartmentPlan:${city.planId}`).toString('base64'),
          expectedVersion: 1,
          mission: '使命',
          staffCount: 42,
          budgetYen: 2 ** 40,
          policy: '方針',
        },
      },
      city.token,
    );
    expect(update).not.toContain('errors');
    // The state after the change, from the change log (as-of), against the plan read now.
    const fields = shownFields('DepartmentPlan')
      .filter(({ column }) => !NOT_IN_SNAPSHOTS.has(column))
      .map(({ field }) =>
        isLeafType(getNamedType(field.type)) ? field.name : `${field.name} { year label }`,
      )
      .join(' ');
    const asOf = JSON.parse(
      await graphql(
        apps.compiledUrl,
        `query ($id: ID!, $at: DateTime!) { planAsOf(id: $id, point: { at: $at }) { plan { ${fields} } } }`,
        {
          id: Buffer.from(`DepartmentPlan:${city.planId}`).toString('base64'),
          at: new Date().toISOString(),
        },
        city.token,
      ),
    );
    const now = JSON.parse(
      await graphql(
        apps.compiledUrl,
        `{ plan(municipality: "${city.code}", department: "${city.department}", fiscalYear: 2012) { ${fields} } }`,
      ),
    );
    expect(asOf.errors).toBeUndefined();
    expect(asOf.data.planAsOf.plan).toEqual(now.data.plan);
    expect(now.data.plan.staffCount).toBe(42);
  });

  it('(c) each is an open-data column and in the dictionary, unless it says it is not exported', async () => {
    const response = await fetch(`${apps.compiledUrl}/export/dictionary.json`);
    const dictionary = (await response.json()) as {
      columns: { entity: string; apiField: string; ja: string }[];
    };
    const missing: string[] = [];
    const undeclared: string[] = [];
    for (const [entity, { openData }] of Object.entries(ENTITIES) as [
      EntityType,
      (typeof ENTITIES)[EntityType],
    ][]) {
      for (const shown of shownFields(entity)) {
        const apiField = `${entity}.${shown.field.name}`;
        if (shown.openData === false) continue;
        if (shown.openData === undefined) {
          undeclared.push(apiField);
          continue;
        }
        const column = dictionary.columns.find(
          (c) => c.entity === openData && c.apiField === apiField,
        );
        if (column?.ja !== shown.openData.ja) missing.push(apiField);
      }
    }
    expect(undeclared, 'fields with neither open-data facts nor notExported()').toEqual([]);
    expect(missing, 'fields missing from the dictionary').toEqual([]);
  });
});
