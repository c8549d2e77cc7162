// Opens the one database hoshin uses: PostgreSQL when a URL is given, otherwise PGlite
// (PostgreSQL compiled to WebAssembly) in a data folder or in memory. Knows nothing of GraphQL.
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../../generated/prisma/client.ts';
import { type DataDirLock, lockDataDir } from './data-lock.ts';

export type { PrismaClient };

/** Called with each SQL statement Prisma sends and its duration (ms); tests count them. */
export type QueryListener = (sql: string, durationMs: number) => void;

export interface Database {
  readonly prisma: PrismaClient;
  /** The adapter factory, for the schema engine that applies migrations. */
  readonly adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  readonly kind: 'postgres' | 'pglite';
  /** The embedded database itself (kind 'pglite'): whole SQL scripts run on it directly. */
  readonly pglite?: PGlite;
  /**
   * Runs one read-only statement outside Prisma (the compiled reads of graphql/compiled/), on
   * Prisma's own connections. `name` prepares it once per connection on PostgreSQL (one name,
   * one text: name statements by a hash of their text); a connection keeps the most recently
   * used `preparedStatements` of them and deallocates the rest. Listeners of onQuery hear it
   * like any other statement (not the DEALLOCATE of an evicted one).
   */
  read(name: string, sql: string, values: unknown[]): Promise<Record<string, unknown>[]>;
  /**
   * The rows (arrays, in select order) of one long read-only statement, `batchSize` at a time:
   * a cursor in a read-only transaction on a connection of its own, so a whole export is one
   * statement, one plan and one snapshot, and holds one batch. The next batch is fetched while
   * the caller works on this one; the caller must iterate what it gets (its end frees the
   * connection). Undefined when MAX_OPEN_CURSORS are open (the caller reads pages instead), and
   * on PGlite, where the cursor's transaction would hold its one connection for the whole read.
   */
  readonly cursor?: (
    sql: string,
    values: unknown[],
    batchSize: number,
  ) => AsyncGenerator<unknown[][], void, undefined> | undefined;
  /** Adds a listener for every SQL statement; returns a function that removes it. */
  onQuery(listener: QueryListener): () => void;
  /** True when a trivial query succeeds: the readiness check. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Named statements read() keeps prepared per PostgreSQL connection, least recently used first
 * out: every distinct compiled query is a statement, and PostgreSQL keeps each one (its parse
 * tree and plan: about 100 KiB for a compiled plan read, bench/prepared.ts) until the
 * connection closes.
 */
export const PREPARED_STATEMENTS_PER_CONNECTION = 32;

/**
 * Cursors open at once. Each holds a connection of the pool (pg's 10) for a whole export,
 * however slowly its client reads: past these, exports read keyset pages, which take a
 * connection per page, so downloads never starve the API of connections.
 */
export const MAX_OPEN_CURSORS = 3;

export type DatabaseTarget =
  | { url: string; preparedStatements?: number }
  /** `holder` says who takes the folder's one-writer lock (named to a second process). */
  | {
      dataDir: string;
      holder?: 'server' | 'cli';
      /** Runs with the lock held, before PGlite opens the folder (app.ts: the template). */
      beforeOpen?: (dataDir: string) => Promise<void>;
    }
  /** An already open PGlite (tests clone a migrated template). */
  | { pglite: PGlite }
  | { memory: true };

/** The extensions the migrations create (pg_trgm, and btree_gin for the search index), loaded by every PGlite. */
export const PGLITE_EXTENSIONS = { pg_trgm, btree_gin };

/**
 * PostgreSQL settings every PGlite starts with, beside PGlite's own. shared_buffers: PostgreSQL's
 * default 128MB is set up in WebAssembly memory at every start; with 32MB opening the seeded
 * template took 270-320 ms instead of 600-800, and loading the test template's dump 650 instead
 * of 1,000 (pages beyond it are read from the data folder, which the OS caches).
 */
export const PGLITE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams,
  '-c',
  'shared_buffers=32MB',
];

/**
 * A PGlite with the extensions the migrations create (pg_trgm and btree_gin for search) and
 * PGLITE_START_PARAMS: every PGlite hoshin opens goes through here, or CREATE EXTENSION fails.
 * `loadDataDir`: a dumped cluster to start from (tests' in-memory copies of the template).
 */
export function createPGlite(
  dataDir?: string,
  options: { loadDataDir?: Blob } = {},
): Promise<PGlite> {
  return PGlite.create(dataDir, {
    extensions: PGLITE_EXTENSIONS,
    startParams: [...PGLITE_START_PARAMS],
    ...options,
  });
}

/** The Prisma clients of embedded databases opened by openDatabase. */
const embeddedClients = new WeakSet<object>();

/**
 * True for the Prisma client of an embedded database (PGlite): its one connection runs its
 * statements in this process's thread, so while one runs, no other request is answered (nor
 * anything else of this process done). Long work splits its statements there (the import).
 */
export function runsInThisThread(prisma: object): boolean {
  return embeddedClients.has(prisma);
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  let adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  let pglite: PGlite | undefined;
  let lock: DataDirLock | undefined;
  let pool: pg.Pool | undefined;
  let preparedLimit = PREPARED_STATEMENTS_PER_CONNECTION;
  // pg's Query, for the cursor's fetches (loaded with pg, PostgreSQL only).
  let Query: typeof pg.Query | undefined;
  if ('url' in target) {
    preparedLimit = target.preparedStatements ?? preparedLimit;
    // Loaded only here: the embedded default never needs them (about 50 ms of its start).
    const [{ PrismaPg }, { default: postgres }] = await Promise.all([
      import('@prisma/adapter-pg'),
      import('pg'),
    ]);
    // One pool for Prisma and for read(): the same connections, limits and faults. (PrismaPg
    // takes it as its own only if it is of the same `pg`: one version, pinned.)
    pool = new postgres.Pool({
      connectionString: target.url,
      // A database that accepts TCP but never completes a connection must fail a request
      // quickly (with a coded error), not hang it.
      connectionTimeoutMillis: 5000,
    });
    // An idle connection the server closed: the pool drops it; the next query reconnects.
    pool.on('error', () => {});
    adapterFactory = new PrismaPg(pool);
    Query = postgres.Query;
  } else {
    if ('pglite' in target) {
      pglite = target.pglite;
    } else if ('dataDir' in target) {
      await mkdir(target.dataDir, { recursive: true });
      // Before PGlite touches the folder: a second process must never open it.
      lock = lockDataDir(target.dataDir, target.holder);
      try {
        await target.beforeOpen?.(target.dataDir);
        pglite = await createPGlite(target.dataDir);
      } catch (error) {
        lock.release();
        throw error;
      }
    } else {
      pglite = await createPGlite();
    }
    adapterFactory = new PrismaPGlite(pglite);
  }

  const listeners = new Set<QueryListener>();
  const prisma = new PrismaClient({
    adapter: adapterFactory,
    log: [{ emit: 'event', level: 'query' }],
  });
  prisma.$on('query', (event) => {
    for (const listener of listeners) listener(event.query, event.duration);
  });
  const embedded = pglite;
  if (embedded) embeddedClients.add(prisma);
  // Per connection, the names read() prepared on it, least recently used first.
  const preparedOn = new WeakMap<pg.PoolClient, Map<string, true>>();
  async function readPrepared(name: string, sql: string, values: unknown[]) {
    const client = await (pool as pg.Pool).connect();
    let failure: Error | undefined;
    // A checked-out client reports a lost backend as an 'error' event, which with no listener
    // ends the process: hold it, as pool.query does, and release the client as failed.
    const onError = (error: Error) => {
      failure = error;
    };
    client.on('error', onError);
    try {
      let names = preparedOn.get(client);
      if (!names) {
        names = new Map();
        preparedOn.set(client, names);
      }
      if (names.delete(name)) {
        names.set(name, true);
      } else {
        while (names.size >= preparedLimit) await deallocateOldest(client, names);
        names.set(name, true);
      }
      return (await client.query<Record<string, unknown>>({ name, text: sql, values })).rows;
    } catch (error) {
      // As pool.query does: a connection that failed a query is not reused.
      failure = error as Error;
      throw error;
    } finally {
      client.off('error', onError);
      client.release(failure);
    }
  }
  async function read(name: string, sql: string, values: unknown[]) {
    const started = performance.now();
    const rows = embedded
      ? (await embedded.query<Record<string, unknown>>(sql, values)).rows
      : await readPrepared(name, sql, values);
    if (listeners.size > 0) {
      const ms = performance.now() - started;
      for (const listener of listeners) listener(sql, ms);
    }
    return rows;
  }

  let openCursors = 0;
  function cursor(sql: string, values: unknown[], batchSize: number) {
    if (openCursors >= MAX_OPEN_CURSORS) return undefined;
    openCursors += 1;
    return cursorRows(sql, values, batchSize, () => {
      openCursors -= 1;
    });
  }
  async function* cursorRows(
    sql: string,
    values: unknown[],
    batchSize: number,
    close: () => void,
  ): AsyncGenerator<unknown[][], void, undefined> {
    const client = await (pool as pg.Pool).connect().catch((error: Error) => {
      close();
      throw error;
    });
    let failure: Error | undefined;
    const onError = (error: Error) => {
      failure = error;
    };
    client.on('error', onError);
    // Each fetch's rows are gathered from its 'row' events, not as pg's promise API gathers them
    // (Result.rows): those survived every young-generation collection into the old generation
    // (--trace-gc-nvp: promotion_rate 100 %, 4-5 MB a scavenge, fetches of 100 rows or 2,000),
    // which the export's resident size then swung with. Gathered here, they die young.
    const fetch = () =>
      new Promise<unknown[][]>((resolve, reject) => {
        const rows: unknown[][] = [];
        const query = new (Query as typeof pg.Query)<unknown[]>({
          text: `FETCH FORWARD ${batchSize} FROM hoshin_rows`,
          rowMode: 'array',
        } as pg.QueryConfig);
        query.on('row', (row) => {
          rows.push(row);
        });
        query.on('end', () => resolve(rows));
        query.on('error', reject);
        client.query(query);
      });
    let next: Promise<unknown[][]> | undefined;
    let done = false;
    try {
      // Planned as a cursor (for its first rows): an index scan in the statement's order joined
      // row by row starts at once and streams, where a plan for the whole result sorts it all
      // first (initiatives at national size: 0.35 s to the first rows instead of 4.8 s).
      await client.query('BEGIN READ ONLY');
      const started = performance.now();
      await client.query({ text: `DECLARE hoshin_rows NO SCROLL CURSOR FOR ${sql}`, values });
      const ms = performance.now() - started;
      for (const listener of listeners) listener(sql, ms);
      next = fetch();
      while (next) {
        const rows: unknown[][] = await next;
        next = rows.length === batchSize ? fetch() : undefined;
        if (rows.length > 0) yield rows;
      }
      await client.query('COMMIT');
      done = true;
    } catch (error) {
      failure = error as Error;
      throw error;
    } finally {
      // A reader that stopped early: its fetch in flight is moot, the transaction rolled back.
      if (!done && !failure) {
        await next?.catch(() => {});
        await client.query('ROLLBACK').catch((error: Error) => {
          failure = error;
        });
      }
      client.off('error', onError);
      client.release(failure);
      close();
    }
  }

  return {
    prisma,
    adapterFactory,
    kind: pglite ? 'pglite' : 'postgres',
    pglite,
    read,
    ...(pool ? { cursor } : {}),
    onQuery(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async ping() {
      // /health answers within 2 s even when the database has stopped answering.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), 2000);
      });
      const query = prisma.$queryRaw`SELECT 1`.then(
        () => true,
        () => false,
      );
      try {
        return await Promise.race([query, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      try {
        await prisma.$disconnect();
        await pool?.end();
        await pglite?.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/**
 * DEALLOCATEs the least recently used of `names` on `client`, and makes pg forget it too: pg
 * remembers each name it parsed on a connection (`connection.parsedStatements`, no public way
 * to remove one: brianc/node-postgres#1889) and would otherwise skip parsing it next time.
 */
async function deallocateOldest(client: pg.PoolClient, names: Map<string, true>) {
  const [oldest] = names.keys();
  if (oldest === undefined) return;
  names.delete(oldest);
  const parsed = (
    client as unknown as { connection?: { parsedStatements?: Record<string, string> } }
  ).connection?.parsedStatements;
  if (!parsed) throw new Error('pg: connection.parsedStatements not found (pg changed?)');
  // Never parsed (its first use failed): nothing on the server to free.
  if (parsed[oldest] === undefined) return;
  await client.query(`DEALLOCATE ${client.escapeIdentifier(oldest)}`);
  delete parsed[oldest];
}

/** Prisma's codes for a database it cannot reach, or that did not answer in time. */
const UNREACHABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** The driver adapter's kinds for the same (DriverAdapterError.cause.kind). */
const UNREACHABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'DatabaseDoesNotExist',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionAlreadyClosed',
]);
const UNREACHABLE_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|ECONNREFUSED|ECONNRESET|EPIPE|terminating connection|Can't reach database|server closed the connection/i;

/**
 * True when `error` (or anything in its cause chain) says the database could not be reached or
 * did not answer: the request may succeed later, and the fault is not the client's.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 8 || typeof error !== 'object' || error === null) return false;
  const candidate = error as {
    code?: unknown;
    kind?: unknown;
    message?: unknown;
    cause?: unknown;
    originalError?: unknown;
  };
  if (typeof candidate.code === 'string' && UNREACHABLE_CODES.has(candidate.code)) return true;
  if (typeof candidate.kind === 'string' && UNREACHABLE_KINDS.has(candidate.kind)) return true;
  if (typeof candidate.message === 'string' && UNREACHABLE_MESSAGE.test(candidate.message)) {
    return true;
  }
  return (
    isDatabaseUnavailable(candidate.cause, depth + 1) ||
    isDatabaseUnavailable(candidate.originalError, depth + 1)
  );
}
