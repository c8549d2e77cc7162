// Reads GraphQL-over-SSE responses ("event: next" / "data: {...}" blocks) as an async queue.
export interface EventStream {
  /** The next `next` payload, or throws after `timeoutMs`. */
  next(timeoutMs?: number): Promise<any>;
  /** Payloads that arrived within `ms`, without waiting for more. */
  drain(ms: number): Promise<any[]>;
  close(): void;
  closed: Promise<void>;
}

export function readEvents(response: Response, abort: AbortController): EventStream {
  const received: any[] = [];
  let notify: (() => void) | undefined;
  const closed = (async () => {
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) break;
        buffer += chunk.value;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === 'next' && data) received.push(JSON.parse(data));
          end = buffer.indexOf('\n\n');
          notify?.();
        }
      }
    } catch {
      // aborted
    }
    notify?.();
  })();
  return {
    async next(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length === 0) {
        if (Date.now() > deadline) throw new Error('no event arrived in time');
        await new Promise<void>((resolve) => {
          notify = resolve;
          setTimeout(resolve, 50);
        });
      }
      return received.shift();
    },
    async drain(ms) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return received.splice(0);
    },
    close: () => abort.abort(),
    closed,
  };
}

/** Opens a subscription over SSE at `url` (an absolute /graphql URL). */
export async function subscribeSse(
  fetchFn: (url: string, init: RequestInit) => Promise<Response>,
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetchFn(url, {
    method: 'POST',
    signal: abort.signal,
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  if (response.status !== 200)
    throw new Error(`subscription refused: ${response.status} ${await response.text()}`);
  return readEvents(response, abort);
}
