// Live fan-out: each event is executed once per group of subscribers, not once per subscriber,
// and the same text is written to every subscriber of the group (SSE and graphql-ws).
//
// A subscription's stream yields one event object per change record and visibility class
// (visibility-memo.ts), the same object for every subscriber of the class. Yoga would execute
// the operation's selection on it for each subscriber, serialise each result again and pass
// each through a chain of async iterators and a web stream. Here subscribers are grouped by
// (document, operation name, variables, visibility class of the viewer); the first subscriber
// of a group to reach an event executes it and the others take that same result. Over SSE and
// graphql-ws a shareable subscription is not iterated at all: its change stream is pushed
// (change-stream.ts pushInto), in the change feed's own call, into a node Readable that the
// server pipes to the response, or as graphql-ws messages onto the socket; each result is
// serialised to JSON once for its group.
//
// Sharing is only sound when nothing in the selection reads the context beyond the viewer's
// visibility class. That is decided per document, by listing: every field the document selects
// must be declared shareable (`Type.field` or `Type.*`, by the domain that owns the fields:
// change.subscriptions.ts); any other document (say, one reaching a connection, whose cursors
// are sealed per token) is executed and written per subscriber by Yoga as before. The class is
// in the group key and, before that, in the event object itself: two classes never share an
// event object, so they cannot share its result even if the key were wrong.
// Per-subscriber state (the cursor delivered, the replay after `after`, the buffer limit and
// SUBSCRIBER_TOO_SLOW) stays in each subscriber's own stream (change-stream.ts).
import { Readable } from 'node:stream';
import {
  createSourceEventStream,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  execute,
  GraphQLError,
  getNamedType,
  getOperationAST,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import {
  getSSEProcessor,
  isAsyncIterable,
  type Plugin,
  type YogaMaskedErrorOpts,
} from 'graphql-yoga';
import { isPushable, type PushedStream, pushInto } from './change-stream.ts';
import { streamEndOf } from './stream-end.ts';

export interface SharedExecutionOptions {
  /**
   * The viewer's visibility class: everything a shareable field may read of the context.
   * Two contexts of one class must make every shareable field resolve alike.
   */
  classOf(context: unknown): string;
  /** Fields whose value depends on their parent, arguments and the class alone. */
  shareable: ReadonlySet<string>;
}

type MaybePromise<T> = T | Promise<T>;

/** The counters of shared execution (tests and GET /metrics). */
export class SharedExecution {
  /** Event executions actually run for a group (one per event and group). */
  executions = 0;
  /** Deliveries that reused a group's execution instead of running their own. */
  reused = 0;
  /** Streams served by pushing (SSE), not by iterating. */
  pushedStreams = 0;
  /** Per event object: each group's result (dropped with the event). */
  private readonly results = new WeakMap<object, Map<string, MaybePromise<ExecutionResult>>>();
  private readonly documents = new WeakMap<DocumentNode, { id: number; shareable: boolean }>();
  private nextDocument = 1;

  /** Is every field this document selects declared shareable? (memoised per document) */
  documentInfo(args: ExecutionArgs, shareable: ReadonlySet<string>) {
    let info = this.documents.get(args.document);
    if (!info) {
      info = { id: this.nextDocument++, shareable: selectsOnly(args, shareable) };
      this.documents.set(args.document, info);
    }
    return info;
  }

  /** The group's result for this event: executed by the first subscriber to ask for it. */
  resultFor(
    payload: unknown,
    group: string,
    run: () => MaybePromise<ExecutionResult>,
  ): MaybePromise<ExecutionResult> {
    if (typeof payload !== 'object' || payload === null) return run();
    let byGroup = this.results.get(payload);
    if (!byGroup) {
      byGroup = new Map();
      this.results.set(payload, byGroup);
    }
    const known = byGroup.get(group);
    if (known !== undefined) {
      this.reused += 1;
      return known;
    }
    this.executions += 1;
    const result = run();
    if (result instanceof Promise) void result.then(serialiseOnce, () => {});
    else serialiseOnce(result);
    byGroup.set(group, result);
    // A failed execution is not kept: the next subscriber tries again for itself.
    if (result instanceof Promise) result.catch(() => byGroup.delete(group));
    return result;
  }
}

/**
 * Yoga's SSE and JSON writers call `result.stringify` when a result has one: a shared result
 * is serialised once for all its subscribers. (A plugin that replaces the result for one
 * subscriber makes a new object without it, which is serialised for that subscriber alone.)
 */
function serialiseOnce(result: ExecutionResult) {
  let text: string | undefined;
  Object.defineProperty(result, 'stringify', {
    enumerable: false,
    value: (value: unknown) => {
      text ??= JSON.stringify(value);
      return text;
    },
  });
}

function selectsOnly(args: ExecutionArgs, shareable: ReadonlySet<string>): boolean {
  const operation = getOperationAST(args.document, args.operationName);
  if (operation?.operation !== 'subscription') return false;
  const typeInfo = new TypeInfo(args.schema);
  let ok = true;
  visit(
    args.document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (node.name.value === '__typename') return;
        const parent = typeInfo.getParentType();
        const parentName = parent ? getNamedType(parent).name : '?';
        if (
          !shareable.has(`${parentName}.${node.name.value}`) &&
          !shareable.has(`${parentName}.*`)
        ) {
          ok = false;
        }
      },
    }),
  );
  return ok;
}

/** Maps a subscription's source events to results, forwarding return/throw to the source. */
function mapEvents(
  source: AsyncIterable<unknown>,
  toResult: (payload: unknown) => MaybePromise<ExecutionResult>,
  wrapError: (error: unknown) => unknown,
): AsyncIterableIterator<ExecutionResult> {
  // Taken on the first next(): a stream that is pushed instead (SSE) is never iterated.
  let iterator: AsyncIterator<unknown> | undefined;
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    [Symbol.asyncIterator]: () => mapped,
    async next() {
      iterator ??= source[Symbol.asyncIterator]();
      let step: IteratorResult<unknown>;
      try {
        step = await iterator.next();
      } catch (error) {
        throw wrapError(error);
      }
      if (step.done) return { done: true, value: undefined };
      return { done: false, value: await toResult(step.value) };
    },
    async return() {
      await iterator?.return?.();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      if (iterator?.throw) await iterator.throw(error);
      throw error;
    },
  };
  return mapped;
}

const encoder = new TextEncoder();
const PING = encoder.encode(':\n\n');
const COMPLETE = encoder.encode('event: complete\ndata:\n\n');
/** As Yoga's SSE writer: a comment every 12 s keeps proxies from closing an idle stream. */
const PING_MS = process.env.NODE_ENV === 'test' ? 300 : 12_000;

/** What Yoga writes for a stream's value (its SSE writer, with its masking and stringify). */
type Masking = Pick<YogaMaskedErrorOpts, 'maskError' | 'errorMessage' | 'isDev'>;

/** A shareable subscription whose change stream can be written to by the change feed itself. */
interface PushTarget {
  source: unknown;
  group: string;
  args: ExecutionArgs;
  wrapError: (error: unknown) => GraphQLError;
}

function serialisedError(error: GraphQLError) {
  const json = error.toJSON() as { extensions?: Record<string, unknown> };
  if (json.extensions) {
    const { http: _http, unexpected: _unexpected, ...extensions } = json.extensions;
    json.extensions = Object.keys(extensions).length > 0 ? extensions : undefined;
  }
  return json;
}

/**
 * The JSON of one result, made once per result object: a shared result's text is written to
 * every subscriber of its group, whatever the transport. Errors are masked exactly as Yoga
 * masks them, without the HTTP-only extensions.
 */
function resultJson(result: ExecutionResult, masking: Masking, cache: WeakMap<object, string>) {
  let json = cache.get(result);
  if (json === undefined) {
    if (result.errors?.length) {
      const errors = result.errors.map((error) =>
        serialisedError(
          masking.maskError(error, masking.errorMessage, masking.isDev) as GraphQLError,
        ),
      );
      json = JSON.stringify({ ...result, errors });
    } else {
      json = JSON.stringify(result);
    }
    cache.set(result, json);
  }
  return json;
}

/** Where a pushed subscription's results go (an SSE response, a graphql-ws operation). */
interface ResultSink {
  /** Writes one result; false when the connection is full (`resume` comes when there is room). */
  write(result: ExecutionResult): boolean;
  /** Is there room for more? (asked after a write that waited for its execution) */
  hasRoom(): boolean;
  /** After the last result (the error that ended the stream, if any, already written). */
  end(): void;
}

/**
 * Pushes a shareable subscription's change stream into `sink`: each event's group result,
 * executed once per group (SharedExecution.resultFor), in order; the stream's failure (or its
 * end from outside: a revoked token, stream-end.ts) as one last result with the error.
 * `leave` when the subscriber goes away.
 */
function pushResults(
  shared: SharedExecution,
  target: PushTarget,
  request: Request,
  sink: ResultSink,
): { resume(): void; leave(): void } {
  shared.pushedStreams += 1;
  let pushed: PushedStream | undefined;
  /** Events whose group result is still being executed, in order. */
  let pending: Promise<void> | undefined;
  let closed = false;
  const write = (result: ExecutionResult) => !closed && sink.write(result);
  const close = (error?: unknown) => {
    if (closed) return;
    // As Yoga ends a stream that failed: one last value with the (masked) error.
    if (error !== undefined) write({ errors: [target.wrapError(error)] });
    closed = true;
    end?.removeEventListener('abort', endNow);
    pushed?.stop();
    sink.end();
  };
  // Ended from outside (the token was revoked): the reason goes out now, and whatever is
  // still being executed is dropped (write() after close() writes nothing).
  const end = streamEndOf(request);
  const endNow = () => close(end?.reason);
  end?.addEventListener('abort', endNow, { once: true });
  if (end?.aborted) endNow();
  if (!closed) {
    pushed = pushInto(target.source, {
      write(event) {
        const result = shared.resultFor(event, target.group, () =>
          execute({ ...target.args, rootValue: event }),
        );
        if (!pending && !(result instanceof Promise)) return write(result);
        // A result still being executed: later events wait for it, in order.
        const written = (pending ?? Promise.resolve())
          .then(() => result)
          .then((value) => {
            write(value);
          });
        const settled: Promise<void> = written.then(
          () => {
            if (pending === settled) pending = undefined;
          },
          (error) => close(error),
        );
        pending = settled;
        return sink.hasRoom();
      },
      end(error) {
        if (pending) void pending.then(() => close(error));
        else close(error);
      },
    });
  }
  return {
    resume: () => pushed?.resume(),
    leave() {
      closed = true;
      end?.removeEventListener('abort', endNow);
      pushed?.stop();
    },
  };
}

/** Where a pushed graphql-ws operation writes: its socket (graphql-ws's messages as text). */
export interface WebSocketOut {
  /** The operation's id, as the client named it. */
  id: string;
  /** Sends one message; `sent` is called once it is handed to the network (or failed). */
  send(text: string, sent: () => void): void;
  /** Bytes accepted but not yet handed to the network. */
  bufferedAmount(): number;
}

/** A pushed stream that is not read waits above this many buffered bytes (as a node stream). */
const WEBSOCKET_HIGH_WATER = 16 * 1024;

/** How a pushable subscription is answered, on whichever transport takes it. */
interface Pusher {
  sse(iterable: AsyncIterable<unknown>, fetchAPI: typeof globalThis): Response;
  webSocket(iterable: AsyncIterable<unknown>, out: WebSocketOut): AsyncGenerator<never>;
}
/** Per request: its shareable subscription's pusher, taken by the transport that answers it. */
const pushers = new WeakMap<object, Pusher>();

/**
 * A graphql-ws operation's subscription, pushed instead of iterated: the change feed's own call
 * writes graphql-ws's `next` messages to the socket, the result's JSON made once per group and
 * only the operation's id added per subscriber. What graphql-ws is handed instead of the
 * stream is an iterator that yields nothing and ends with the stream, so graphql-ws still
 * counts the operation (the per-connection limit), sends `complete` after the last result and
 * returns it when the client completes it or the socket closes. Answers undefined when the
 * request's subscription is not pushable (then graphql-ws iterates `iterable` as before).
 */
export function pushOverWebSocket(
  request: object,
  iterable: AsyncIterable<unknown>,
  out: WebSocketOut,
): AsyncGenerator<never> | undefined {
  const pusher = pushers.get(request);
  if (!pusher) return undefined;
  pushers.delete(request);
  return pusher.webSocket(iterable, out);
}

/**
 * The Yoga plugin: subscriptions whose document is shareable get a subscribe function that
 * executes each event once per group. Over SSE and graphql-ws, such a subscription is not
 * iterated at all: its change stream is pushed (change-stream.ts pushInto), each event's group
 * result is serialised once, and the same text is written to every subscriber's connection,
 * in the change feed's own call. Any other operation is left to Yoga as it was.
 */
export function useSharedEventExecution(
  shared: SharedExecution,
  options: SharedExecutionOptions,
): Plugin {
  const jsonOf = new WeakMap<object, string>();
  let masking: Masking | undefined;
  const yogaSse = getSSEProcessor();

  function pushedSse(
    target: PushTarget,
    request: Request,
    iterable: AsyncIterable<unknown>,
    fetchAPI: typeof globalThis,
  ) {
    const mask = masking as Masking;
    let push: ReturnType<typeof pushResults> | undefined;
    let closed = false;
    // A node Readable as the body: the server pipes it into the response, so a push below is
    // written to the socket at once, with no web stream between.
    const body = new Readable({
      read() {
        push?.resume();
      },
      destroy(error, callback) {
        closed = true;
        clearInterval(ping);
        push?.leave();
        // Lets the plugins' stream hooks end as they would for an iterated stream.
        void (iterable as AsyncIterableIterator<unknown>).return?.()?.catch(() => {});
        callback(error);
      },
    });
    /** Writes bytes; false when the connection is full (resume comes through read()). */
    const write = (bytes: Uint8Array) => !closed && body.push(bytes);
    // Over node:http the server destroys the body when the response closes; a request made in
    // process (yoga.fetch) says it through its signal.
    request.signal?.addEventListener('abort', () => body.destroy(), { once: true });
    write(PING);
    const ping = setInterval(() => {
      if (!closed && body.readableLength === 0) write(PING);
    }, PING_MS);
    push = pushResults(shared, target, request, {
      write: (result) =>
        write(encoder.encode(`event: next\ndata: ${resultJson(result, mask, jsonOf)}\n\n`)),
      hasRoom: () => body.readableLength < body.readableHighWaterMark,
      end() {
        write(COMPLETE);
        closed = true;
        clearInterval(ping);
        body.push(null);
      },
    });
    return new fetchAPI.Response(body as unknown as BodyInit, {
      status: 200,
      headers: {
        'Content-Type': 'text/event-stream',
        Connection: 'keep-alive',
        'Cache-Control': 'no-cache',
        'Content-Encoding': 'none',
      },
    });
  }

  function pushedWebSocket(
    target: PushTarget,
    request: Request,
    iterable: AsyncIterable<unknown>,
    out: WebSocketOut,
  ): AsyncGenerator<never> {
    const mask = masking as Masking;
    const prefix = `{"id":${JSON.stringify(out.id)},"type":"next","payload":`;
    let push: ReturnType<typeof pushResults> | undefined;
    let full = false;
    let left = false;
    let ended!: () => void;
    const end = new Promise<void>((resolve) => {
      ended = resolve;
    });
    const hasRoom = () => out.bufferedAmount() < WEBSOCKET_HIGH_WATER;
    /** Called as each message leaves: a full stream resumes once the socket has room. */
    const sent = () => {
      if (full && !left && hasRoom()) {
        full = false;
        push?.resume();
      }
    };
    const leave = () => {
      if (left) return;
      left = true;
      push?.leave();
      ended();
      // Lets the plugins' stream hooks end as they would for an iterated stream.
      void (iterable as AsyncIterableIterator<unknown>).return?.()?.catch(() => {});
    };
    const generator: AsyncGenerator<never> = {
      [Symbol.asyncIterator]: () => generator,
      async next() {
        // Started when graphql-ws starts reading: it has registered the operation by then.
        push ??= pushResults(shared, target, request, {
          write(result) {
            if (left) return false;
            out.send(`${prefix}${resultJson(result, mask, jsonOf)}}`, sent);
            full = !hasRoom();
            return !full;
          },
          hasRoom() {
            full = !hasRoom();
            return !full;
          },
          end: ended,
        });
        await end;
        leave();
        return { done: true, value: undefined };
      },
      async return() {
        leave();
        return { done: true, value: undefined };
      },
      async throw(error?: unknown) {
        leave();
        throw error;
      },
    };
    return generator;
  }

  return {
    onYogaInit({ yoga }) {
      // Yoga's own masking (maskError of yoga.ts, with its logging), for values written here.
      masking =
        (yoga as unknown as { maskedErrorsOpts?: Masking | null }).maskedErrorsOpts ?? undefined;
    },
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const info = shared.documentInfo(args, options.shareable);
      if (!info.shareable) return;
      const group = [
        info.id,
        args.operationName ?? '',
        JSON.stringify(args.variableValues ?? {}),
        options.classOf(args.contextValue),
      ].join('\u0000');
      const operation = getOperationAST(args.document, args.operationName);
      // As graphql-tools' subscribe does: the source's failure, located at the operation.
      const wrapError = (error: unknown) =>
        new GraphQLError((error as Error).message, {
          originalError: error as Error,
          nodes: operation ? [operation] : undefined,
        });
      setSubscribeFn((async (subscribeArgs: ExecutionArgs) => {
        const source = await createSourceEventStream(subscribeArgs);
        // Errors before the stream exists (arguments, the resolver refusing): as Yoga reports them.
        if (!(Symbol.asyncIterator in source)) {
          return subscribeFn(subscribeArgs as never);
        }
        const { request } = subscribeArgs.contextValue as { request?: Request };
        // A change stream: answered over SSE (onResultProcess below) or graphql-ws
        // (pushOverWebSocket, asked by http/websocket.ts), it is pushed instead of iterated.
        if (request && masking && isPushable(source)) {
          const target = { source, group, args: subscribeArgs, wrapError };
          pushers.set(request, {
            sse: (iterable, fetchAPI) => pushedSse(target, request, iterable, fetchAPI),
            webSocket: (iterable, out) => pushedWebSocket(target, request, iterable, out),
          });
        }
        return mapEvents(
          source,
          (payload) =>
            shared.resultFor(payload, group, () =>
              execute({ ...subscribeArgs, rootValue: payload }),
            ),
          wrapError,
        );
      }) as never);
    },
    onResultProcess({ request, result, resultProcessor, setResultProcessor }) {
      const pusher = pushers.get(request);
      if (!pusher) return;
      pushers.delete(request);
      // For a subscription's stream, Yoga chose its SSE writer (the only one for streams).
      if (!resultProcessor || !isAsyncIterable(result)) return;
      setResultProcessor(
        (iterable, fetchAPI) =>
          isAsyncIterable(iterable)
            ? pusher.sse(iterable, fetchAPI as unknown as typeof globalThis)
            : yogaSse(iterable, fetchAPI, 'text/event-stream'),
        'text/event-stream',
      );
    },
  };
}
