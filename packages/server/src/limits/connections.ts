// The caps on long-lived connections: open SSE streams and WebSockets per client address
// (shared by http/server.ts and http/websocket.ts).

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
