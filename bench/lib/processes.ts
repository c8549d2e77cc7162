// Child processes of the benchmark: servers and the load generator, each pinned to a core with
// taskset when the machine has two or more. Only processes started here are ever signalled.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const logDir = join(import.meta.dirname, '../results/tmp/logs');

/** Cores to pin to: the server on 1, the load generator on 0; none on a single-core machine. */
export function pinning(): { server?: number; load?: number; note: string } {
  const hasTaskset = spawnSync('taskset', ['-V']).status === 0;
  if (!hasTaskset) return { note: 'taskset not found: processes not pinned' };
  if (availableParallelism() < 2) return { note: 'one core: processes not pinned' };
  return { server: 1, load: 0, note: 'server on core 1, load generator on core 0 (taskset)' };
}

/** User + system CPU time of a process (ms), from /proc: robust to a shared machine's load. */
export function cpuMs(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface NodeProcessOptions {
  name: string;
  script: string;
  core: number | undefined;
  env?: Record<string, string>;
  nodeArgs?: string[];
  /** Where stdout goes: a log file, or nowhere (a server's per-request log). */
  stdout?: 'log' | 'ignore';
}

/** Starts `node --import tsx <script>`, pinned when `core` is set; stderr goes to a log file. */
export function startNode(options: NodeProcessOptions): ChildProcess {
  mkdirSync(logDir, { recursive: true });
  const nodeArgv = [...(options.nodeArgs ?? []), '--import', 'tsx', options.script];
  const [command, args] =
    options.core === undefined
      ? [process.execPath, nodeArgv]
      : ['taskset', ['-c', String(options.core), process.execPath, ...nodeArgv]];
  const child = spawn(command, args, {
    env: { ...process.env, ...options.env },
    stdio: ['pipe', options.stdout === 'ignore' ? 'ignore' : 'pipe', 'pipe'],
  });
  const log = createWriteStream(join(logDir, `${options.name}.log`));
  child.stderr?.pipe(log);
  if (options.stdout === 'log') child.stdout?.pipe(log);
  return child;
}

/** Waits until GET <url> answers 200; fails after `timeoutMs` or if the process exits. */
export async function waitReady(child: ChildProcess, url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited (${child.exitCode})`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${url}: not ready after ${timeoutMs} ms`);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export function stop(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A line-oriented JSON request/response channel over a child's stdin/stdout. */
export function jsonChannel<Request extends { id: number }, Response extends { id: number }>(
  child: ChildProcess,
) {
  const waiting = new Map<number, (response: Response) => void>();
  if (!child.stdout || !child.stdin) throw new Error('child has no stdio pipes');
  createInterface({ input: child.stdout }).on('line', (line) => {
    const response = JSON.parse(line) as Response;
    waiting.get(response.id)?.(response);
    waiting.delete(response.id);
  });
  const stdin = child.stdin;
  return (request: Request, timeoutMs: number) =>
    new Promise<Response>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(request.id);
        reject(new Error(`no answer from the load generator in ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(request.id, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
      stdin.write(`${JSON.stringify(request)}\n`);
    });
}
