// graphql-sse has two modes. Only "distinct connections" is served: each subscription is its
// own POST (or GET) with Accept: text/event-stream, counted by the stream cap like any other.
// "Single connection" mode (a PUT /graphql reserving a stream, then requests carrying
// X-GraphQL-Event-Stream-Token) is refused with a status and a code a client can act on,
// instead of Yoga's bare 405.
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';

export const SINGLE_CONNECTION_REFUSAL =
  "graphql-sse's single-connection mode is not served here: use distinct-connections mode (one POST with Accept: text/event-stream per subscription; graphql-sse createClient({ singleConnection: false }), its default)";

const TOKEN_HEADER = 'x-graphql-event-stream-token';

export function useDistinctConnectionsOnly(): Plugin {
  return {
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== '/graphql') return;
      const singleConnection =
        request.method === 'PUT' ||
        request.headers.has(TOKEN_HEADER) ||
        url.searchParams.has('token');
      if (!singleConnection) return;
      endResponse(
        new Response(
          JSON.stringify({
            errors: [
              {
                message: SINGLE_CONNECTION_REFUSAL,
                extensions: { code: ErrorCode.SSE_SINGLE_CONNECTION_UNSUPPORTED },
              },
            ],
          }),
          {
            status: 405,
            headers: { 'content-type': 'application/json; charset=utf-8', allow: 'GET, POST' },
          },
        ),
      );
    },
  };
}
