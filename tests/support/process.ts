// Runs the real server (packages/server/src/main.ts) as a child process and reads its JSON log
// lines: as `pnpm start` runs it by default (scripts/start.mjs: one esbuild bundle of the
// current sources, rebuilt whenever a source differs), or with `args`/`cwd` as another command
// runs it. The bundle rather than tsx: tsx compiles every source at each start, about 2 s of
// CPU per server, and the suite starts dozens.
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  logs: Record<string, unknown>[];
  stderr: string[];
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const fromSources = ['scripts/start.mjs'];

/**
 * For a test that starts (or restarts) a server or CLI process: a start is 2-6 s on a quiet
 * 2-core machine and several times that when the suite's files run side by side at load 15.
 */
export const PROCESS_TIMEOUT_MS = 120_000;

export interface StartOptions {
  /** Node's arguments (default: scripts/start.mjs, the bundle of main.ts). */
  args?: string[];
  /** The checkout to run in (default: this one). */
  cwd?: string;
}

export function runServer(
  env: Record<string, string>,
  options: { startTimeoutMs?: number } & StartOptions = {},
): Promise<ServerProcess> {
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const child = spawn(process.execPath, options.args ?? fromSources, {
    cwd: options.cwd ?? root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) =>
    stderr.push(line),
  );

  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(
      () => rejectStart(new Error(`server did not start in ${startTimeoutMs / 1000} s`)),
      startTimeoutMs,
    );
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (typeof entry.port === 'number' && String(entry.msg).startsWith('hoshin serving')) {
        clearTimeout(timer);
        resolveStart({
          url: `http://127.0.0.1:${entry.port}`,
          child,
          logs,
          stderr,
          exited,
          stop(signal = 'SIGTERM') {
            child.kill(signal);
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      rejectStart(
        new Error(
          `server exited with ${code} before serving: ${stderr.join('\n')} ${JSON.stringify(logs.slice(-3))}`,
        ),
      );
    });
  });
}

/** Runs main.ts to completion (for start-up failures) and returns its exit code and output. */
export function runServerToExit(env: Record<string, string>, options: StartOptions = {}) {
  const child = spawn(process.execPath, options.args ?? fromSources, {
    cwd: options.cwd ?? root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  return new Promise<{ code: number | null; output: string }>((done) =>
    child.on('exit', (code) => done({ code, output })),
  );
}

let markers = 0;

/**
 * Waits until the log lines of every request answered so far have arrived, by event rather than
 * by a fixed pause: asks for a path nothing else asks for and waits for that request's line (the
 * server writes its lines in order). Returns the marker's path, to leave its line out.
 */
export async function logsSettled(server: ServerProcess, timeoutMs = 30_000): Promise<string> {
  markers += 1;
  const path = `/log-marker-${process.pid}-${markers}`;
  const response = await fetch(`${server.url}${path}`);
  await response.arrayBuffer();
  const started = Date.now();
  while (!server.logs.some((line) => line.msg === 'request' && line.path === path)) {
    if (Date.now() - started > timeoutMs) throw new Error(`no log line for ${path}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return path;
}
