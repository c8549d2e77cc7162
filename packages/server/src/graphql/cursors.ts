// Connection cursors a client cannot forge. Every cursor leaves the server sealed with an HMAC
// (HOSHIN_CURSOR_SECRET, see config.ts) over the connection type it belongs to, the viewer it
// was issued to (token id, or the public) and Pothos's own cursor; every `after`/`before` on a
// connection field is checked and unsealed before anything runs. So a cursor naming a row the
// caller was never shown (a draft's id, say) cannot be made: it is refused with INVALID_CURSOR,
// and so is a cursor of another connection or of another viewer. Clients treat cursors as
// opaque strings (the SDK does), so nothing changes for them. Every paged list pages by keyset
// (keyset.ts): its cursors hold the row's sort values (the top-level lists seal them instead of
// Pothos's id cursor and are handed them back in a form Pothos parses; the nested lists' Pothos
// cursors are their sort values already).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  type ArgumentNode,
  type DocumentNode,
  defaultFieldResolver,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Viewer } from '../auth/viewer.ts';
import { ErrorCode } from '../errors.ts';
import { isKeysetCursor, keysetCursorOf, toPothosCursor } from './keyset.ts';

const MAC_BYTES = 18;
/** At most this many sealed cursors are remembered per sealer (a few MB at most). */
const SEALED_CACHE_ENTRIES = 10_000;

export class CursorSealer {
  constructor(private readonly key: Buffer) {
    if (key.length < 16) throw new Error('the cursor key must be at least 16 bytes');
  }

  /** A key of its own (tests, a server used in process): cursors last as long as it does. */
  static random(): CursorSealer {
    return new CursorSealer(randomBytes(32));
  }

  private mac(scope: string, viewer: string, inner: string): Buffer {
    return createHmac('sha256', this.key)
      .update(`hoshin-cursor\0${scope}\0${viewer}\0${inner}`)
      .digest()
      .subarray(0, MAC_BYTES);
  }

  /**
   * Sealed cursors already computed (a pure function of scope, viewer and inner cursor): a page
   * of 20 edges is 22 HMACs, the same ones for every request of a popular page. Bounded: emptied
   * when full.
   */
  private readonly sealed = new Map<string, string>();

  seal(scope: string, viewer: string, inner: string): string {
    const key = `${scope}\0${viewer}\0${inner}`;
    const known = this.sealed.get(key);
    if (known !== undefined) return known;
    const mac = this.mac(scope, viewer, inner);
    const result = `${Buffer.from(inner, 'utf8').toString('base64url')}.${mac.toString('base64url')}`;
    if (this.sealed.size >= SEALED_CACHE_ENTRIES) this.sealed.clear();
    this.sealed.set(key, result);
    return result;
  }

  /** The inner cursor, or undefined when the cursor is not one this server issued for this. */
  unseal(scope: string, viewer: string, sealed: string): string | undefined {
    if (sealed.length > 512) return undefined;
    const dot = sealed.indexOf('.');
    if (dot <= 0) return undefined;
    const inner = Buffer.from(sealed.slice(0, dot), 'base64url').toString('utf8');
    // Only the exact string this server wrote: no other spelling of the same bytes.
    if (Buffer.from(inner, 'utf8').toString('base64url') !== sealed.slice(0, dot)) return undefined;
    const given = Buffer.from(sealed.slice(dot + 1), 'utf8');
    const expected = Buffer.from(this.mac(scope, viewer, inner).toString('base64url'), 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return inner;
  }
}

/** The key for a configured secret (HOSHIN_CURSOR_SECRET). */
export function cursorKeyFromSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** Whom a cursor was issued to: one token, or the public. */
export function cursorViewer(viewer: Viewer): string {
  return viewer.kind === 'token' ? `token:${viewer.tokenId}` : 'public';
}

interface CursorContext {
  viewer: Viewer;
  cursors: CursorSealer;
}

function isConnectionTypeName(name: string): boolean {
  return name.endsWith('Connection');
}

/** The cursor to seal for an edge: its row's keyset values when its list pages by keyset. */
function innerCursor(edge: { cursor: string; node?: unknown }): string {
  return keysetCursorOf(edge.node) ?? edge.cursor;
}

/** What the connection's resolver is given for an unsealed cursor. */
function forResolver(inner: string): string {
  return isKeysetCursor(inner) ? toPothosCursor(inner) : inner;
}

function mapMaybePromise<T, R>(value: T | Promise<T>, map: (value: T) => R): R | Promise<R> {
  return value instanceof Promise ? value.then(map) : map(value);
}

/**
 * Seals every cursor the schema hands out: `edges[].cursor` and `pageInfo.startCursor` /
 * `endCursor` of every connection type. Changes the schema's resolvers in place.
 */
export function sealConnectionCursors(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || !isConnectionTypeName(type.name)) continue;
    const { edges, pageInfo } = type.getFields();
    if (!edges || !pageInfo) continue;
    const scope = type.name;
    const edgesResolve: GraphQLFieldResolver<unknown, CursorContext> =
      edges.resolve ?? defaultFieldResolver;
    edges.resolve = (source, args, ctx, info) => {
      const viewer = cursorViewer(ctx.viewer);
      return mapMaybePromise(edgesResolve(source, args, ctx, info), (list: unknown) =>
        Array.isArray(list)
          ? list.map((edge) =>
              edge && typeof edge === 'object' && typeof edge.cursor === 'string'
                ? { ...edge, cursor: ctx.cursors.seal(scope, viewer, innerCursor(edge)) }
                : edge,
            )
          : list,
      );
    };
    const pageInfoResolve: GraphQLFieldResolver<unknown, CursorContext> =
      pageInfo.resolve ?? defaultFieldResolver;
    pageInfo.resolve = (source, args, ctx, info) => {
      const viewer = cursorViewer(ctx.viewer);
      // A keyset list's page cursors are its first and last edges' (keyset.ts).
      const edgeList = (source as { edges?: unknown } | null)?.edges;
      const keysetAt = (index: 0 | -1) => {
        if (!Array.isArray(edgeList) || edgeList.length === 0) return undefined;
        const edge = edgeList[index === 0 ? 0 : edgeList.length - 1] as { node?: unknown } | null;
        return keysetCursorOf(edge?.node);
      };
      const seal = (cursor: unknown, keyset: string | undefined) =>
        typeof cursor === 'string' ? ctx.cursors.seal(scope, viewer, keyset ?? cursor) : cursor;
      return mapMaybePromise(pageInfoResolve(source, args, ctx, info), (page: unknown) =>
        page && typeof page === 'object'
          ? {
              ...page,
              startCursor: seal((page as { startCursor?: unknown }).startCursor, keysetAt(0)),
              endCursor: seal((page as { endCursor?: unknown }).endCursor, keysetAt(-1)),
            }
          : page,
      );
    };
  }
  return schema;
}

const invalidCursor = (name: string) =>
  new GraphQLError(
    `"${name}" is not a cursor this API issued to you for this list (cursors are opaque: pass back an edge's cursor or pageInfo.endCursor unchanged)`,
    { extensions: { code: ErrorCode.INVALID_CURSOR } },
  );

/** Where a document passes cursors to connection fields: found once per parsed document. */
interface CursorUses {
  /** Some `after`/`before` of a connection field is a string literal (rewritten per request). */
  literal: boolean;
  /** Variables given as `after`/`before` of connection fields, with the connections' types. */
  variableScopes: Map<string, Set<string>>;
}

/**
 * Per schema and parsed document (Yoga's parser cache hands out the same document object for
 * the same query text): documents without cursor arguments, most reads, cost no visit at all.
 */
const cursorUsesCache = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, CursorUses>>();

/** Calls `found` for every `after`/`before` argument of a connection field in the document. */
function visitCursorArguments(
  schema: GraphQLSchema,
  document: DocumentNode,
  found: (node: ArgumentNode, scope: string) => ArgumentNode | undefined,
): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        if (node.name.value !== 'after' && node.name.value !== 'before') return undefined;
        const field = typeInfo.getFieldDef();
        const returned = field && getNamedType(field.type);
        if (!returned || !isConnectionTypeName(returned.name)) return undefined;
        return found(node, returned.name);
      },
    }),
  );
}

function cursorUses(schema: GraphQLSchema, document: DocumentNode): CursorUses {
  let bySchema = cursorUsesCache.get(schema);
  if (!bySchema) {
    bySchema = new WeakMap();
    cursorUsesCache.set(schema, bySchema);
  }
  let uses = bySchema.get(document);
  if (uses) return uses;
  const found: CursorUses = { literal: false, variableScopes: new Map() };
  visitCursorArguments(schema, document, (node, scope) => {
    if (node.value.kind === Kind.STRING) found.literal = true;
    if (node.value.kind === Kind.VARIABLE) {
      // One variable may serve several lists, in fragments on different types of which
      // one applies (the SDK's History query): its cursor must be one of theirs.
      const name = node.value.name.value;
      const scopes = found.variableScopes.get(name) ?? new Set<string>();
      scopes.add(scope);
      found.variableScopes.set(name, scopes);
    }
    return undefined;
  });
  uses = found;
  bySchema.set(document, uses);
  return uses;
}

/**
 * Unseals `after`/`before` of every connection field before execution, in the document's
 * literals and in the variables; a cursor that fails its check refuses the operation with
 * INVALID_CURSOR.
 */
function unsealArguments(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
  ctx: CursorContext,
):
  | { document: DocumentNode; variables: Record<string, unknown> | null | undefined }
  | GraphQLError {
  const uses = cursorUses(schema, document);
  if (!uses.literal && uses.variableScopes.size === 0) return { document, variables };
  const viewer = cursorViewer(ctx.viewer);
  const newVariables: Record<string, unknown> = { ...(variables ?? {}) };
  let refusal: GraphQLError | undefined;
  // Literal cursors are rewritten in a copy of the document, per request (they are few: the
  // SDK and most clients pass cursors as variables).
  const newDocument = !uses.literal
    ? document
    : visitCursorArguments(schema, document, (node, scope) => {
        if (node.value.kind !== Kind.STRING) return undefined;
        const inner = ctx.cursors.unseal(scope, viewer, node.value.value);
        if (inner === undefined) {
          refusal ??= invalidCursor(node.name.value);
          return undefined;
        }
        return { ...node, value: { ...node.value, value: forResolver(inner) } };
      });
  for (const [name, scopes] of uses.variableScopes) {
    const value = variables?.[name];
    if (value == null) continue;
    let inner: string | undefined;
    for (const scope of scopes) {
      inner ??= typeof value === 'string' ? ctx.cursors.unseal(scope, viewer, value) : undefined;
    }
    if (inner === undefined) {
      refusal ??= invalidCursor(name);
      continue;
    }
    newVariables[name] = forResolver(inner);
  }
  return refusal ?? { document: newDocument, variables: newVariables };
}

/** The Yoga plugin: cursors in, checked and unsealed, before any resolver runs. */
export function useSealedCursors(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as unknown as CursorContext;
      if (!ctx?.cursors) return;
      const unsealed = unsealArguments(args.schema, args.document, args.variableValues, ctx);
      if (unsealed instanceof GraphQLError) {
        setResultAndStopExecution({ errors: [unsealed] });
        return;
      }
      args.document = unsealed.document;
      args.variableValues = unsealed.variables;
    },
  };
}
