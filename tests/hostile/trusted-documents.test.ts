// Trusted documents mode: only the operations in the SDK's persisted-documents manifest run,
// by their documentId; anything else is refused with one coded error.
import { resolve } from 'node:path';
import { createClient, HoshinRequestError } from '@hoshin/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefusal, type HostileServer, startHostileServer } from './support.ts';

const manifest = resolve(
  import.meta.dirname,
  '../../packages/client/src/generated/persisted-documents.json',
);
let server: HostileServer;

beforeAll(async () => {
  server = await startHostileServer({ security: { trustedDocuments: manifest } });
});
afterAll(() => server?.close());

describe('trusted documents mode', () => {
  it('runs the SDK operations sent by documentId', async () => {
    const client = createClient({ url: `${server.url}/graphql`, persistedDocuments: true });
    expect((await client.fiscalYear({ year: 2012 })).label).toBe('平成24年度');
  });

  it('refuses an arbitrary document with PERSISTED_DOCUMENT_REQUIRED', async () => {
    expectRefusal(
      await server.post({ query: '{ plans(first: 100) { totalCount } }' }),
      400,
      'PERSISTED_DOCUMENT_REQUIRED',
    );
  });

  it('refuses the SDK used without persisted documents, with a typed error', async () => {
    const client = createClient({ url: `${server.url}/graphql`, retries: 0 });
    const error = await client.fiscalYear({ year: 2012 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HoshinRequestError);
    expect((error as HoshinRequestError).message).toMatch(/trusted documents/);
  });

  it('refuses an unknown documentId with PERSISTED_DOCUMENT_NOT_FOUND', async () => {
    expectRefusal(
      await server.post({ documentId: `sha256:${'0'.repeat(64)}` }),
      400,
      'PERSISTED_DOCUMENT_NOT_FOUND',
    );
  });

  it('refuses a documentId sent together with a document of its own', async () => {
    const [id] = Object.keys(
      (await import(manifest, { with: { type: 'json' } })).default as Record<string, string>,
    );
    expectRefusal(
      await server.post({ documentId: id, query: '{ __typename }' }),
      400,
      'PERSISTED_DOCUMENT_REQUIRED',
    );
    await server.post({ documentId: id }).then((r) => expect(r.status).not.toBe(500));
  });
});
