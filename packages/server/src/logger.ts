// One structured (JSON) logger for the process. Request logs carry no tokens or bodies.
//
// Lines go to standard output asynchronously and in batches (pino's SonicBoom, sync: false):
// a request no longer pays a write(2) for its log line, which cost about 7 % of the server's
// CPU under load (bench/README.md). Lines collect until 4 KiB are pending or, at the latest,
// FLUSH_MS later. On exit (process.exit, the end of the event loop, SIGTERM through main.ts)
// pino writes what is pending synchronously; only a kill -9 can lose the last FLUSH_MS.
import { pino } from 'pino';

export type Logger = pino.Logger;

export interface LoggerOptions {
  /** Write each line before returning. */
  sync?: boolean;
}

/** Longest a line waits in the buffer (ms). */
const FLUSH_MS = 100;

export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const settings = {
    level,
    base: { service: 'hoshin' },
    redact: ['req.headers.authorization', 'req.headers.cookie'],
  };
  if (level === 'silent' || options.sync) return pino(settings);
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  // SonicBoom's own state: bytes waiting and whether a write is under way.
  const state = destination as unknown as { _len: number; _writing: boolean; destroyed: boolean };
  const timer = setInterval(() => {
    if (state._len > 0 && !state._writing && !state.destroyed) destination.flush();
  }, FLUSH_MS);
  timer.unref();
  destination.on('close', () => clearInterval(timer));
  return pino(settings, destination);
}
