// What the public HTTP caching tests share: a server (createApp) on a seeded database, the SDK's
// persisted DepartmentPlan document as a cacheable GET URL, and a planning token's writes.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type App, type ConfigInput, createApp } from '@hoshin/server/app';
import { createLogger } from '@hoshin/server/testing';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { factories, tokenFor } from '../support/factories.ts';

const manifest = JSON.parse(
  readFileSync(
    resolve(import.meta.dirname, '../../packages/client/src/generated/persisted-documents.json'),
    'utf8',
  ),
) as Record<string, string>;

/** The SDK's DepartmentPlan query: its persisted document id. */
export const PLAN_DOCUMENT = (() => {
  const entry = Object.entries(manifest).find(([, text]) =>
    text.startsWith('query DepartmentPlan('),
  );
  if (!entry) throw new Error('the SDK manifest has no DepartmentPlan query');
  return entry[0];
})();

/** The cacheable URL of plan(municipality: 132047, department, fiscalYear). */
export function planPath(department: string, fiscalYear: number): string {
  const variables = JSON.stringify({ municipality: '132047', department, fiscalYear });
  return `/graphql?documentId=${encodeURIComponent(PLAN_DOCUMENT)}&variables=${encodeURIComponent(variables)}`;
}

export interface PublicServer {
  app: App;
  db: TestDatabase;
  base: string;
  planning: string;
  /** A draft plan of a department of its own (FY2012), for publish/unpublish. */
  draft: { department: string; id: string };
  mutate(query: string, variables: unknown): Promise<Record<string, any>>;
  close(): Promise<void>;
}

const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');

export async function startPublicServer(config: ConfigInput = {}): Promise<PublicServer> {
  const db = await createTestDatabase({ seed: true });
  const app = await createApp({ db, log: createLogger('silent'), config });
  const base = await app.listen(0, '127.0.0.1');
  const planning = await tokenFor(db.prisma, {
    name: '企画経営課',
    role: 'PLANNING',
    municipality: '132047',
  });
  const make = factories(db.prisma);
  const mitaka = await db.prisma.municipality.findUniqueOrThrow({ where: { code: '132047' } });
  const department = await make.department(mitaka.id, { code: 'cachetest' });
  const plan = await make.plan(department.id, { fiscalYear: 2012, status: 'DRAFT' });
  await app.publicChanges.ready;
  return {
    app,
    db,
    base,
    planning,
    draft: { department: department.code, id: gid('DepartmentPlan', plan.id) },
    async mutate(query, variables) {
      const response = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${planning}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown };
      if (!body.data) throw new Error(`mutation failed: ${JSON.stringify(body.errors)}`);
      return body.data;
    },
    async close() {
      await app.close(1000);
      await db.close();
    },
  };
}

const VERSIONED = `query ($id: ID!) { node(id: $id) { ... on DepartmentPlan { version } } }`;

/** Runs a PlanVersionInput mutation (publishPlan, unpublishPlan) on the draft plan. */
export async function setPublished(server: PublicServer, published: boolean): Promise<void> {
  const read = await server.mutate(VERSIONED, { id: server.draft.id });
  const name = published ? 'publishPlan' : 'unpublishPlan';
  const result = await server.mutate(
    `mutation ($input: PlanVersionInput!) { ${name}(input: $input) { __typename } }`,
    { input: { id: server.draft.id, expectedVersion: read.node.version } },
  );
  if (!/Success$/.test(result[name].__typename))
    throw new Error(`${name}: ${result[name].__typename}`);
}

/** Changes the draft plan's mission (a write the public cannot see while it is a draft). */
export async function editMission(server: PublicServer, mission: string): Promise<void> {
  const read = await server.mutate(VERSIONED, { id: server.draft.id });
  const result = await server.mutate(
    `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { __typename } }`,
    { input: { id: server.draft.id, expectedVersion: read.node.version, mission } },
  );
  if (result.updatePlan.__typename !== 'UpdatePlanSuccess')
    throw new Error(`updatePlan: ${result.updatePlan.__typename}`);
}
