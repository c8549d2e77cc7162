// GraphQL-over-HTTP compliance: graphql-http's own server audit against the real server
// process. Every MUST passes; the SHOULD and MAY score is printed for the record.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditResult, serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServer, type ServerProcess } from '../support/process.ts';

let dataDir: string;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hoshin-audit-'));
});
afterAll(async () => {
  for (const server of servers) if (server.child.exitCode === null) await server.stop('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

async function audit(server: ServerProcess) {
  const results: (AuditResult & { name: string })[] = [];
  for (const { name, fn } of serverAudits({ url: `${server.url}/graphql` })) {
    results.push({ ...(await fn()), name });
  }
  const score = (level: string) => {
    const of = results.filter((r) => r.name.startsWith(level));
    return `${of.filter((r) => r.status === 'ok').length}/${of.length}`;
  };
  const failed = results
    .filter((r) => r.status !== 'ok')
    .map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`);
  return {
    results,
    score: { MUST: score('MUST'), SHOULD: score('SHOULD'), MAY: score('MAY') },
    failed,
  };
}

describe('graphql-http server audit', () => {
  it.each([
    ['the default profile', {}],
    // The compliance profile: production hardening with introspection on for tooling.
    ['the compliance profile', { NODE_ENV: 'production', HOSHIN_PROFILE: 'compliance' }],
  ])(
    'passes every MUST on %s',
    async (_profile, env) => {
      const server = await runServer({ HOSHIN_DATA_DIR: dataDir, HOSHIN_SEED: 'false', ...env });
      servers.push(server);
      const { results, score, failed } = await audit(server);
      console.info(`graphql-http audit, ${_profile}:`, score, failed);
      const mustFailures = results
        .filter((r) => r.name.startsWith('MUST') && r.status !== 'ok')
        .map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`);
      expect(mustFailures).toEqual([]);
      await server.stop();
    },
    120_000,
  );
});
