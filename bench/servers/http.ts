// The node:http shell shared by the hand-written rungs (R0, R1): reads the whole body, finds
// the scenario it names, answers with JSON. GET /live answers 200 once listening.
import { createServer, type Server } from 'node:http';
import { type Scenario, scenarioForBody } from '../scenarios.ts';

export type Answer = (scenario: Scenario) => string | Buffer | Promise<string | Buffer>;

export function serveScenarios(answer: Answer): Server {
  return createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/live') {
      res.writeHead(200).end('ok');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const scenario = scenarioForBody(Buffer.concat(chunks).toString('utf8'));
      try {
        if (!scenario) throw new Error('unknown request body');
        const body = await answer(scenario);
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        });
        res.end(body);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ errors: [{ message }] }));
      }
    });
  });
}

/** Listens on loopback only, at the port the orchestrator chose. */
export function listenFromArgs(server: Server): void {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error('PORT must be set');
  server.listen(port, '127.0.0.1');
  process.on('SIGTERM', () => process.exit(0));
}
