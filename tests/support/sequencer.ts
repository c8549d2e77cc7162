// The order test files start in: one project's files after the other's (so a worker keeps its
// loaded modules from file to file), each project's longest first, so no long file starts last
// and runs alone at the end. Vitest's own order, on a fresh clone with no timings cached (CI),
// goes by file size, which puts a short file that runs servers, a CLI or a
// browser (often the longest) last. With timings from an earlier run in the cache, those are
// used, as vitest does.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that wait on other processes (servers, the CLI, Redis, a browser) or open PGlite
 * clusters on disk (initdb, every migration): the longest, whatever their size.
 */
const HEAVY =
  /\b(runServer|runServerToExit|spawnSync|spawn|execFile|execFileSync|createPGlite|buildTemplate|prepareDatabase)\(|launchBrowser|chromium/;

/** Bytes of the file and of the local modules it imports (one level): its cases' size. */
function estimate(file: string): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 0;
  }
  let size = text.length;
  for (const [, path] of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
    // Shared helpers (tests/support) are imported by most files: they say nothing of this one.
    if (!path || (path.includes('/support/') && !path.startsWith('./support/'))) continue;
    try {
      size += readFileSync(resolve(dirname(file), path), 'utf8').length;
    } catch {
      // a package path or a directory: not counted
    }
  }
  // Waiting on another process costs more than any amount of in-process cases.
  return HEAVY.test(text) ? size + 1_000_000 : size;
}

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const cost = new Map<TestSpecification, number>();
    const timed = files.every((spec) =>
      this.ctx.cache.getFileTestResults(`${spec.project.name}:${relative(root, spec.moduleId)}`),
    );
    for (const spec of files) {
      const cached = this.ctx.cache.getFileTestResults(
        `${spec.project.name}:${relative(root, spec.moduleId)}`,
      );
      // Either every file by its last duration, or every file by the estimate: never a mix.
      cost.set(spec, timed ? (cached?.duration ?? 0) : estimate(spec.moduleId));
    }
    // One project after the other: a worker goes on to the next file in the same process only
    // when that file is of its own project (isolate: false), so interleaving the projects
    // started a new worker, and loaded the server anew, for almost every file.
    const projects = this.ctx.projects.map((project) => project.name);
    const rank = (spec: TestSpecification) => projects.indexOf(spec.project.name);
    return [...files].sort((a, b) => rank(a) - rank(b) || (cost.get(b) ?? 0) - (cost.get(a) ?? 0));
  }
}
