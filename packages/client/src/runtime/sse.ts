// GraphQL over Server-Sent Events in the "distinct connections" mode graphql-yoga serves
// (POST /graphql with `Accept: text/event-stream`; `event: next` / `event: complete`), read
// with fetch streaming and a small SSE parser. Only fetch, ReadableStream, TextDecoder and
// AbortController: the same in browsers and Node 20+.
//
// Why not graphql-sse's client (which does speak this mode and works against Yoga): its
// retries resend the same request body, so they cannot resume from the last cursor; used
// without them it would be 3.4 KB gzipped of transport for what is here about 1 KB.
import { isRetryableStatus } from './retry.js';
import {
  errorsOf,
  type FetchFunction,
  parsePayload,
  type Transport,
  type TransportRequest,
} from './types.js';

/** The default transport: one POST per connection, events read from its body. */
export function sseTransport(url: string, fetch: () => FetchFunction): Transport {
  return async function* sse(request: TransportRequest) {
    const { fail } = request;
    const response = await fetch()(url, {
      method: 'POST',
      headers: { ...request.headers, accept: 'text/event-stream' },
      body: JSON.stringify({
        ...(request.documentId ? { documentId: request.documentId } : { query: request.query }),
        ...(request.operationName ? { operationName: request.operationName } : {}),
        variables: request.variables,
      }),
      signal: request.signal,
    });
    const status = response.status;
    if (
      !response.ok ||
      !response.body ||
      !response.headers.get('content-type')?.includes('text/event-stream')
    ) {
      // Refused (Yoga sends 401 as an event stream holding the errors), or not SSE at all.
      const text = await response.text();
      const errors = errorsOf(parsePayload(text) ?? parsePayload(/^data: ?(.*)$/m.exec(text)?.[1]));
      const retryAfterMs = Number(response.headers.get('retry-after')) * 1000 || 0;
      throw errors[0]
        ? fail('graphql', errors[0].message, { status, errors, retryAfterMs })
        : response.ok
          ? fail('protocol', 'the response is not an event stream', { status })
          : fail('http', `HTTP ${status} ${response.statusText}`.trim(), {
              status,
              retryAfterMs: isRetryableStatus(status) ? retryAfterMs : 0,
            });
    }
    request.onOpen();
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let event = '';
    let data: string[] = [];
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return false;
      request.onActivity();
      buffer += decoder.decode(chunk.value, { stream: true });
      // A trailing \r stays in the buffer: it may be the first half of a \r\n.
      const lines = buffer.split(/\r\n|\n|\r(?!$)/);
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line) {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
          if (field === 'event') event = value;
          else if (field === 'data') data.push(value);
          continue; // comments (":", Yoga's keep-alive) and other fields are ignored
        }
        const type = event;
        const text = data.join('\n');
        const dispatch = data.length > 0;
        event = '';
        data = [];
        if (!dispatch) continue;
        if (type === 'complete') return true;
        if (type !== 'next' && type !== '') continue;
        const payload = parsePayload(text);
        if (!payload) throw fail('protocol', 'an event is not JSON', { status });
        yield payload;
      }
    }
  };
}
