// A real HTTP server (node:http + WebSocket, built by createApp as main.ts does) over a fresh test
// database, listening on a loopback port, with the limits a test chooses.
import { createApp } from '@hoshin/server/app';
import type { HttpSettings, SecuritySettings } from '@hoshin/server/testing';
import { createLogger } from '@hoshin/server/testing';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

export interface HostileServer {
  url: string;
  /** The app itself (its live updates, read cache...). */
  app: Awaited<ReturnType<typeof createApp>>;
  port: number;
  db: TestDatabase;
  /** POSTs a JSON body to /graphql; returns the status, headers and parsed body. */
  post(
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; body: any }>;
  /** A normal query; resolves when the server answered it correctly. */
  stillServes(): Promise<void>;
  /** Stops as main.ts does on SIGTERM, letting requests finish for up to `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

export const NORMAL_QUERY = '{ fiscalYear(year: 2012) { label } }';

export async function startHostileServer(
  options: {
    security?: Partial<SecuritySettings>;
    http?: Partial<HttpSettings>;
    db?: TestDatabase;
    redisUrl?: string;
    /** HOSHIN_REDIS_PREFIX: this deployment's namespace on a shared Redis. */
    redisPrefix?: string;
    /** Feedback submissions per address per 10 minutes. */
    feedbackPer10Minutes?: number;
    /** How often the change feed polls without a notification (ms). */
    livePollMs?: number;
    /** The anonymous read cache (HOSHIN_READ_CACHE). */
    readCache?: boolean;
  } = {},
): Promise<HostileServer> {
  const db = options.db ?? (await createTestDatabase());
  const app = await createApp({
    db,
    log: createLogger('silent'),
    rateLimits: { feedbackPer10Minutes: options.feedbackPer10Minutes },
    config: {
      security: options.security,
      http: options.http,
      redisUrl: options.redisUrl,
      ...(options.redisPrefix ? { redisPrefix: options.redisPrefix } : {}),
      ...(options.livePollMs ? { livePollMs: options.livePollMs } : {}),
      readCache: options.readCache,
    },
  });
  const url = await app.listen(0, '127.0.0.1');
  const port = Number(new URL(url).port);
  async function post(body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: response.status, headers: response.headers, body: parsed as any };
  }
  return {
    url,
    app,
    port,
    db,
    post,
    async stillServes() {
      const { status, body } = await post({ query: NORMAL_QUERY }, { 'x-hoshin-csrf': '1' });
      if (status !== 200 || body?.data?.fiscalYear?.label !== '平成24年度') {
        throw new Error(`the server no longer serves: ${status} ${JSON.stringify(body)}`);
      }
    },
    async close(graceMs = 1000) {
      await app.close(graceMs);
      if (!options.db) await db.close();
    },
  };
}

/** Asserts a refusal: the HTTP status and exactly one error, carrying `code`. */
export function expectRefusal(
  response: { status: number; body: any },
  status: number,
  code: string,
): void {
  const errors = response.body?.errors;
  if (response.status !== status || !Array.isArray(errors) || errors.length !== 1) {
    throw new Error(
      `expected ${status} with one ${code} error, got ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`,
    );
  }
  if (errors[0]?.extensions?.code !== code) {
    throw new Error(`expected code ${code}, got ${JSON.stringify(errors[0])}`);
  }
}

/** A city with two departments, each with a published and a draft plan, and their tokens. */
export async function hostileFixtures(db: TestDatabase) {
  const { factories, tokenFor } = await import('../support/factories.ts');
  const make = factories(db.prisma);
  const city = await make.municipality({ code: '990071' });
  const kyoiku = await make.department(city.id, { code: 'kyoiku' });
  const somu = await make.department(city.id, { code: 'somu' });
  const published = await make.plan(kyoiku.id, {
    fiscalYear: 2012,
    initiatives: [{ text: '公開済みの事業', evaluation: { rating: 'ACHIEVED' } }],
  });
  const draft = await make.plan(kyoiku.id, {
    fiscalYear: 2013,
    status: 'DRAFT',
    initiatives: [{ text: '下書きの事業', evaluation: { rating: 'NOT_ACHIEVED' } }],
  });
  await make.plan(somu.id, { fiscalYear: 2012, initiatives: [{ text: '総務の事業' }] });
  const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');
  const issue = (input: Parameters<typeof tokenFor>[1]) => tokenFor(db.prisma, input);
  return {
    publishedId: gid('DepartmentPlan', published.id),
    draftId: gid('DepartmentPlan', draft.id),
    draftVersion: draft.version,
    draftInitiativeId: gid('Initiative', draft.initiatives[0]?.id ?? 0),
    gid,
    issue,
    tokens: {
      editor: await issue({
        name: 'k',
        role: 'EDITOR',
        municipality: '990071',
        department: 'kyoiku',
      }),
      otherEditor: await issue({
        name: 's',
        role: 'EDITOR',
        municipality: '990071',
        department: 'somu',
      }),
    },
  };
}
