// What `pnpm start` runs (scripts/start.mjs): the server's sources bundled by esbuild, in one
// process. It must answer like the sources do (every path found from a module still resolves
// from the bundle), and must never run a bundle older than the sources.
import {
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  realpath,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSeededTemplate } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServer, runServerToExit } from '../support/process.ts';

const root = resolve(import.meta.dirname, '../..');
const start = { args: ['scripts/start.mjs'] };
const contractQuery = `{ plan(municipality: "132047", department: "kyoiku", fiscalYear: 2012) {
  department { name } fiscalYear { label } initiatives(first: 20) { totalCount } } }`;

async function post(url: string, query: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'hoshin-bundled-'));
  // As after `pnpm install`: the seeded template a new data folder starts from.
  await buildSeededTemplate();
}, 180_000);
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('pnpm start (the bundled server)', { timeout: 180_000 }, () => {
  it('answers the contract query from an empty data folder, with the seeded template found from the bundle (its key hashes the seed and the sources beside it)', async () => {
    const server = await runServer(
      { HOSHIN_DATA_DIR: join(scratch, 'data') },
      { ...start, startTimeoutMs: 170_000 },
    );
    try {
      expect(server.logs.map((l) => l.msg)).toEqual(
        expect.arrayContaining([
          'new data folder: copied the seeded template',
          'schema up to date',
          'seed present',
        ]),
      );
      const { status, body } = await post(server.url, contractQuery);
      expect(status).toBe(200);
      expect(body.data.plan.department.name).toBe('教育部');
      expect(body.data.plan.fiscalYear.label).toBe('平成24年度');
      expect(body.data.plan.initiatives.totalCount).toBe(3);
      // The dashboard, found from config.ts's location, is served too (when it is built).
      const dashboard = await fetch(`${server.url}/app/`);
      expect([200, 404]).toContain(dashboard.status);
      if (server.logs.some((l) => String(l.msg).startsWith('dashboard at'))) {
        expect(dashboard.status).toBe(200);
      }
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const bundles = (await readdir(join(root, 'packages/server/dist'))).filter((name) =>
      /^server-[0-9a-f]{16}\.mjs$/.test(name),
    );
    expect(bundles).toHaveLength(1);
  });

  it("maps the bundle's stack traces to the TypeScript sources, but reads no package's source map (reading them cost 0.1-0.3 s of a start)", async () => {
    // A module loaded before the bundle reports, as the process exits, which modules Node
    // keeps a source map for (what it maps stack traces with).
    const pothos = await realpath(join(root, 'packages/server/node_modules/@pothos/core'));
    const pothosModule = join(
      pothos,
      JSON.parse(await readFile(join(pothos, 'package.json'), 'utf8')).module,
    );
    // A package that names a source map, which the bundle imports.
    expect(await readFile(pothosModule, 'utf8')).toMatch(/\/\/# sourceMappingURL=\S+\s*$/);
    const probe = join(scratch, 'source-maps-probe.mjs');
    await writeFile(
      probe,
      `import { findSourceMap } from 'node:module';
import { readdirSync } from 'node:fs';
const dist = ${JSON.stringify(join(root, 'packages/server/dist'))};
process.on('exit', () => {
  const bundle = readdirSync(dist).find((name) => /^cli-[0-9a-f]{16}\\.mjs$/.test(name));
  const mapped = (path) => findSourceMap(path) !== undefined;
  console.error('PROBE ' + JSON.stringify({ bundle: mapped(dist + '/' + bundle), pothos: mapped(${JSON.stringify(pothosModule)}) }));
});
`,
    );
    const { code, output } = await runServerToExit(
      {},
      { args: ['--import', probe, 'scripts/start.mjs', '--run', 'cli', '--help'] },
    );
    expect(code).toBe(0);
    const line = output.split('\n').find((text) => text.startsWith('PROBE '));
    expect(JSON.parse(String(line).slice('PROBE '.length))).toEqual({
      bundle: true,
      pothos: false,
    });
  });

  describe('in a copy of the checkout whose sources are then edited', () => {
    let checkout: string;
    const fiscalYearSource = () =>
      join(checkout, 'packages/server/src/modules/fiscal-year/fiscal-year.ts');

    beforeAll(async () => {
      // The server's sources and settings copied; what it only reads (packages, migrations,
      // seed) linked from this checkout.
      checkout = join(scratch, 'checkout');
      await mkdir(join(checkout, 'packages/server'), { recursive: true });
      for (const path of ['scripts/start.mjs', 'tsconfig.base.json', 'package.json']) {
        await cp(join(root, path), join(checkout, path));
      }
      for (const path of ['src', 'generated', 'tsconfig.json', 'package.json']) {
        await cp(join(root, 'packages/server', path), join(checkout, 'packages/server', path), {
          recursive: true,
        });
      }
      for (const path of ['node_modules', 'packages/server/node_modules', 'prisma']) {
        await symlink(join(root, path), join(checkout, path));
      }
    });

    it('runs an edited source at the next start: the bundle is made again first', async () => {
      const first = await runServer(
        { HOSHIN_DATA_DIR: join(scratch, 'data-copy') },
        { args: start.args, cwd: checkout, startTimeoutMs: 170_000 },
      );
      try {
        expect((await post(first.url, contractQuery)).body.data.plan.fiscalYear.label).toBe(
          '平成24年度',
        );
      } finally {
        await first.stop();
      }
      const { key: keyBefore } = JSON.parse(
        await readFile(join(checkout, 'packages/server/dist/server.json'), 'utf8'),
      );

      // A module deep in the import graph, not the entry point.
      const source = await readFile(fiscalYearSource(), 'utf8');
      const edited = source.replace("{ name: '平成',", "{ name: 'HEISEI-EDITED',");
      expect(edited).not.toBe(source);
      await writeFile(fiscalYearSource(), edited);

      const second = await runServer(
        { HOSHIN_DATA_DIR: join(scratch, 'data-copy') },
        { args: start.args, cwd: checkout, startTimeoutMs: 170_000 },
      );
      try {
        expect((await post(second.url, contractQuery)).body.data.plan.fiscalYear.label).toBe(
          'HEISEI-EDITED24年度',
        );
      } finally {
        await second.stop();
      }
      const { key: keyAfter } = JSON.parse(
        await readFile(join(checkout, 'packages/server/dist/server.json'), 'utf8'),
      );
      expect(keyAfter).not.toBe(keyBefore);
      // The older bundle is removed once the new one is in place.
      const bundles = (await readdir(join(checkout, 'packages/server/dist'))).filter((name) =>
        /^server-[0-9a-f]{16}\.mjs$/.test(name),
      );
      expect(bundles).toEqual([`server-${keyAfter}.mjs`]);
    });

    it('stops with the compile error, in plain words, when a source does not build', async () => {
      await writeFile(fiscalYearSource(), 'export const broken = ;\n');
      const { code, output } = await runServerToExit(
        { HOSHIN_DATA_DIR: join(scratch, 'data-copy') },
        { args: start.args, cwd: checkout },
      );
      expect(code).toBe(1);
      expect(output).toMatch(/fiscal-year\.ts:1:\d+/);
      expect(output).toContain(
        'hoshin: cannot build the server from packages/server/src: 1 error(s), above.',
      );
      // Nothing but the compiler's message and that line: no stack from inside esbuild.
      expect(output).not.toMatch(/\n\s+at /);
    });
  });
});
