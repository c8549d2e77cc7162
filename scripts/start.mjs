// Starts the server (`pnpm start`, and what a container or service manager runs:
// `node scripts/start.mjs`) from one esbuild bundle of the server's own sources, so Node loads
// plain JavaScript instead of compiling ~120 TypeScript files through tsx at every start (about
// 2 s of CPU). Dependencies stay outside the bundle: Node resolves them from node_modules as
// before. Runs the bundle in this same process: signals reach the server directly.
//
// Never stale: the bundle's name is a hash of every file esbuild read (their contents, as this
// script handed them to it) and of this script; `dist/server.json` lists those files with their
// own hashes. Each start re-hashes the listed files (a few ms) and builds again (about 0.2 s)
// when any differs or is gone. Contents rather than mtimes: a checkout, a copy or an editor can
// leave a file's mtime as it was. A file that nothing imports does not matter until one does,
// and that one then differs.
//
// The same build bundles the operators' commands, each its own entry (the CLI, the migrations,
// the seed, the PGlite template): `node scripts/start.mjs --run cli token list` runs
// `packages/server/src/cli.ts` from its bundle with the arguments that follow, without tsx
// (`pnpm hoshin`, `pnpm db:template`, `pnpm db:migrate` are that).
//
// `--build`: only make sure the bundles are current (postinstall), and exit.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const serverDir = resolve(root, 'packages/server');
/** The entries of the one build: each becomes `dist/<name>-<key>.mjs`. */
const entries = {
  server: 'src/main.ts',
  cli: 'src/cli.ts',
  'build-template': 'src/scripts/build-template.ts',
  'db-migrate': 'src/scripts/db-migrate.ts',
  'db-seed': 'src/scripts/db-seed.ts',
};
const outDir = resolve(serverDir, 'dist');
const manifestPath = resolve(outDir, 'server.json');
/** Files esbuild reads besides the sources (resolution and compile settings). */
const settingsFiles = ['tsconfig.base.json', 'packages/server/tsconfig.json'];
const buildOnly = process.argv[2] === '--build';
/** `--run NAME`: the entry to run (the server when absent); its own arguments follow. */
const run = process.argv[2] === '--run' ? process.argv[3] : 'server';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const posix = (path) => path.split(sep).join('/');

function fail(message) {
  console.error(`hoshin: ${message}`);
  process.exit(1);
}

/** The bundle's key from the hashes of its inputs (sorted by path) and of this script. */
function keyOf(inputs) {
  const lines = Object.keys(inputs)
    .sort()
    .map((path) => `${path} ${inputs[path]}`);
  lines.push(`scripts/start.mjs ${sha256(readFileSync(fileURLToPath(import.meta.url)))}`);
  return sha256(lines.join('\n')).slice(0, 16);
}

const bundleOf = (name, key) => resolve(outDir, `${name}-${key}.mjs`);
/** The bundle's dependencies (its static imports from node_modules), loaded first: see the end. */
const dependenciesOf = (name, key) => resolve(outDir, `${name}-${key}.deps.mjs`);

/** The current bundles' key, or undefined when one is missing or any input changed. */
function currentBundle() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    return undefined;
  }
  const inputs = {};
  for (const path of Object.keys(manifest.inputs ?? {})) {
    try {
      inputs[path] = sha256(readFileSync(resolve(root, path)));
    } catch {
      return undefined; // gone: whatever imported it has changed too, or the build fails
    }
  }
  const key = keyOf(inputs);
  const complete = Object.keys(entries).every(
    (name) => existsSync(bundleOf(name, key)) && existsSync(dependenciesOf(name, key)),
  );
  return key === manifest.key && complete ? key : undefined;
}

/**
 * Gives esbuild each source with its `import.meta.{dirname,filename,url}` pointing where the
 * source is, not where the bundle is: config.ts, db/migrations.ts, db/seed.ts, db/template.ts
 * find the repository's files from them, and createRequire() finds packages from them. The
 * bundle computes them from its own URL, so a moved checkout keeps working.
 */
function sourceLocations(inputs) {
  return {
    name: 'hoshin-source-locations',
    setup(build) {
      build.onLoad({ filter: /\.(ts|mts|js|mjs|json)$/ }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const bytes = readFileSync(args.path);
        inputs[posix(relative(root, args.path))] = sha256(bytes);
        const fromBundle = (path) => JSON.stringify(posix(relative(outDir, path)));
        const contents = bytes
          .toString('utf8')
          .replace(/\bimport\.meta\.dirname\b/g, `__hoshinPath(${fromBundle(dirname(args.path))})`)
          .replace(/\bimport\.meta\.filename\b/g, `__hoshinPath(${fromBundle(args.path)})`)
          .replace(/\bimport\.meta\.url\b/g, `__hoshinUrl(${fromBundle(args.path)})`);
        const extension = args.path.slice(args.path.lastIndexOf('.') + 1);
        const loader = extension === 'mts' ? 'ts' : extension === 'mjs' ? 'js' : extension;
        return { contents, loader, resolveDir: dirname(args.path) };
      });
    },
  };
}

const banner = `import { fileURLToPath as __hoshinFileURLToPath } from 'node:url';
const __hoshinUrl = (path) => new URL(path, import.meta.url).href;
const __hoshinPath = (path) => __hoshinFileURLToPath(__hoshinUrl(path));`;

/**
 * A module importing, in the bundle's own order, the packages the bundle imports statically
 * (node: built-ins and lazy `import()`s left out): `import "graphql";`... It sits beside the
 * bundle, so each name resolves to the very module the bundle then finds loaded.
 */
function staticDependencies(metafile, outputPath, text) {
  const output = metafile.outputs[outputPath];
  const names = [
    ...new Set(
      (output?.imports ?? [])
        .filter((entry) => entry.external && entry.kind === 'import-statement')
        .map((entry) => entry.path)
        .filter((name) => !name.startsWith('node:')),
    ),
  ];
  // Node evaluates them in the order of their import declarations in the bundle: keep it.
  const at = (name) =>
    Math.min(
      ...[`from ${JSON.stringify(name)};`, `import ${JSON.stringify(name)};`]
        .map((declaration) => text.indexOf(declaration))
        .filter((index) => index >= 0),
    );
  names.sort((a, b) => at(a) - at(b));
  return names.map((name) => `import ${JSON.stringify(name)};\n`).join('');
}

async function build() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch (error) {
    fail(
      `cannot build the server: esbuild is not installed (${error.code ?? error.message}). Run \`npx -y pnpm@12.4.2 install\` in ${root} (development dependencies included).`,
    );
  }
  if (!existsSync(resolve(serverDir, 'generated/prisma/client.ts'))) {
    fail(
      'cannot build the server: the Prisma client is not generated (packages/server/generated). Run `npx -y pnpm@12.4.2 install` (its postinstall generates it) or `npx pnpm generate`.',
    );
  }
  const inputs = {};
  for (const path of settingsFiles) inputs[path] = sha256(readFileSync(resolve(root, path)));
  let result;
  try {
    result = await esbuild.build({
      entryPoints: Object.fromEntries(
        Object.entries(entries).map(([name, path]) => [name, resolve(serverDir, path)]),
      ),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Dependencies are loaded by Node from node_modules, as when running from source.
      packages: 'external',
      // Error classes and functions keep the names they have in the sources (logs, messages).
      keepNames: true,
      sourcemap: 'linked',
      sourcesContent: false,
      metafile: true,
      absWorkingDir: root,
      banner: { js: banner },
      plugins: [sourceLocations(inputs)],
      write: false,
      outdir: outDir,
      outExtension: { '.js': '.mjs' },
      logLevel: 'silent',
    });
  } catch (error) {
    const messages = await esbuild.formatMessages(error.errors ?? [], { kind: 'error' });
    console.error(messages.join('') || String(error));
    fail(
      `cannot build the server from packages/server/src: ${error.errors?.length ?? 1} error(s), above.`,
    );
  } finally {
    await esbuild.stop?.();
  }
  const key = keyOf(inputs);
  // The bundle file is named by its key, so whatever two concurrent starts write, a manifest
  // never names a bundle made from other sources. Each file is written aside, then renamed.
  const write = async (path, text) => {
    const aside = `${path}.${process.pid}.tmp`;
    await writeFile(aside, text);
    await rename(aside, path);
  };
  try {
    await mkdir(outDir, { recursive: true });
    for (const name of Object.keys(entries)) {
      const output = (extension) =>
        result.outputFiles.find((file) => file.path === resolve(outDir, `${name}${extension}`));
      const bundle = bundleOf(name, key);
      const text = output('.mjs').text;
      await write(`${bundle}.map`, output('.mjs.map').text);
      await write(
        dependenciesOf(name, key),
        // esbuild's name for the output (relative to absWorkingDir), before the key is added.
        staticDependencies(result.metafile, posix(relative(root, output('.mjs').path)), text),
      );
      await write(
        bundle,
        text.replace(
          /\/\/# sourceMappingURL=[\w-]+\.mjs\.map\s*$/,
          `//# sourceMappingURL=${name}-${key}.mjs.map\n`,
        ),
      );
    }
    await write(manifestPath, `${JSON.stringify({ key, inputs }, null, 1)}\n`);
  } catch (error) {
    fail(`cannot write the server bundle in ${outDir}: ${error.message}`);
  }
  // Earlier bundles: a running process has loaded its own already.
  for (const name of readdirSync(outDir)) {
    const earlier = /^([\w-]+)-([0-9a-f]{16})(\.deps)?\.mjs(\.map)?$/.exec(name);
    if (earlier && earlier[1] in entries && earlier[2] !== key) {
      await rm(resolve(outDir, name), { force: true });
    }
  }
  return key;
}

if (!(run in entries)) {
  fail(`--run takes one of ${Object.keys(entries).join(', ')}; not ${run ?? 'nothing'}`);
}
const key = currentBundle() ?? (await build());
if (!buildOnly) {
  // The entry sees its own arguments where it would under `node <entry>`.
  if (run !== 'server' || process.argv[2] === '--run') process.argv.splice(2, 2);
  // Stack traces name the TypeScript sources, as they did under tsx: source maps on for the
  // bundle only. With them on, Node reads and parses the source map of every module it loads
  // that names one (most packages do): 0.1-0.3 s of a start (bench/README.md, cold start). So
  // the packages the bundle imports are loaded first, with source maps off; the bundle then
  // finds them loaded. Their own frames stay as the packages ship them.
  await import(pathToFileURL(dependenciesOf(run, key)).href);
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(bundleOf(run, key)).href);
}
