// A throwaway redis-server on a free loopback port, for tests that stop and restart Redis
// (the machine's Redis is shared and never stopped).
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as { port: number };
  await new Promise((done) => probe.close(done));
  return port;
}

export interface TestRedis {
  url: string;
  /** Starts the server (again, on the same port); resolves once it accepts connections. */
  start(): Promise<void>;
  /** Kills it (SIGKILL, as a crash would); resolves once it has exited. */
  stop(): Promise<void>;
}

export async function testRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const started = child;
      await new Promise<void>((done, fail) => {
        started.on('error', fail);
        started.stdout?.on('data', (chunk) => {
          if (String(chunk).includes('Ready to accept connections')) done();
        });
      });
    },
    stop() {
      const running = child;
      child = undefined;
      return new Promise<void>((done) => {
        if (!running || running.exitCode !== null) return done();
        running.once('exit', () => done());
        running.kill('SIGKILL');
      });
    },
  };
}
