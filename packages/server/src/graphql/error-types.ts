// The schema side of the domain errors in errors.ts: every one
// implements `Error { message }`, so a client can always show something.
import {
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  ValidationError,
  type ValidationIssue,
  VersionConflictError,
} from '../errors.ts';
import { builder } from './builder.ts';

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'A failure the caller can act on; mutations return these instead of throwing.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

const ValidationIssueRef = builder.objectRef<ValidationIssue>('ValidationIssue').implement({
  fields: (t) => ({
    path: t.exposeStringList('path', {
      description: 'Where in the input, e.g. ["input", "text"].',
    }),
    code: t.exposeString('code', { description: 'e.g. TOO_BIG, TOO_SMALL, INVALID_FORMAT.' }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ issues: t.field({ type: [ValidationIssueRef], resolve: (e) => e.issues }) }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ entityType: t.exposeString('entityType'), id: t.exposeString('id') }),
});

builder.objectType(ForbiddenError, { name: 'ForbiddenError', interfaces: [ErrorInterface] });

builder.objectType(VersionConflictError, {
  name: 'VersionConflictError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    entityType: t.exposeString('entityType'),
    expectedVersion: t.exposeInt('expectedVersion'),
    currentVersion: t.exposeInt('currentVersion', {
      description: 'Read the record again at this version, then retry.',
    }),
  }),
});

builder.objectType(RateLimitedError, {
  name: 'RateLimitedError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
});

/** The failures every write can end in. */
export const writeErrors = [ValidationError, NotFoundError, ForbiddenError] as const;
/** ...and those of writes to a versioned record. */
export const versionedWriteErrors = [...writeErrors, VersionConflictError] as const;
