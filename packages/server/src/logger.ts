// One structured (JSON) logger for the process. Request logs carry no tokens or bodies.
import { pino } from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'hoshin' },
    redact: ['req.headers.authorization', 'req.headers.cookie'],
  });
}
