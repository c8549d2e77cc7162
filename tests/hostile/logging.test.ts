// The real process: a client's mistakes are logged at info without a stack (only unexpected
// errors at error, with one), and the development profile on all interfaces says so loudly at
// start-up.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startupWarnings } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logsSettled, runServer, type ServerProcess } from '../support/process.ts';

let dataDir: string;
let server: ServerProcess;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hoshin-logging-'));
  // No profile (NODE_ENV and HOSHIN_PROFILE unset), every interface: the development profile
  // where other machines reach it.
  server = await runServer(
    {
      HOSHIN_DATA_DIR: dataDir,
      DATABASE_URL: '',
      HOSHIN_SEED: 'false',
      HOST: '0.0.0.0',
      NODE_ENV: '',
      HOSHIN_PROFILE: '',
    },
    { startTimeoutMs: 170_000 },
  );
}, 180_000);
afterAll(async () => {
  if (server && server.child.exitCode === null) await server.stop('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

async function send(body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as any };
}

const MISTAKES: { name: string; body: unknown; headers?: Record<string, string> }[] = [
  { name: 'unknown field', body: { query: '{ fiscalYear(year: 2012) { labl } }' } },
  { name: 'parse error', body: { query: '{ fiscalYear(' } },
  {
    name: 'bad variable',
    body: { query: 'query ($y: Int!) { fiscalYear(year: $y) { label } }', variables: { y: 'x' } },
  },
  { name: 'year out of range', body: { query: '{ fiscalYear(year: 1) { label } }' } },
  { name: 'page size', body: { query: '{ plans(first: -1) { totalCount } }' } },
  { name: 'page size over', body: { query: '{ plans(first: 1000) { totalCount } }' } },
  {
    name: 'forged cursor',
    body: { query: '{ plans(after: "R1BDOk46OTk5") { edges { cursor } } }' },
  },
  { name: 'garbage cursor', body: { query: '{ plans(after: "!!") { totalCount } }' } },
  { name: 'malformed id', body: { query: '{ node(id: "nope") { id } }' } },
  { name: 'unknown municipality', body: { query: '{ municipality(code: "999999") { name } }' } },
  {
    name: 'depth',
    body: {
      query: `{ ${'plans { edges { node { department { plans { edges { node { '.repeat(3)} id ${'} } } } } } } '.repeat(3)} }`,
    },
  },
  {
    name: 'bad token',
    body: { query: '{ __typename }' },
    headers: { authorization: 'Bearer hsn_AAAAAAAAAAAA_xxxx' },
  },
  { name: 'malformed JSON', body: '{"query": ' },
];

describe('the server process in the development profile on every interface', () => {
  it('warns loudly at start-up, in the log and on the terminal', () => {
    const warning = server.logs.find(
      (line) => line.level === 40 && String(line.msg).includes('development profile'),
    );
    expect(warning, JSON.stringify(server.logs.map((l) => l.msg))).toBeDefined();
    expect(server.stderr.join('\n')).toMatch(/hoshin: WARNING: the development profile/);
  });

  it('logs every client mistake below error level, without a stack', async () => {
    const before = server.logs.length;
    for (const mistake of MISTAKES) {
      const answer = await send(
        typeof mistake.body === 'string' ? mistake.body : JSON.stringify(mistake.body),
        mistake.headers,
      );
      const codes = (answer.body.errors ?? []).map((e: any) => e.extensions?.code);
      expect(codes.length, mistake.name).toBeGreaterThan(0);
      expect(codes, mistake.name).not.toContain('INTERNAL_SERVER_ERROR');
    }
    // The next normal request is served.
    expect(
      (await send(JSON.stringify({ query: '{ fiscalYear(year: 2012) { label } }' }))).body.data,
    ).toEqual({ fiscalYear: { label: '平成24年度' } });
    // Every line of the requests above has arrived once the marker's has.
    await logsSettled(server);
    const lines = server.logs.slice(before);
    const loud = lines.filter((line) => Number(line.level) >= 50);
    expect(loud, JSON.stringify(loud).slice(0, 2000)).toEqual([]);
    expect(JSON.stringify(lines)).not.toMatch(/"stack"|\n\s+at /);
  });
});

describe('startupWarnings', () => {
  it('warns only for the development profile on an address other machines reach', () => {
    expect(startupWarnings({ profile: 'development', host: '0.0.0.0' })).toHaveLength(1);
    expect(startupWarnings({ profile: 'development', host: '::' })).toHaveLength(1);
    expect(startupWarnings({ profile: 'development', host: '127.0.0.1' })).toEqual([]);
    expect(startupWarnings({ profile: 'development', host: 'localhost' })).toEqual([]);
    expect(startupWarnings({ profile: 'production', host: '0.0.0.0' })).toEqual([]);
  });
});
