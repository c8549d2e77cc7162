// The load generator, a process of its own (pinned to its own core by the orchestrator): reads
// one JSON command per line on stdin, runs autocannon against a loopback URL, and writes one
// JSON result per line on stdout.
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

export interface LoadCommand {
  id: number;
  url: string;
  body: string;
  expected: string;
  connections: number;
  durationSeconds: number;
  timeoutSeconds: number;
}

export interface LoadResult {
  id: number;
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  bytesPerResponse: number;
}

function assertLoopback(url: string) {
  const { hostname } = new URL(url);
  if (hostname !== '127.0.0.1' && hostname !== 'localhost' && hostname !== '[::1]') {
    throw new Error(`refusing to load a non-loopback target: ${hostname}`);
  }
}

/**
 * A response is right when it is the expected text. autocannon decodes each chunk on its own,
 * so a character split between chunks turns into U+FFFD: then the body only has to be a data
 * answer without "errors".
 */
function verifier(expected: string) {
  return (raw: string | Buffer | undefined) => {
    const body = typeof raw === 'string' ? raw : (raw?.toString('utf8') ?? '');
    return (
      body === expected ||
      (body.includes('\uFFFD') && body.startsWith('{"data":') && !body.includes('"errors"'))
    );
  };
}

/** The value below which `q` of the sorted samples lie (nearest rank). */
function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

async function run(command: LoadCommand): Promise<LoadResult> {
  assertLoopback(command.url);
  // autocannon's own histogram has 1 ms resolution; sub-millisecond rungs need better, so every
  // response time (a float, in ms) is kept and the percentiles are computed here.
  const samples: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: command.url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: command.body,
        connections: command.connections,
        duration: command.durationSeconds,
        timeout: command.timeoutSeconds,
        verifyBody: verifier(command.expected),
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime: number) => {
      samples.push(responseTime);
    });
  });
  const sorted = Float64Array.from(samples).sort();
  return {
    id: command.id,
    requests: result.requests.total,
    seconds: result.duration,
    rps: result.requests.total / result.duration,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    mismatches: result.mismatches,
    bytesPerResponse: result.requests.total ? result.throughput.total / result.requests.total : 0,
  };
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const command = JSON.parse(line) as LoadCommand;
  try {
    process.stdout.write(`${JSON.stringify(await run(command))}\n`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stdout.write(`${JSON.stringify({ id: command.id, failure: message })}\n`);
  }
}
