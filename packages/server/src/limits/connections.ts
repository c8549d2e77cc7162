// The caps on long-lived connections: open SSE streams and WebSockets per client address
// (shared by http/server.ts and http/websocket.ts), and the Yoga plugin that counts every
// subscription served over HTTP where its stream starts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode, refusal } from '../errors.ts';

/** Open long-lived connections per client address (SSE streams and WebSockets together). */
export class ConnectionCounter {
  readonly #open = new Map<string, number>();
  constructor(readonly max: number) {}

  /** Takes a slot, or answers false when the client already holds `max`. */
  acquire(address: string): boolean {
    const open = this.#open.get(address) ?? 0;
    if (open >= this.max) return false;
    this.#open.set(address, open + 1);
    return true;
  }

  release(address: string) {
    const open = (this.#open.get(address) ?? 1) - 1;
    if (open <= 0) this.#open.delete(address);
    else this.#open.set(address, open);
  }
}

/**
 * The open streams of one HTTP server (SSE however it was asked for): counted per client address
 * against the connection cap, and ended all at once at shutdown.
 */
export class StreamGate {
  readonly #open = new Set<ServerResponse>();
  #closed = false;
  constructor(readonly connections: ConnectionCounter) {}

  /** Takes a slot for this response until it closes, or answers false when over the cap. */
  open(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.#closed) return false;
    const address = req.socket.remoteAddress ?? 'unknown';
    if (!this.connections.acquire(address)) return false;
    this.#open.add(res);
    res.once('close', () => {
      this.#open.delete(res);
      this.connections.release(address);
    });
    return true;
  }

  /** Ends every open stream and refuses new ones (shutdown). */
  endAll() {
    this.#closed = true;
    for (const res of this.#open) res.destroy();
  }
}

/**
 * Every subscription served over HTTP holds a stream slot for as long as its response is open,
 * whatever the Accept header asked for (any type, none, text/event-stream): the cap is counted
 * where the stream starts, not guessed from the request. http/server.ts puts the gate in the
 * server context; WebSocket operations (no `res`) are capped per socket instead.
 */
export function useStreamCap(): Plugin {
  return {
    onSubscribe({ args }) {
      const { streamGate, req, res } = args.contextValue as {
        streamGate?: StreamGate;
        req?: IncomingMessage;
        res?: ServerResponse;
      };
      if (!streamGate || !req || !res) return;
      if (!streamGate.open(req, res)) {
        throw refusal(
          ErrorCode.TOO_MANY_CONNECTIONS,
          `Too many open connections from this client (at most ${streamGate.connections.max})`,
          429,
        );
      }
    },
  };
}
