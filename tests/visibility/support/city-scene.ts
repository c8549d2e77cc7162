// The city the visibility scenarios play in: a fresh database with one municipality and its
// 教育部 and 総務部, Yoga in process with live updates (polling off: events come from the
// commit notification), a planning token and an editor of 総務部 (another department).
import { createHoshinYoga, LiveUpdates } from '@hoshin/server/testing';
import { expect } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { factories, tokenFor } from '../../support/factories.ts';
import type { EventStream } from '../../support/sse.ts';

export const URL = 'http://hoshin.test/graphql';

export interface CityScene {
  db: TestDatabase;
  live: LiveUpdates;
  yoga: ReturnType<typeof createHoshinYoga>;
  /** A token of the planning section (sees drafts, may write). */
  planning: string;
  /** A token of 総務部's editor: staff, but of another department than 教育部. */
  otherEditor: string;
  /** fetch for subscribeSse, answered by Yoga in process. */
  fetchYoga: (url: string, init: RequestInit) => Promise<Response>;
  /** One operation; fails the test on any error. */
  graphql(query: string, variables?: Record<string, unknown>, token?: string): Promise<any>;
  close(): Promise<void>;
}

export async function openCityScene(
  city: { code: string; name: string },
  planningName: string,
): Promise<CityScene> {
  const db = await createTestDatabase();
  const live = new LiveUpdates(db.prisma, { pollMs: 60_000 });
  const yoga = createHoshinYoga({ db, live });
  const make = factories(db.prisma);
  const municipality = await make.municipality(city);
  await make.department(municipality.id, { code: 'kyoiku', name: '教育部' });
  await make.department(municipality.id, { code: 'somu', name: '総務部' });
  const planning = await tokenFor(db.prisma, {
    name: planningName,
    role: 'PLANNING',
    municipality: city.code,
  });
  const otherEditor = await tokenFor(db.prisma, {
    name: '総務 editor',
    role: 'EDITOR',
    municipality: city.code,
    department: 'somu',
  });
  return {
    db,
    live,
    yoga,
    planning,
    otherEditor,
    fetchYoga: (url, init) => Promise.resolve(yoga.fetch(url, init)),
    graphql: graphqlOf(yoga),
    async close() {
      await live.close();
      await db.close();
    },
  };
}

/** One operation through `yoga` in process, with `token` if given; fails the test on any error. */
export function graphqlOf(yoga: ReturnType<typeof createHoshinYoga>): CityScene['graphql'] {
  return async (query, variables = {}, token) => {
    const response = await yoga.fetch(URL, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data;
  };
}

/** Takes `count` events, then checks that no more arrive. */
export async function take(stream: EventStream, field: string, count: number) {
  const events = [];
  for (let i = 0; i < count; i++) events.push((await stream.next()).data[field]);
  expect(await stream.drain(300)).toEqual([]);
  return events;
}
