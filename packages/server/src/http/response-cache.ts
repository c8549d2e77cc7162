// The anonymous read cache: answers repeated public queries from memory, in the node:http
// handler, before Yoga (whose own per-request cost exceeds a database round trip; see
// bench/README.md). Correct because:
// - only requests without Authorization (the public's view, the same for everyone) are cached,
//   and only queries (never mutations or subscriptions), only 200 answers without "errors";
// - every committed change clears it: local commits at once (before the mutation's answer
//   leaves), other instances' commits when this instance's change feed reads them (through
//   Redis at once, else within HOSHIN_LIVE_POLL_MS);
// - nothing is cached until the change feed runs, and an answer whose request began before the
//   latest clearing is not stored (it may have read the data as it was before the change).
// Key: method, Accept, Origin (CORS headers echo it) and the normalised (query, variables,
// operationName); value: the status, headers and exact bytes Yoga answered. Bounded in bytes
// (least recently used first out).
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Kind, type OperationDefinitionNode, parse } from 'graphql';
import { committedWrites } from '../db/history.ts';
import type { CacheAdmission } from '../limits/cache-admission.ts';

export interface ReadCacheOptions {
  /** Total bytes of cached answers (bodies and keys). */
  maxBytes: number;
  /** Request bodies larger than this bypass the cache (they are not even read here). */
  maxRequestBytes?: number;
  /**
   * Run on every answer from the cache: the checks Yoga would have made (rate limit, CSRF;
   * limits/cache-admission.ts). It writes its own refusal and resolves false.
   */
  admit?: CacheAdmission;
  /** Persisted documents by id: a GET naming one by `documentId` is cached like its text. */
  documents?: Map<string, string>;
}

interface Entry {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  bytes: number;
}

interface CacheableRequest {
  key: string;
  query: string;
  operationName: string | undefined;
}

/** Headers that belong to one response, never replayed. */
const PER_RESPONSE = new Set([
  'x-request-id',
  'x-hoshin-cache',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  // The rate-limit verdict is the requester's own (limits/cache-admission.ts sets it per hit).
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'ratelimit-policy',
  'retry-after',
]);

const JSON_TYPES = /^application\/(graphql-response\+)?json/;

export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private generation = 0;
  private armed = false;
  readonly maxBytes: number;
  private readonly maxRequestBytes: number;
  private readonly admit: CacheAdmission | undefined;
  private readonly documents: Map<string, string>;
  hits = 0;
  misses = 0;
  invalidations = 0;

  constructor(options: ReadCacheOptions) {
    this.maxBytes = options.maxBytes;
    this.maxRequestBytes = options.maxRequestBytes ?? 64 * 1024;
    this.admit = options.admit;
    this.documents = options.documents ?? new Map();
  }

  get size(): number {
    return this.entries.size;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  /** Caching begins: call once the change feed runs (see attachReadCache). */
  arm(): void {
    this.invalidate();
    this.armed = true;
  }

  /** Forgets every answer, and every answer still being computed. */
  invalidate(): void {
    this.generation += 1;
    this.invalidations += 1;
    this.entries.clear();
    this.bytes = 0;
  }

  /**
   * Answers from the cache, or hands the request to `next` (Yoga), storing its answer when it
   * may be reused. Requests that can never be cached go to `next` untouched.
   */
  handle(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    if (!this.armed || req.headers.authorization !== undefined) {
      next();
      return;
    }
    if (req.headers.accept?.includes('text/event-stream')) {
      next();
      return;
    }
    const url = req.url ?? '';
    const question = url.indexOf('?');
    const path = question >= 0 ? url.slice(0, question) : url;
    if (path !== '/graphql') {
      next();
      return;
    }

    if (req.method === 'GET') {
      if (question < 0) {
        next();
        return;
      }
      const params = new URLSearchParams(url.slice(question + 1));
      const documentId = params.get('documentId');
      const query =
        documentId === null ? params.get('query') : (this.documents.get(documentId) ?? null);
      if (
        query === null ||
        params.has('extensions') ||
        (documentId !== null && params.has('query'))
      ) {
        next();
        return;
      }
      let variables: unknown = null;
      try {
        variables = JSON.parse(params.get('variables') ?? 'null');
      } catch {
        next();
        return;
      }
      const operationName = params.get('operationName') ?? undefined;
      this.serve(req, res, next, {
        key: this.keyOf(req, query, variables, operationName),
        query,
        operationName,
      });
      return;
    }

    if (req.method !== 'POST') {
      next();
      return;
    }
    if (!req.headers['content-type']?.includes('application/json')) {
      next();
      return;
    }
    const length = Number(req.headers['content-length']);
    if (!Number.isInteger(length) || length <= 0 || length > this.maxRequestBytes) {
      next();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      // Yoga reads the body from here instead of the (now consumed) stream.
      (req as IncomingMessage & { body?: Buffer }).body = body;
      let params: { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
      try {
        params = JSON.parse(body.toString('utf8'));
      } catch {
        next();
        return;
      }
      if (
        typeof params !== 'object' ||
        params === null ||
        typeof params.query !== 'string' ||
        'extensions' in params ||
        (params.operationName != null && typeof params.operationName !== 'string')
      ) {
        next();
        return;
      }
      const operationName = (params.operationName as string | null) ?? undefined;
      this.serve(req, res, next, {
        key: this.keyOf(req, params.query, params.variables ?? null, operationName),
        query: params.query,
        operationName,
      });
    });
  }

  private keyOf(
    req: IncomingMessage,
    query: string,
    variables: unknown,
    operationName: string | undefined,
  ): string {
    return `${req.method}\n${req.headers.accept ?? ''}\n${req.headers.origin ?? ''}\n${JSON.stringify([query, variables, operationName ?? null])}`;
  }

  private serve(
    req: IncomingMessage,
    res: ServerResponse,
    next: () => void,
    request: CacheableRequest,
  ): void {
    const entry = this.entries.get(request.key);
    if (entry) {
      this.hits += 1;
      // Most recently used last.
      this.entries.delete(request.key);
      this.entries.set(request.key, entry);
      const answer = () => {
        res.setHeader('x-hoshin-cache', 'HIT');
        res.writeHead(entry.status, entry.headers);
        res.end(entry.body);
      };
      if (!this.admit) {
        answer();
        return;
      }
      this.admit(req, res).then(
        (admitted) => {
          if (admitted) answer();
        },
        () => {
          // The checks could not be made (the limiter failed): let Yoga answer as it would.
          next();
        },
      );
      return;
    }
    this.misses += 1;
    if (!isQuery(request.query, request.operationName)) {
      next();
      return;
    }
    res.setHeader('x-hoshin-cache', 'MISS');
    this.capture(res, request.key);
    next();
  }

  /** Keeps a copy of what Yoga writes, and stores it once the response ends, if it may. */
  private capture(res: ServerResponse, key: string): void {
    const generation = this.generation;
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    const collect = (chunk: unknown, encoding?: unknown) => {
      if (tooBig || chunk == null || typeof chunk === 'function') return;
      const buffer =
        typeof chunk === 'string'
          ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
          : Buffer.from(chunk as Uint8Array);
      size += buffer.length;
      if (size > this.maxBytes / 4) {
        tooBig = true;
        chunks.length = 0;
        return;
      }
      chunks.push(buffer);
    };
    const write = res.write;
    const end = res.end;
    res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      collect(chunk, rest[0]);
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0]);
      if (!tooBig && generation === this.generation) this.store(key, res, Buffer.concat(chunks));
      return (end as (...args: unknown[]) => ServerResponse).call(res, chunk, ...rest);
    }) as typeof res.end;
  }

  private store(key: string, res: ServerResponse, body: Buffer): void {
    if (res.statusCode !== 200) return;
    const contentType = res.getHeader('content-type');
    if (typeof contentType !== 'string' || !JSON_TYPES.test(contentType)) return;
    try {
      const result = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      if (typeof result !== 'object' || result === null || 'errors' in result) return;
      if (!('data' in result) || result.data === null) return;
    } catch {
      return;
    }
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(res.getHeaders())) {
      if (!PER_RESPONSE.has(name) && value !== undefined) headers[name] = value;
    }
    const bytes = body.length + key.length * 2 + 256;
    if (bytes > this.maxBytes) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.bytes -= previous.bytes;
      this.entries.delete(key);
    }
    while (this.bytes + bytes > this.maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.bytes -= this.entries.get(oldest.value)?.bytes ?? 0;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, { status: res.statusCode, headers, body, bytes });
    this.bytes += bytes;
  }
}

/** Is the operation this request runs a query? Unparsable documents are left to Yoga. */
function isQuery(query: string, operationName: string | undefined): boolean {
  try {
    const operations = parse(query).definitions.filter(
      (definition): definition is OperationDefinitionNode =>
        definition.kind === Kind.OPERATION_DEFINITION,
    );
    const operation =
      operationName === undefined
        ? operations.length === 1
          ? operations[0]
          : undefined
        : operations.find((candidate) => candidate.name?.value === operationName);
    return operation?.operation === 'query';
  } catch {
    return false;
  }
}

interface ChangeSource {
  feed: { watch(listener: () => void): () => void };
  ready(): Promise<void>;
}

/**
 * Clears the cache on every committed change, local (at once) or seen by the change feed, and
 * arms it once the feed runs. Returns a function that detaches it.
 */
export async function attachReadCache(cache: ReadCache, live: ChangeSource) {
  const onCommit = () => cache.invalidate();
  committedWrites.on('committed', onCommit);
  const unwatch = live.feed.watch(onCommit);
  await live.ready();
  cache.arm();
  return () => {
    committedWrites.off('committed', onCommit);
    unwatch();
  };
}
