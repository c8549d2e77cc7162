// Every error a client can see, and every `extensions.code` string, in one place. Two kinds:
// - GraphQL errors with a stable code (bad arguments, limits, auth): thrown, and turned into
//   `errors[]` by Yoga; anything without a code is masked as "Unexpected error.".
// - Domain errors (ValidationError, NotFoundError, ...): thrown by services; mutations return
//   them as typed results (graphql/error-types.ts), reads map them to a code (yoga.ts).
import { GraphQLError } from 'graphql';
import type { z } from 'zod';

export const ErrorCode = {
  // Client input.
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  MALFORMED_ID: 'MALFORMED_ID',
  INVALID_CURSOR: 'INVALID_CURSOR',
  PAGE_SIZE_OUT_OF_RANGE: 'PAGE_SIZE_OUT_OF_RANGE',
  FISCAL_YEAR_OUT_OF_RANGE: 'FISCAL_YEAR_OUT_OF_RANGE',
  MUNICIPALITY_NOT_FOUND: 'MUNICIPALITY_NOT_FOUND',
  DEPARTMENT_NOT_FOUND: 'DEPARTMENT_NOT_FOUND',
  /** An import with rejected rows: the report says which; nothing was written. */
  IMPORT_REJECTED: 'IMPORT_REJECTED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** An import file with more records than the server takes in one import. */
  TOO_MANY_ROWS: 'TOO_MANY_ROWS',
  /** An XLSX import that expands beyond what the server reads (a zip bomb, too many rows or cells). */
  SPREADSHEET_TOO_LARGE: 'SPREADSHEET_TOO_LARGE',
  /** An import whose bytes are not in the declared encoding (the message names the likely one). */
  INVALID_ENCODING: 'INVALID_ENCODING',
  /** A Shift_JIS export of text CP932 cannot hold (𠮷, emoji): the cells are listed. */
  UNENCODABLE_CHARACTERS: 'UNENCODABLE_CHARACTERS',
  /** A booklet PDF asked of a server without its print engine (Chromium): the HTML still is. */
  PDF_UNAVAILABLE: 'PDF_UNAVAILABLE',
  // The evaluation cycle's rules, as `ValidationError` issue codes of mutation results.
  /** A decision that does not match what follows (継続 without next year's initiative, ...). */
  DECISION_INCONSISTENT: 'DECISION_INCONSISTENT',
  /** An evaluation with a required stage not completed, asked to be published. */
  EVALUATION_NOT_READY: 'EVALUATION_NOT_READY',
  /** A stage worked on before an earlier required one is completed, or after a later one. */
  STAGE_OUT_OF_ORDER: 'STAGE_OUT_OF_ORDER',
  /** A staged evaluation's rating, progress or summary set directly (they come from its stages). */
  STAGED_RESULT: 'STAGED_RESULT',
  // Who is asking.
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  // Limits on what a request may ask (limits/).
  DEPTH_LIMIT_EXCEEDED: 'DEPTH_LIMIT_EXCEEDED',
  ALIAS_LIMIT_EXCEEDED: 'ALIAS_LIMIT_EXCEEDED',
  DIRECTIVE_LIMIT_EXCEEDED: 'DIRECTIVE_LIMIT_EXCEEDED',
  TOKEN_LIMIT_EXCEEDED: 'TOKEN_LIMIT_EXCEEDED',
  CHARACTER_LIMIT_EXCEEDED: 'CHARACTER_LIMIT_EXCEEDED',
  COST_LIMIT_EXCEEDED: 'COST_LIMIT_EXCEEDED',
  EXECUTION_TIMEOUT: 'EXECUTION_TIMEOUT',
  INTROSPECTION_DISABLED: 'INTROSPECTION_DISABLED',
  INVALID_STRING: 'INVALID_STRING',
  INPUT_TOO_LARGE: 'INPUT_TOO_LARGE',
  CSRF_HEADER_REQUIRED: 'CSRF_HEADER_REQUIRED',
  PERSISTED_DOCUMENT_REQUIRED: 'PERSISTED_DOCUMENT_REQUIRED',
  PERSISTED_DOCUMENT_NOT_FOUND: 'PERSISTED_DOCUMENT_NOT_FOUND',
  // Limits on how often and how many (limits/rate-limits.ts, limits/connections.ts).
  RATE_LIMITED: 'RATE_LIMITED',
  TOO_MANY_CONNECTIONS: 'TOO_MANY_CONNECTIONS',
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  /** graphql-sse's single-connection mode (PUT /graphql); only distinct connections are served. */
  SSE_SINGLE_CONNECTION_UNSUPPORTED: 'SSE_SINGLE_CONNECTION_UNSUPPORTED',
  // The server's own trouble, worth a retry: the database did not answer (503, Retry-After).
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  // Live updates: the subscriber fell behind; it resumes from the cursor in the error.
  SUBSCRIBER_TOO_SLOW: 'SUBSCRIBER_TOO_SLOW',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes of the server's own trouble: logged at error (INTERNAL) or warn, never as a client's. */
const SERVER_CODES = new Set<string>([
  ErrorCode.DATABASE_UNAVAILABLE,
  ErrorCode.EXECUTION_TIMEOUT,
  'INTERNAL_SERVER_ERROR',
]);

/** The code a client sees for this error (its own, or its original's). */
export function clientErrorCode(error: GraphQLError): string | undefined {
  const own = error.extensions?.code;
  if (typeof own === 'string') return own;
  const original = error.originalError;
  if (original instanceof GraphQLError) return clientErrorCode(original);
  return original ? domainErrorCode(original) : undefined;
}

/**
 * A mistake of the client's (validation, limits, auth, not found, a bad cursor...): logged at
 * info without a stack. Anything else is unexpected and logged at error with its stack.
 */
export function isClientGraphQLError(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return false;
  const code = clientErrorCode(error);
  return code !== undefined && !SERVER_CODES.has(code);
}

/** A refusal of the client's input, with its code and any details a client can act on. */
export class UserInputError extends GraphQLError {
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...details } });
  }
}

/** A refusal of the whole request with an HTTP status (limits answer 400, 403, 429, 503). */
export function refusal(
  code: ErrorCode,
  message: string,
  status = 400,
  details: Record<string, unknown> = {},
) {
  return new GraphQLError(message, { extensions: { code, ...details, http: { status } } });
}

export interface ValidationIssue {
  /** Where in the input, e.g. ["input", "initiatives", "2", "text"]. */
  path: string[];
  code: string;
  message: string;
}

export class ValidationError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super(
      issues.length === 1
        ? (issues[0]?.message ?? 'Invalid input')
        : `${issues.length} inputs are invalid`,
    );
  }

  static fromZod(error: z.ZodError, root = 'input'): ValidationError {
    return new ValidationError(
      error.issues.map((issue) => ({
        path: [root, ...issue.path.map(String)],
        code: issue.code.toUpperCase(),
        message: issue.message,
      })),
    );
  }

  static of(path: string[], code: string, message: string): ValidationError {
    return new ValidationError([{ path, code, message }]);
  }
}

export class NotFoundError extends Error {
  constructor(
    readonly entityType: string,
    readonly id: string,
  ) {
    super(`No ${entityType} ${id} that you may see`);
  }
}

export class ForbiddenError extends Error {
  constructor(message = 'You may not do this') {
    super(message);
  }
}

export class VersionConflictError extends Error {
  constructor(
    readonly entityType: string,
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(
      `${entityType} was changed by someone else: you read version ${expectedVersion}, it is now ${currentVersion}`,
    );
  }
}

export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests: try again in ${retryAfterSeconds} s`);
  }
}

/** Seconds a client should wait before retrying while the database does not answer. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The database did not answer: 503 with Retry-After, so clients and load balancers back off. */
export function databaseUnavailableError() {
  return new GraphQLError('The database is not answering; retry shortly', {
    extensions: {
      code: ErrorCode.DATABASE_UNAVAILABLE,
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      http: { status: 503, headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) } },
    },
  });
}

/** The code a domain error carries when it escapes a typed result (a read it refuses, say). */
export function domainErrorCode(error: Error): ErrorCode | undefined {
  if (error instanceof ForbiddenError) return ErrorCode.FORBIDDEN;
  if (error instanceof NotFoundError) return ErrorCode.NOT_FOUND;
  if (error instanceof ValidationError) return ErrorCode.BAD_USER_INPUT;
  if (error instanceof RateLimitedError) return ErrorCode.RATE_LIMITED;
  return undefined;
}
