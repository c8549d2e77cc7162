// Raw subscribers for the revocation tests: an SSE stream and a graphql-transport-ws socket
// that record every message (events, errors, `complete`, the socket's close) as it arrives.
import WebSocket from 'ws';

export interface Recorded {
  /** `next` payloads and the end, in order of arrival. */
  messages: { type: 'next' | 'complete' | 'error' | 'close'; payload?: any; at: number }[];
  /** Resolves when the stream completed (SSE) or the socket closed (WebSocket). */
  ended: Promise<void>;
  /** Waits until a message satisfies `predicate`; fails after `ms`. */
  until(predicate: (message: Recorded['messages'][number]) => boolean, ms?: number): Promise<void>;
  close(): void;
}

function recorder(): {
  recorded: Omit<Recorded, 'ended' | 'close'>;
  push: (message: Recorded['messages'][number]) => void;
} {
  const messages: Recorded['messages'] = [];
  const waiters = new Set<() => void>();
  return {
    push(message) {
      messages.push(message);
      for (const wake of waiters) wake();
    },
    recorded: {
      messages,
      async until(predicate, ms = 10_000) {
        const deadline = Date.now() + ms;
        while (!messages.some(predicate)) {
          const left = deadline - Date.now();
          if (left <= 0)
            throw new Error(`not seen in ${ms} ms: ${JSON.stringify(messages).slice(0, 800)}`);
          await new Promise<void>((resolve) => {
            const wake = () => {
              waiters.delete(wake);
              resolve();
            };
            waiters.add(wake);
            setTimeout(wake, Math.min(left, 100));
          });
        }
      },
    },
  };
}

/** Opens `query` over SSE with `token`; resolves once the server answered 200. */
export async function openSse(url: string, query: string, token: string): Promise<Recorded> {
  const abort = new AbortController();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query }),
    signal: abort.signal,
  });
  if (response.status !== 200) throw new Error(`refused: ${response.status}`);
  const { recorded, push } = recorder();
  const ended = (async () => {
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) break;
        buffer += chunk.value;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: ?(.*)$/m.exec(block)?.[1];
          if (event === 'next' && data)
            push({ type: 'next', payload: JSON.parse(data), at: Date.now() });
          if (event === 'complete') push({ type: 'complete', at: Date.now() });
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return { ...recorded, ended, close: () => abort.abort() };
}

/** Opens `query` over graphql-transport-ws with `token` in the connection params. */
export async function openWebSocket(url: string, query: string, token: string): Promise<Recorded> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
  const { recorded, push } = recorder();
  const ended = new Promise<void>((done) =>
    socket.on('close', (code, reason) => {
      push({ type: 'close', payload: { code, reason: reason.toString() }, at: Date.now() });
      done();
    }),
  );
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (['next', 'complete', 'error'].includes(message.type))
      push({ type: message.type, payload: message.payload, at: Date.now() });
    if (message.type === 'connection_ack')
      socket.send(JSON.stringify({ id: 'live', type: 'subscribe', payload: { query } }));
  });
  await new Promise<void>((done, fail) => {
    socket.once('open', () => done());
    socket.once('error', fail);
  });
  socket.send(
    JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }),
  );
  return { ...recorded, ended, close: () => socket.close() };
}

/** The code of the first error a message carries (a `next` with errors, or an `error`). */
export function errorCode(message: Recorded['messages'][number]): string | undefined {
  const errors = message.type === 'error' ? message.payload : message.payload?.errors;
  return Array.isArray(errors) ? errors[0]?.extensions?.code : undefined;
}
