// CSRF prevention (Yoga's plugin) with our code, and the request-parse hygiene that keeps the
// JSON parser's own message (which quotes the body) out of a refusal.
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode, refusal } from '../errors.ts';

/** Headers that make a browser preflight a request; one of them lifts CSRF prevention. */
export const CSRF_HEADERS = ['x-hoshin-csrf', 'graphql-preflight', 'apollo-require-preflight'];

/**
 * Yoga attaches the JSON parser's own message (which quotes the body) to a malformed-JSON
 * refusal as `extensions.originalError`; a client needs only the refusal and its code.
 */
export function useNoOriginalError(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (error) {
          if (!(error instanceof GraphQLError) || !error.extensions.originalError) throw error;
          const { originalError: _dropped, http, ...extensions } = error.extensions;
          // Yoga answers 200 to `spec` errors under Accept: application/json unless an
          // originalError is attached; a malformed body is a 400 either way.
          const status = (http as { status?: number } | undefined)?.status ?? 400;
          throw new GraphQLError(error.message, {
            extensions: { ...extensions, http: { status } },
          });
        }
      });
    },
  };
}

export const csrfRefusalMessage = `Requests a browser can send cross-site need a ${CSRF_HEADERS[0]} header (or Content-Type: application/json)`;

const NON_PREFLIGHTED_CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
];

/** Would a browser have preflighted a request with this Content-Type (Yoga's own rule)? */
export function isPreflighted(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.toLowerCase();
  return !NON_PREFLIGHTED_CONTENT_TYPES.some((simple) => type.startsWith(simple));
}

/**
 * The cacheable public read (http/public-cache.ts), which needs no CSRF header: an anonymous GET
 * of a persisted query. Nothing rides on cookies here and GET never runs a mutation, so a
 * cross-site page gains nothing it could not fetch itself; a CDN must forward it as it is.
 */
export function isPublicPersistedGet(
  method: string | undefined,
  url: string,
  hasAuthorization: boolean,
): boolean {
  if (method !== 'GET' || hasAuthorization) return false;
  const question = url.indexOf('?');
  return question >= 0 && new URLSearchParams(url.slice(question + 1)).has('documentId');
}

export function useCodedCSRFPrevention(): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: CSRF_HEADERS });
  return {
    onRequestParse(payload) {
      const { request } = payload;
      if (isPublicPersistedGet(request.method, request.url, request.headers.has('authorization'))) {
        return;
      }
      try {
        return csrf.onRequestParse?.(payload);
      } catch {
        throw refusal(ErrorCode.CSRF_HEADER_REQUIRED, csrfRefusalMessage, 403);
      }
    },
  };
}
