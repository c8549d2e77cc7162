// The request body limit, by kind of body: an operation (JSON, GET, form) is held to
// maxBodyBytes; a multipart upload (graphql-multipart-request-spec: an import file) to the
// import size limit POST /import has, plus room for the operation and the part headers. In
// place of Yoga's own limit (maxRequestBodySize: false), with its refusal: 413
// REQUEST_ENTITY_TOO_LARGE, by Content-Length before anything is read, or as the bytes pass.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** The operation, the map and the part headers of a multipart upload, beside its file. */
export const MULTIPART_ENVELOPE_BYTES = 64 * 1024;

const tooLarge = () =>
  new GraphQLError('Request body too large', {
    extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' },
  });

export function useBodySizeLimits(limits: { body: number; multipart: number }): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const multipart = (request.headers.get('content-type') ?? '')
        .toLowerCase()
        .startsWith('multipart/form-data');
      const limit = multipart ? limits.multipart : limits.body;
      const length = request.headers.get('content-length');
      if (length !== null) {
        if (!/^\d+$/.test(length)) {
          throw new GraphQLError('Content-Length header is invalid.', {
            extensions: { http: { status: 400 }, code: 'BAD_REQUEST' },
          });
        }
        if (Number(length) > limit) throw tooLarge();
      }
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser((incoming) => {
        const body = incoming.body;
        if (!body) return parse(incoming);
        // The stream's own TransformStream: a native body does not pipe through a ponyfill's.
        const Transformer =
          body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
        let read = 0;
        const limited = body.pipeThrough(
          new Transformer<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              read += chunk.byteLength;
              if (read > limit) controller.error(tooLarge());
              else controller.enqueue(chunk);
            },
          }),
        );
        return parse(
          new fetchAPI.Request(incoming.url, {
            method: incoming.method,
            headers: incoming.headers,
            signal: incoming.signal,
            body: limited,
            duplex: 'half',
          } as RequestInit),
        );
      });
    },
  };
}
