// The Pothos builder: plugins, scalars and shared options. Defines no domain types; those
// live in modules/<domain>/ and register themselves on this builder when imported.
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin, { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import {
  DateTimeResolver,
  JSONResolver,
  LocalDateResolver,
  SafeIntResolver,
} from 'graphql-scalars';
import type PrismaTypes from '../../generated/pothos-types.ts';
import { getDatamodel } from '../../generated/pothos-types.ts';
import { ErrorCode, ForbiddenError, UserInputError } from '../errors.ts';
import type { Context } from './context.ts';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/**
 * Spread into every connection: Pothos would clamp an oversized `first`/`last` silently, and a
 * client asking for too much should be told.
 */
export const pageSize = {
  defaultSize: DEFAULT_PAGE_SIZE,
  maxSize: (args: { first?: number | null; last?: number | null }) => checkedPageSize(args),
};

function checkedPageSize(args: { first?: number | null; last?: number | null }): number {
  for (const name of ['first', 'last'] as const) {
    const value = args[name];
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw new UserInputError(
        ErrorCode.PAGE_SIZE_OUT_OF_RANGE,
        `"${name}" must be between 0 and ${MAX_PAGE_SIZE}, got ${value}`,
        { argument: name, max: MAX_PAGE_SIZE },
      );
    }
  }
  return MAX_PAGE_SIZE;
}

/** True for object types that implement Node (read at request time, after the build). */
function isNodeType(typename: string): boolean {
  try {
    const config = builder.configStore.getTypeConfig(typename, 'Object');
    return config.interfaces.some((ref) => builder.configStore.getTypeConfig(ref).name === 'Node');
  } catch {
    return false;
  }
}

/** Global IDs are base64 of "Type:id"; anything else is refused with a stable code. */
function decodeCheckedGlobalID(globalID: string) {
  const malformed = () =>
    new UserInputError(ErrorCode.MALFORMED_ID, `"${globalID.slice(0, 64)}" is not a valid ID`);
  let decoded: ReturnType<typeof decodeGlobalID>;
  try {
    decoded = decodeGlobalID(globalID);
  } catch {
    throw malformed();
  }
  const isNumericId = /^[1-9][0-9]{0,9}$/.test(decoded.id) && Number(decoded.id) <= 2_147_483_647; // int4 ids
  if (!isNumericId || !isNodeType(decoded.typename)) throw malformed();
  return decoded;
}

const capitalize = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

export const builder = new SchemaBuilder<{
  Context: Context;
  // Coarse role gates on fields; which rows a caller may touch is decided by *.policy.ts.
  AuthScopes: {
    /** Any valid API token. */
    authenticated: boolean;
    /** PLANNING or ADMIN (may act for a whole municipality). */
    planning: boolean;
    admin: boolean;
  };
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    LocalDate: { Input: string; Output: string };
    SafeInt: { Input: number; Output: number };
    JSON: { Input: unknown; Output: unknown };
    /** An uploaded file (graphql-multipart-request-spec), as Yoga hands it over. */
    File: { Input: File; Output: never };
  };
}>({
  // Errors first, so a refusal from scope-auth becomes a typed ForbiddenError result.
  plugins: [ErrorsPlugin, ScopeAuthPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: ({ viewer }) => ({
      authenticated: viewer.kind === 'token',
      planning: viewer.kind === 'token' && (viewer.role === 'PLANNING' || viewer.role === 'ADMIN'),
      admin: viewer.kind === 'token' && viewer.role === 'ADMIN',
    }),
    unauthorizedError: (_parent, { viewer }) =>
      new ForbiddenError(
        viewer.kind === 'anonymous'
          ? 'Sign in with an API token to do this'
          : 'Your token may not do this',
      ),
  },
  errors: {
    defaultResultOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Success` },
    defaultUnionOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Result` },
  },
  prisma: {
    // Per request, so each test (and each server) can run on its own database.
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    // A development aid that tracks every query object through proxies: measured at about a
    // third of the request time, so it is on only when NODE_ENV=development.
    onUnusedQuery: process.env.NODE_ENV === 'development' ? 'warn' : null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: { list: false, items: false } },
    nodeFieldOptions: { nullable: false },
    encodeGlobalID,
    decodeGlobalID: decodeCheckedGlobalID,
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('LocalDate', LocalDateResolver);
builder.addScalarType('SafeInt', SafeIntResolver);
builder.addScalarType('JSON', JSONResolver);
builder.scalarType('File', {
  description:
    'A file sent in a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec). Input only.',
  serialize: () => {
    throw new Error('File is an input type');
  },
  parseValue: (value) => {
    // Yoga's multipart parser hands over a WHATWG File (a ponyfill on Node: not `instanceof`).
    const file = value as Partial<File> | null;
    if (typeof file?.stream !== 'function' || typeof file.size !== 'number') {
      throw new UserInputError(
        ErrorCode.BAD_USER_INPUT,
        'A File is sent as a part of a multipart request (graphql-multipart-request-spec)',
      );
    }
    return value as File;
  },
  parseLiteral: () => {
    throw new UserInputError(ErrorCode.BAD_USER_INPUT, 'A File cannot be written in the query');
  },
});

/** The root query type, also reachable inside `liveSnapshot { query { ... } }`. */
export const QueryRoot = builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
