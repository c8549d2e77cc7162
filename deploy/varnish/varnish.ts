// Starts Debian's varnishd with deploy/varnish/hoshin.vcl in front of a hoshin server, on free
// ports, in a working folder of its own (the Varnish test and bench:proxy use it). Fails with a
// clear message when varnishd is missing (apt-get install varnish; .ci/run installs it).
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const VARNISHD = '/usr/sbin/varnishd';

export interface Varnish {
  /** Base URL of the proxy, e.g. http://127.0.0.1:34567 */
  url: string;
  /** Varnish's counters (varnishstat), e.g. MAIN.cache_hit. */
  counters(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export function varnishInstalled(): boolean {
  return existsSync(VARNISHD);
}

/** A port nothing listens on now (for a proxy whose URL is configured before it starts). */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startVarnish(backendPort: number, port?: number): Promise<Varnish> {
  if (!varnishInstalled()) {
    throw new Error(`${VARNISHD} is missing: apt-get install -y varnish (.ci/run does)`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'hoshin-varnish-'));
  // varnishd reads the VCL as its own unprivileged user.
  await chmod(dir, 0o755);
  const vcl = (await readFile(resolve(import.meta.dirname, 'hoshin.vcl'), 'utf8')).replace(
    '.port = "4000";',
    `.port = "${backendPort}";`,
  );
  const vclPath = join(dir, 'hoshin.vcl');
  await writeFile(vclPath, vcl);
  port ??= await freePort();
  const workdir = join(dir, 'work');
  const child = spawn(
    VARNISHD,
    [
      '-F',
      '-n',
      workdir,
      '-a',
      `127.0.0.1:${port}`,
      '-T',
      'none',
      '-f',
      vclPath,
      '-s',
      'malloc,64m',
      // Bans are tested against the objects at once, not after the default 10 s.
      '-p',
      'ban_lurker_sleep=0.01',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = `http://127.0.0.1:${port}`;
  // Up when it answers (any status): the child compiles the VCL first.
  for (let attempt = 0; ; attempt++) {
    const state = await Promise.race([
      fetch(`${url}/live`).then(
        () => 'up' as const,
        () => 'down' as const,
      ),
      exited.then(() => 'exited' as const),
    ]);
    if (state === 'up') break;
    if (state === 'exited' || attempt > 300) {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
      throw new Error(`varnishd did not start:\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  return {
    url,
    async counters() {
      const { stdout } = await run('varnishstat', ['-n', workdir, '-1', '-j']);
      const parsed = JSON.parse(stdout) as {
        counters?: Record<string, { value: number }>;
      } & Record<string, unknown>;
      const counters = parsed.counters ?? (parsed as Record<string, { value: number }>);
      return Object.fromEntries(
        Object.entries(counters)
          .filter(([, v]) => typeof v === 'object' && v !== null && 'value' in v)
          .map(([name, v]) => [name, v.value]),
      );
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
