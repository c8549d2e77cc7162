// The bare broadcaster: the floor the subscription benchmark compares hoshin's SSE fan-out with.
// A node:http server with no GraphQL, no database and no visibility: it holds every POST
// /graphql that accepts text/event-stream open, and when a "write" (any other POST whose query
// is a mutation) is acknowledged, writes one SSE event of the same bytes as hoshin's (the
// event hoshin sent last, handed over in BARE_EVENT, with its cursor replaced by a counter of the
// same length) to every open stream. It answers the benchmark's reads of the plan, its /health
// and its /metrics (hoshin_live_subscribers), so the same driver runs both.
import { createServer, type ServerResponse } from 'node:http';

const fallbackEvent = JSON.stringify({
  data: { planChanged: { cursor: 'x'.repeat(64), kind: 'UPDATED' } },
});
const sample = JSON.parse(process.env.BARE_EVENT || fallbackEvent) as {
  data: Record<string, { cursor: string }>;
};
const [field] = Object.keys(sample.data);
if (!field) throw new Error('BARE_EVENT has no field under data');
const cursorLength = sample.data[field]?.cursor.length ?? 64;

const streams = new Set<ServerResponse>();
let version = 1;

function eventBytes(n: number): string {
  const payload = structuredClone(sample);
  const event = payload.data[field as string];
  if (event) event.cursor = String(n).padStart(cursorLength, '0');
  return `event: next\ndata: ${JSON.stringify(payload)}\n\n`;
}

function json(res: ServerResponse, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

const server = createServer((req, res) => {
  const path = req.url?.split('?', 1)[0];
  if (req.method === 'GET' && path === '/health') return void res.writeHead(200).end();
  if (req.method === 'GET' && path === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    return void res.end(`hoshin_live_subscribers ${streams.size}\n`);
  }
  if (req.method !== 'POST' || path !== '/graphql') return void res.writeHead(404).end();
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    body += chunk;
  });
  req.on('end', () => {
    if (req.headers.accept?.includes('text/event-stream')) {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      res.flushHeaders();
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    const { query } = JSON.parse(body) as { query: string };
    if (!query.trimStart().startsWith('mutation')) {
      return json(res, { data: { plan: { id: 'bare', version } } });
    }
    version += 1;
    const written = version;
    // Acknowledged first, then published, as hoshin does after its commit.
    json(res, {
      data: { updatePlan: { __typename: 'UpdatePlanSuccess', plan: { version: written } } },
    });
    setImmediate(() => {
      const bytes = eventBytes(written);
      for (const stream of streams) stream.write(bytes);
    });
  });
});

server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => {
  for (const stream of streams) stream.destroy();
  server.close(() => process.exit(0));
});
