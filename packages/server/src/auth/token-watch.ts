// Authorization that holds for a request holds for the stream it opened: every SSE stream and
// WebSocket a token opened holds that token here until it ends, and the token is read again
// (one statement for all the tokens held) so that a revoked or expired token's streams end
// with UNAUTHENTICATED instead of going on receiving events. It is read again:
// - before the change feed hands out new records (yoga.ts wires it): an event committed after
//   the revocation never reaches the revoked token, on this instance or any other;
// - when a revocation is announced (in this process by token.service, from other processes
//   through the live channel), so an idle stream ends at once;
// - every `recheckMs` (2 s at most) while streams are held: an announcement lost with Redis, or
//   an expiry, is seen within that time.
import { EventEmitter } from 'node:events';
import { GraphQLError } from 'graphql';
import type { PrismaClient } from '../db/client.ts';
import { ErrorCode } from '../errors.ts';
import type { ChangeFeed } from '../live/change-feed.ts';
import type { LiveUpdates } from '../live/live-updates.ts';
import type { Logger } from '../logger.ts';
import { tokenRefusal } from './tokens.ts';

/** Emits 'changed' when this process revoked a token (token.service). */
export const tokenChanges = new EventEmitter().setMaxListeners(0);

/** The name under which revocations are announced to other instances (LiveUpdates.notify). */
export const TOKENS_NOTICE = 'tokens';

/** A stream's hold on its token: `signal` aborts, with the coded error as its reason, when the token may no longer be used. */
export interface TokenHold {
  readonly signal: AbortSignal;
  /** The stream ended: stop watching for it. */
  release(): void;
}

/**
 * The longest a revocation may go unseen when its announcement is lost (Redis down): the held
 * tokens are read at least this often, even when the change feed polls less often because Redis
 * carries its notifications.
 */
export const MAX_RECHECK_MS = 2000;

export interface TokenWatchOptions {
  /** How often the held tokens are read without being told to (ms; at most MAX_RECHECK_MS). */
  recheckMs: number;
  /**
   * The live machinery: the held tokens are read again before its change feed hands out new
   * records, and revocations are announced to (and heard from) other instances through it.
   */
  live?: Pick<LiveUpdates, 'notify' | 'onNotice'> & { feed: Pick<ChangeFeed, 'gate'> };
  log?: Logger;
}

/** The error an ended stream receives: the code and message of a request with that token. */
export function withdrawn(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED } });
}

export class TokenWatch {
  readonly #held = new Map<number, Set<AbortController>>();
  readonly #prisma: PrismaClient;
  readonly #options: TokenWatchOptions;
  #timer: NodeJS.Timeout | undefined;
  #checking: Promise<void> | undefined;
  #again = false;

  readonly #stopNotices: (() => void) | undefined;

  constructor(prisma: PrismaClient, options: TokenWatchOptions) {
    this.#prisma = prisma;
    this.#options = options;
    tokenChanges.on('changed', this.#revokedHere);
    const { live } = options;
    if (live) {
      const ungate = live.feed.gate(() => this.check());
      const unlisten = live.onNotice(TOKENS_NOTICE, this.#recheck);
      this.#stopNotices = () => {
        ungate();
        unlisten();
      };
    }
  }

  /** Streams open on held tokens (tests and metrics). */
  get streams(): number {
    let count = 0;
    for (const holders of this.#held.values()) count += holders.size;
    return count;
  }

  hold(tokenId: number): TokenHold {
    const controller = new AbortController();
    let holders = this.#held.get(tokenId);
    if (!holders) {
      holders = new Set();
      this.#held.set(tokenId, holders);
    }
    holders.add(controller);
    if (!this.#timer) {
      this.#timer = setInterval(this.#recheck, Math.min(this.#options.recheckMs, MAX_RECHECK_MS));
      this.#timer.unref();
    }
    return {
      signal: controller.signal,
      release: () => this.#forget(tokenId, controller),
    };
  }

  /**
   * Reads every held token and ends the holds of those that may no longer be used. A call while
   * a read is under way (which may have started before a revocation committed) is answered by
   * one more read after it. Rejects when the database did not answer.
   */
  check(): Promise<void> {
    if (this.#held.size === 0) return Promise.resolve();
    if (this.#checking) {
      this.#again = true;
      return this.#checking;
    }
    this.#checking = (async () => {
      do {
        this.#again = false;
        await this.#readOnce();
      } while (this.#again && this.#held.size > 0);
    })().finally(() => {
      this.#checking = undefined;
    });
    return this.#checking;
  }

  /** Stops watching (the server is closing); the streams themselves are ended by the server. */
  close(): void {
    tokenChanges.off('changed', this.#revokedHere);
    this.#stopNotices?.();
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** A revocation in this process: checked here at once, and announced to the other instances. */
  readonly #revokedHere = () => {
    this.#recheck();
    this.#options.live?.notify(TOKENS_NOTICE);
  };

  /** check(), for timers and announcements: a failure is logged and the next one retries. */
  readonly #recheck = () => {
    this.check().catch((error) =>
      this.#options.log?.warn({ err: error }, 'could not re-check the tokens of open streams'),
    );
  };

  async #readOnce(): Promise<void> {
    const ids = [...this.#held.keys()];
    const rows = await this.#prisma.apiToken.findMany({
      where: { id: { in: ids } },
      select: { id: true, revokedAt: true, expiresAt: true },
    });
    const now = new Date();
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const id of ids) {
      const refused = tokenRefusal(byId.get(id) ?? null, now);
      if (refused) this.#end(id, refused);
    }
  }

  #end(tokenId: number, message: string) {
    const holders = this.#held.get(tokenId);
    if (!holders) return;
    this.#held.delete(tokenId);
    const error = withdrawn(message);
    for (const controller of holders) controller.abort(error);
    this.#options.log?.info({ streams: holders.size }, `ended open streams: ${message}`);
    if (this.#held.size === 0) this.#stopTimer();
  }

  #forget(tokenId: number, controller: AbortController) {
    const holders = this.#held.get(tokenId);
    if (!holders?.delete(controller)) return;
    if (holders.size === 0) this.#held.delete(tokenId);
    if (this.#held.size === 0) this.#stopTimer();
  }

  #stopTimer() {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
