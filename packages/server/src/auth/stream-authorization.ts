// The Yoga plugin that holds a token for every subscription it opened (token-watch.ts): when
// the token is revoked or expires, the stream's last value is the UNAUTHENTICATED error and
// then it ends, whatever transport carries it (SSE iterated or pushed, WebSocket).
import { GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { endStreamWhen, endWhen } from '../live/stream-end.ts';
import { type TokenWatch, withdrawn } from './token-watch.ts';
import type { Viewer } from './viewer.ts';

export function useStreamAuthorization(watch: TokenWatch): Plugin {
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ args, result, setResult }) {
          const { viewer, request } = args.contextValue as { viewer?: Viewer; request?: Request };
          if (viewer?.kind !== 'token' || !isAsyncIterable(result)) return;
          const hold = watch.hold(viewer.tokenId);
          if (request) endStreamWhen(request, hold.signal);
          setResult(
            endWhen(
              result,
              hold.signal,
              (reason) => ({
                errors: [reason instanceof GraphQLError ? reason : withdrawn(String(reason))],
              }),
              hold.release,
            ),
          );
        },
      };
    },
  };
}
