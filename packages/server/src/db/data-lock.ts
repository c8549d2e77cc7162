// One writer per embedded data folder. PGlite is single-process and nothing in it stops a second
// process from opening the same folder (lost writes, a corrupt folder), so every process that
// opens one (server, CLI, scripts) first creates `hoshin.lock` in it with O_EXCL. The file names
// the holder (pid, and its start time so a recycled pid is not mistaken for it); a lock whose
// holder is gone (SIGKILL, power loss) is stale and taken over.
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const lockFileName = 'hoshin.lock';

export interface LockHolder {
  pid: number;
  /** The holder's start time as the kernel counts it (Linux), or null where unknown. */
  startTime: string | null;
  host: string;
  /** What holds it: "server" (reachable for administration) or "cli". */
  role: string;
  since: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the data folder ${dataDir} is in use by ${holder.role === 'server' ? 'a hoshin server' : 'another hoshin process'} ` +
        `(pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`}, since ${holder.since}). ` +
        'PGlite allows one process per folder: stop that one first, or use another HOSHIN_DATA_DIR.',
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/** Locks held by this process, so a lock file naming our own pid but no live lock is stale. */
const heldHere = new Set<string>();

function processStartTime(pid: number): string | null {
  try {
    // Field 22 of /proc/<pid>/stat, counted after the parenthesised command name (which may
    // itself contain spaces or parentheses).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(holder: LockHolder, path: string): boolean {
  if (!Number.isInteger(holder.pid) || holder.pid <= 0) return false; // kill(0) means our group
  if (holder.host !== hostname()) return true; // cannot tell: never take over another host's lock
  if (holder.pid === process.pid) return heldHere.has(path);
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const now = processStartTime(holder.pid);
  return holder.startTime === null || now === null || now === holder.startTime;
}

export function readLockHolder(dataDir: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(join(dataDir, lockFileName), 'utf8')) as LockHolder;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    // Written by a process that died between creating and filling it: no live holder.
    if (error instanceof SyntaxError)
      return { pid: 0, startTime: null, host: hostname(), role: '', since: '' };
    throw error;
  }
}

/** The live process holding the folder, or null when it is free (or only stale). */
export function liveLockHolder(dataDir: string): LockHolder | null {
  const holder = readLockHolder(dataDir);
  return holder && isAlive(holder, join(dataDir, lockFileName)) ? holder : null;
}

/**
 * Takes the folder's lock or throws DataDirLockedError naming the live holder. The folder must
 * exist. The lock is released by release(), and at the latest when this process exits.
 */
export function lockDataDir(dataDir: string, role: 'server' | 'cli' = 'server'): DataDirLock {
  const path = join(dataDir, lockFileName);
  const holder: LockHolder = {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    host: hostname(),
    role,
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readLockHolder(dataDir);
      if (current && isAlive(current, path)) throw new DataDirLockedError(dataDir, current);
      breakStaleLock(dataDir, path, current);
      continue;
    }
    writeSync(fd, JSON.stringify(holder));
    closeSync(fd);
    heldHere.add(path);
    const releaseAtExit = () => release();
    process.once('exit', releaseAtExit);
    let released = false;
    function release() {
      if (released) return;
      released = true;
      process.off('exit', releaseAtExit);
      heldHere.delete(path);
      try {
        // Only ever remove our own lock.
        if (readLockHolder(dataDir)?.pid === process.pid) unlinkSync(path);
      } catch {}
    }
    return { path, release };
  }
  throw new Error(`could not take the lock ${path}: it keeps changing hands`);
}

/**
 * Removes a stale lock so the caller can retry creating its own. Renaming it aside first is
 * atomic: of two processes breaking the same stale lock, one renames it; the other finds it gone
 * (or finds the winner's fresh, live lock and leaves it alone: it re-reads before renaming).
 */
function breakStaleLock(dataDir: string, path: string, seen: LockHolder | null) {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  let moved: LockHolder | null = null;
  try {
    moved = JSON.parse(readFileSync(aside, 'utf8')) as LockHolder;
  } catch {}
  if (moved && (moved.pid !== seen?.pid || moved.since !== seen?.since) && isAlive(moved, path)) {
    // Another process took the lock between our read and our rename: give it back (link, not
    // rename, so a lock created meanwhile is never overwritten).
    try {
      linkSync(aside, path);
    } finally {
      unlinkSync(aside);
    }
    throw new DataDirLockedError(dataDir, moved);
  }
  unlinkSync(aside);
}
