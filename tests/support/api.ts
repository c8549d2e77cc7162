// The API as a client sees it, in process: a Yoga instance over a fresh test database,
// called through yoga.fetch (the same path as HTTP, without a port).
import { createHoshinYoga } from '../../packages/server/src/yoga.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

export interface TestApi {
  db: TestDatabase;
  /** POSTs one operation to /graphql and returns the HTTP status with the parsed body. */
  query<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<T>>;
  /** The same, with `Authorization: Bearer <token>`. */
  as(token: string): Pick<TestApi, 'query'>;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestApi(options: { seed?: boolean } = {}): Promise<TestApi> {
  const db = await createTestDatabase(options);
  const yoga = createHoshinYoga({ db });
  const fetch = (path: string, init?: RequestInit) =>
    Promise.resolve(yoga.fetch(`http://hoshin.test${path}`, init ?? {}));
  async function query(text: string, variables?: Record<string, unknown>, token?: string) {
    const response = await fetch('/graphql', {
      method: 'POST',
      // The GraphQL-over-HTTP media type: request errors come back as 4xx.
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query: text, variables }),
    });
    return { status: response.status, ...(await response.json()) };
  }
  return {
    db,
    fetch,
    query,
    as: (token) => ({ query: (text, variables) => query(text, variables, token) }),
    close: () => db.close(),
  };
}

/** The codes of a response's errors, in order. */
export function errorCodes(response: GraphQLResponse): (string | undefined)[] {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}
