// HTTP caching of public reads, for browsers and a CDN in front (docs/integrating.md "Caching
// behind a CDN"). In the node:http handler, before the read cache and Yoga:
// - an anonymous GET of a query (`/graphql?documentId=…&variables=…`, or `query=`) gets a strong
//   ETag derived without running it: the document, the variables, the operation name, Accept,
//   Origin, the schema and the public watermark (the newest change record the public could see
//   before or after: draft edits do not move it). `If-None-Match` with that ETag is answered
//   304 at once. An error-free answer gets `Cache-Control: public, max-age, s-maxage,
//   stale-while-revalidate` and `Surrogate-Key`/`Cache-Tag` naming what it depends on
//   (surrogateKeysOf); anything else `no-store`;
// - a request with a token is `private, no-store`: never kept by anyone but its client;
// - every public change record is turned into the keys to purge (purgeKeysOf) and handed to the
//   purge hooks (http/purge.ts).
// Freshness: an instance learns of another's commits through its change feed (Redis at once,
// else within HOSHIN_LIVE_POLL_MS), the same bound as the read cache and live updates; an answer
// computed while the watermark moved is sent `no-store`, so no cache keeps it under a stale tag.
import { createHash } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { decodeGlobalID } from '@pothos/plugin-relay';
import {
  type DocumentNode,
  type GraphQLSchema,
  getArgumentValues,
  Kind,
  type OperationDefinitionNode,
  parse,
  printSchema,
} from 'graphql';
import type { PublicCacheSettings } from '../config.ts';
import type { CacheAdmission } from '../limits/cache-admission.ts';

/** The key every answer not tied to one municipality carries; every public change purges it. */
export const UNSCOPED_KEY = 'unscoped';
/** Entity keys beyond this many are left out (the scope keys already cover the answer). */
const MAX_ENTITY_KEYS = 200;
const JSON_TYPES = /^application\/(graphql-response\+)?json/;

/** A surrogate key: only characters safe in headers, in Varnish's ban regex and CDN APIs. */
export function surrogateKey(...parts: (string | number)[]): string {
  return parts
    .map((part) =>
      String(part).replace(
        /[^A-Za-z0-9_-]/g,
        (c) => `%${c.codePointAt(0)?.toString(16).toUpperCase().padStart(2, '0')}`,
      ),
    )
    .join(':');
}

/** An entity's key: its global ID decoded (`DepartmentPlan:12`). */
export const entityKey = (type: string, id: string | number) => surrogateKey(type, id);

/** The scope key of answers about (municipality, department or any, year or any). */
export const scopeKey = (municipality: string, department?: string, year?: number) =>
  surrogateKey('m', municipality, 'd', department ?? '_', 'y', year ?? '_');

/** What a public change record says about where it sits (codes, not row ids). */
export interface PublicChange {
  entityType: string;
  entityId: number;
  municipality: string;
  department: string | null;
  fiscalYear: number | null;
}

/**
 * The keys to purge for a change: its entity, the unscoped answers, and every scope key an
 * answer that could include it carries. A change without a department or a year may touch any
 * answer of its municipality (the municipality key).
 */
export function purgeKeysOf(change: PublicChange): string[] {
  const { municipality, department, fiscalYear } = change;
  const keys = [entityKey(change.entityType, change.entityId), UNSCOPED_KEY];
  if (department === null || fiscalYear === null) {
    keys.push(surrogateKey('m', municipality));
  } else {
    keys.push(
      scopeKey(municipality, department, fiscalYear),
      scopeKey(municipality, undefined, fiscalYear),
      scopeKey(municipality, department),
      scopeKey(municipality),
    );
  }
  return keys;
}

interface Scope {
  municipality?: unknown;
  department?: unknown;
  fiscalYear?: unknown;
  fiscalYears?: unknown;
}

/**
 * The keys of an answer, judged from the operation's root fields and their arguments (each
 * field narrowed to a municipality carries `m:<code>` and its scope key; any other field
 * `unscoped`), and the entities it names (every global `id` in the data).
 */
export function surrogateKeysOf(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  data: unknown,
): string[] {
  const keys = new Set<string>();
  const queryType = schema.getQueryType();
  for (const selection of operation.selectionSet.selections) {
    const field =
      selection.kind === Kind.FIELD ? queryType?.getFields()[selection.name.value] : undefined;
    if (selection.kind === Kind.FIELD && selection.name.value === '__typename') continue;
    if (!field || selection.kind !== Kind.FIELD) {
      keys.add(UNSCOPED_KEY);
      continue;
    }
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(field, selection, variables);
    } catch {
      keys.add(UNSCOPED_KEY);
      continue;
    }
    const filter = (args.filter ?? {}) as Scope;
    const scope: Scope = { ...filter, ...args };
    if (typeof scope.municipality !== 'string') {
      keys.add(UNSCOPED_KEY);
      continue;
    }
    const department = typeof scope.department === 'string' ? scope.department : undefined;
    const year =
      typeof scope.fiscalYear === 'number' && scope.fiscalYears == null
        ? scope.fiscalYear
        : undefined;
    keys.add(surrogateKey('m', scope.municipality));
    keys.add(scopeKey(scope.municipality, department, year));
  }
  const entities = new Set<string>();
  const walk = (value: unknown) => {
    if (entities.size > MAX_ENTITY_KEYS) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
    } else if (typeof value === 'object' && value !== null) {
      for (const [name, inner] of Object.entries(value)) {
        if (name === 'id' && typeof inner === 'string') {
          try {
            const { typename, id } = decodeGlobalID(inner);
            if (schema.getType(typename)) entities.add(entityKey(typename, id));
          } catch {}
        } else walk(inner);
      }
    }
  };
  walk(data);
  if (entities.size <= MAX_ENTITY_KEYS) for (const key of entities) keys.add(key);
  return [...keys];
}

export interface PublicCacheOptions {
  schema: GraphQLSchema;
  settings: PublicCacheSettings;
  /** Persisted documents by id (limits/trusted-documents.ts's map). */
  documents: Map<string, string>;
  /** The public watermark; undefined until it is known (then nothing is marked cacheable). */
  watermark: () => bigint | undefined;
  /** Run before a 304: the rate limit and CSRF checks Yoga would have made. */
  admit?: CacheAdmission;
}

interface PublicRead {
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
  etag: string;
  watermark: bigint;
}

export class PublicCache {
  /** Answered 304 without running the query. */
  notModified = 0;
  private readonly schemaHash: string;
  private readonly parsed = new Map<string, DocumentNode | null>();

  constructor(private readonly options: PublicCacheOptions) {
    this.schemaHash = createHash('sha256').update(printSchema(options.schema)).digest('hex');
  }

  get cacheControl(): string {
    const s = this.options.settings;
    return `public, max-age=${s.maxAgeSeconds}, s-maxage=${s.sharedMaxAgeSeconds}, stale-while-revalidate=${s.staleWhileRevalidateSeconds}`;
  }

  handle(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const url = req.url ?? '';
    const question = url.indexOf('?');
    const path = question >= 0 ? url.slice(0, question) : url;
    if (path !== '/graphql') {
      next();
      return;
    }
    if (req.headers.authorization !== undefined) {
      // A token holder's answer is theirs alone, whatever the method.
      res.setHeader('cache-control', 'private, no-store');
      next();
      return;
    }
    if (req.method !== 'GET' || question < 0 || req.headers.accept?.includes('text/event-stream')) {
      next();
      return;
    }
    const read = this.publicRead(req, new URLSearchParams(url.slice(question + 1)));
    if (!read) {
      res.setHeader('cache-control', 'no-store');
      next();
      return;
    }
    if (matches(req.headers['if-none-match'], read.etag)) {
      const notModified = () => {
        this.notModified += 1;
        res.writeHead(304, { etag: read.etag, 'cache-control': this.cacheControl, vary: VARY });
        res.end();
      };
      const { admit } = this.options;
      if (!admit) {
        notModified();
        return;
      }
      // Counted against the rate limit like any answer (limits/cache-admission.ts).
      admit(req, res).then(
        (admitted) => {
          if (admitted) notModified();
        },
        () => {
          // The limiter failed: let the server answer as it would.
          this.decorate(res, read);
          next();
        },
      );
      return;
    }
    this.decorate(res, read);
    next();
  }

  /** The ETag and parts of a cacheable read, or undefined when it is not one. */
  private publicRead(req: IncomingMessage, params: URLSearchParams): PublicRead | undefined {
    const watermark = this.options.watermark();
    if (watermark === undefined || params.has('extensions')) return undefined;
    const documentId = params.get('documentId');
    const text = documentId !== null ? this.options.documents.get(documentId) : params.get('query');
    if (text == null) return undefined;
    let variables: Record<string, unknown>;
    try {
      const parsed = JSON.parse(params.get('variables') ?? '{}') as unknown;
      if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed)))
        return undefined;
      variables = (parsed ?? {}) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    const operationName = params.get('operationName');
    const operation = this.operationOf(text, operationName);
    if (operation?.operation !== 'query') return undefined;
    const etag = `"${createHash('sha256')
      .update(
        JSON.stringify([
          this.schemaHash,
          watermark.toString(),
          text,
          variables,
          operationName,
          req.headers.accept ?? '',
          req.headers.origin ?? '',
        ]),
      )
      .digest('base64url')}"`;
    return { operation, variables, etag, watermark };
  }

  private operationOf(text: string, name: string | null): OperationDefinitionNode | undefined {
    let document = this.parsed.get(text);
    if (document === undefined) {
      try {
        document = parse(text);
      } catch {
        document = null;
      }
      // Persisted documents are few; arbitrary ones are not kept.
      if (this.parsed.size < 1000) this.parsed.set(text, document);
    }
    const operations = (document?.definitions ?? []).filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    return name === null
      ? operations.length === 1
        ? operations[0]
        : undefined
      : operations.find((o) => o.name?.value === name);
  }

  /**
   * Holds the answer until it ends, then sends it with the caching headers it earns: the ETag
   * and public caching for an error-free 200 answered under an unchanged watermark, `no-store`
   * otherwise.
   */
  private decorate(res: ServerResponse, read: PublicRead): void {
    const writeHead = res.writeHead;
    const write = res.write;
    const end = res.end;
    const chunks: Buffer[] = [];
    const toBuffer = (chunk: unknown, encoding?: unknown) =>
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : Buffer.from(chunk as Uint8Array);
    res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
      // Held back until the end; kept on the response so what runs before then sees them.
      const last = rest[rest.length - 1];
      this.statusCode = status;
      if (typeof last === 'object' && last !== null && !Array.isArray(last)) {
        for (const [name, value] of Object.entries(last as OutgoingHttpHeaders)) {
          if (value !== undefined) this.setHeader(name, value);
        }
      }
      return this;
    } as typeof res.writeHead;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (chunk != null && typeof chunk !== 'function') chunks.push(toBuffer(chunk, rest[0]));
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk != null && typeof chunk !== 'function') chunks.push(toBuffer(chunk, rest[0]));
      const body = Buffer.concat(chunks);
      res.writeHead = writeHead;
      res.write = write;
      res.end = end;
      const status = res.statusCode;
      const headers: OutgoingHttpHeaders = {};
      const data = this.cacheableData(status, res.getHeader('content-type'), body);
      const fresh = this.options.watermark() === read.watermark;
      if (data !== undefined && fresh) {
        const keys = surrogateKeysOf(this.options.schema, read.operation, read.variables, data);
        Object.assign(headers, {
          etag: read.etag,
          'cache-control': this.cacheControl,
          vary: VARY,
          'surrogate-key': keys.join(' '),
          'cache-tag': keys.join(','),
        });
      } else {
        headers['cache-control'] = 'no-store';
      }
      writeHead.call(res, status, headers);
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      return (end as (...args: unknown[]) => ServerResponse).call(res, body, callback);
    }) as typeof res.end;
  }

  /** The answer's data when it may be cached: 200, JSON, no errors. */
  private cacheableData(status: number, contentType: unknown, body: Buffer): unknown {
    if (status !== 200 || typeof contentType !== 'string' || !JSON_TYPES.test(contentType)) {
      return undefined;
    }
    try {
      const result = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      if (typeof result !== 'object' || result === null || 'errors' in result) return undefined;
      return result.data ?? undefined;
    } catch {
      return undefined;
    }
  }
}

/** The request headers an answer depends on besides its URL (part of the ETag too). */
const VARY = 'Accept, Origin';

/**
 * Does an If-None-Match header name this ETag? The weak comparison RFC 9110 prescribes for it:
 * a proxy that compressed the answer may send the tag back marked W/.
 */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const candidate = tag.trim().replace(/^W\//, '');
    return candidate === '*' || candidate === etag;
  });
}
