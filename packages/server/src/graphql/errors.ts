// Errors a client may see. Each carries a stable `extensions.code`; anything else is masked
// by Yoga as "Unexpected error." so no stack, SQL or internal message reaches a client.
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  RATE_LIMITED: 'RATE_LIMITED',
  MALFORMED_ID: 'MALFORMED_ID',
  INVALID_CURSOR: 'INVALID_CURSOR',
  PAGE_SIZE_OUT_OF_RANGE: 'PAGE_SIZE_OUT_OF_RANGE',
  FISCAL_YEAR_OUT_OF_RANGE: 'FISCAL_YEAR_OUT_OF_RANGE',
  MUNICIPALITY_NOT_FOUND: 'MUNICIPALITY_NOT_FOUND',
  DEPARTMENT_NOT_FOUND: 'DEPARTMENT_NOT_FOUND',
  /** An import with rejected rows: the report says which; nothing was written. */
  IMPORT_REJECTED: 'IMPORT_REJECTED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class UserInputError extends GraphQLError {
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...details } });
  }
}
