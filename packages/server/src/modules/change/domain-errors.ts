// The failures a write can end in, as the schema reports them (typed results, not GraphQL
// errors): services throw these, mutation fields list the ones they can return.
import type { z } from 'zod';

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
