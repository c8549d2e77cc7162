// One structured (JSON) logger for the process. Request logs carry no tokens or bodies.
//
// Lines go to standard output asynchronously (pino's SonicBoom with sync: false): a request
// no longer waits for a write(2) of its log line, which cost about 7 % of the server's CPU
// under load (bench/README.md). Nothing is held back on purpose (minLength 0): a line is
// written as soon as the previous write finished, so lines written while one is under way
// leave together. On exit (process.exit, the end of the event loop, SIGTERM through main.ts)
// pino flushes what is pending synchronously; only a kill -9 can lose the last lines.
import { pino } from 'pino';

export type Logger = pino.Logger;

export interface LoggerOptions {
  /** Write each line before returning. */
  sync?: boolean;
}

export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const sync = options.sync ?? false;
  return pino(
    {
      level,
      base: { service: 'hoshin' },
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
    level === 'silent' ? undefined : pino.destination({ dest: 1, sync, minLength: 0 }),
  );
}
