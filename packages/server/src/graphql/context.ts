// What every resolver receives. Built per request by yoga.ts.
import type { Viewer } from '../auth/viewer.ts';
import type { PrismaClient } from '../db/client.ts';
import type { LiveUpdates } from '../live/live-updates.ts';
import type { CursorSealer } from './cursors.ts';

export interface Context {
  prisma: PrismaClient;
  viewer: Viewer;
  /** The client's address, for rate limits (never logged with request content). */
  clientAddress: string;
  limits: RateLimits;
  live: LiveUpdates;
  /** Seals and checks connection cursors (graphql/cursors.ts). */
  cursors: CursorSealer;
  /** The limits every import is held to, whichever way its file comes. */
  importLimits: ImportLimits;
  /** Private ranges a webhook receiver may be in (config.ts WebhookSettings.allowPrivate). */
  webhookAllowPrivate: readonly string[];
}

export interface ImportLimits {
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** Most records a file may hold. */
  maxRows: number;
}

/** Each limit takes a key and answers 0 (go ahead) or the seconds to wait. */
export interface RateLimits {
  feedback(key: string): Promise<number>;
}
