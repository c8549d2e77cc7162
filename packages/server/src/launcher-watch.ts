// `npx pnpm start` runs npm -> sh -> pnpm -> sh -> node, and a SIGTERM to the top process (what a
// container runtime or a script sends) kills only npm: the rest are orphaned and the server keeps
// the data folder. So the server notes the launcher processes above it at start-up and stops when
// one of them goes. Only launchers (npm, npx, pnpm, the `sh -c` they spawn): a server started from
// a shell, by nohup or by a supervisor is never tied to those. Linux only (/proc); elsewhere,
// nothing to watch.
import { readFileSync } from 'node:fs';

interface Ancestor {
  pid: number;
  startTime: string;
}

function stat(pid: number): { ppid: number; startTime: string } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), startTime: fields[19] ?? '' };
  } catch {
    return null;
  }
}

function isLauncher(pid: number): boolean {
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return false;
  }
  let title = '';
  try {
    title = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {}
  const line = args.join(' ');
  if (/^(npm|npx|pnpm)\b/.test(title)) return true; // npm sets its title to "npm exec ..."
  if (args[1] === '-c' && /(^|\/)(sh|bash|dash)$/.test(args[0] ?? '')) return true;
  return /(^|\/)(npm|npx|pnpm)(\.c?js|\.mjs)?( |$)|npm-cli\.js|pnpm\.mjs|\/pnpm\/bin\//.test(line);
}

/** The chain of launcher processes directly above this one, nearest first. */
export function launcherAncestors(): Ancestor[] {
  const chain: Ancestor[] = [];
  let pid = process.ppid;
  while (pid > 1 && isLauncher(pid)) {
    const info = stat(pid);
    if (!info) break;
    chain.push({ pid, startTime: info.startTime });
    pid = info.ppid;
  }
  return chain;
}

/** Calls `onGone` once when a launcher above this process has exited. */
export function watchLaunchers(onGone: (pid: number) => void, everyMs = 1000): () => void {
  const chain = launcherAncestors();
  if (chain.length === 0) return () => {};
  const timer = setInterval(() => {
    const gone = chain.find((ancestor) => stat(ancestor.pid)?.startTime !== ancestor.startTime);
    if (gone) {
      clearInterval(timer);
      onGone(gone.pid);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
