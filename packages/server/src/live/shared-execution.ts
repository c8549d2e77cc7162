// Live fan-out: each event is executed once per group of subscribers, not once per subscriber,
// and over SSE the same bytes are written to every subscriber of the group.
//
// A subscription's stream yields one event object per change record and visibility class
// (visibility-memo.ts), the same object for every subscriber of the class. Yoga would execute
// the operation's selection on it for each subscriber, serialise each result again and pass
// each through a chain of async iterators and a web stream. Here subscribers are grouped by
// (document, operation name, variables, visibility class of the viewer); the first subscriber
// of a group to reach an event executes it and the others take that same result. Over SSE a
// shareable subscription is not iterated at all: its change stream is pushed
// (change-stream.ts pushInto), in the change feed's own call, into a node Readable that the
// server pipes to the response; each result is serialised to SSE bytes once.
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

/** A shareable subscription served over SSE: written to by the change feed itself. */
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
 * The SSE bytes of one result, made once per result object: a shared result's bytes are
 * written to every subscriber of its group. Errors are masked exactly as Yoga masks them.
 */
function sseBytes(result: ExecutionResult, masking: Masking, cache: WeakMap<object, Uint8Array>) {
  let bytes = cache.get(result);
  if (!bytes) {
    let json: string;
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
    bytes = encoder.encode(`event: next\ndata: ${json}\n\n`);
    cache.set(result, bytes);
  }
  return bytes;
}

/**
 * The Yoga plugin: subscriptions whose document is shareable get a subscribe function that
 * executes each event once per group. Over SSE, such a subscription is not iterated at all:
 * its change stream is pushed (change-stream.ts pushInto), each event's group result is
 * serialised once, and the same bytes are enqueued on every subscriber's response, in the
 * change feed's own call. Any other operation is left to Yoga as it was.
 */
export function useSharedEventExecution(
  shared: SharedExecution,
  options: SharedExecutionOptions,
): Plugin {
  const pushable = new WeakMap<Request, PushTarget>();
  const bytesOf = new WeakMap<object, Uint8Array>();
  let masking: Masking | undefined;
  const yogaSse = getSSEProcessor();

  function pushedSse(
    target: PushTarget,
    request: Request,
    iterable: AsyncIterable<unknown>,
    fetchAPI: typeof globalThis,
  ) {
    const mask = masking as Masking;
    shared.pushedStreams += 1;
    let pushed: PushedStream | undefined;
    /** Events whose group result is still being executed, in order. */
    let pending: Promise<void> | undefined;
    let closed = false;
    // A node Readable as the body: the server pipes it into the response, so a push below is
    // written to the socket at once, with no web stream between.
    const body = new Readable({
      read() {
        pushed?.resume();
      },
      destroy(error, callback) {
        closed = true;
        end?.removeEventListener('abort', endNow);
        clearInterval(ping);
        pushed?.stop();
        // Lets the plugins' stream hooks end as they would for an iterated stream.
        void (iterable as AsyncIterableIterator<unknown>).return?.()?.catch(() => {});
        callback(error);
      },
    });
    /** Writes bytes; false when the connection is full (resume comes through read()). */
    const write = (bytes: Uint8Array) => !closed && body.push(bytes);
    const close = (error?: unknown) => {
      if (closed) return;
      if (error !== undefined) {
        // As Yoga ends a stream that failed: one last value with the (masked) error.
        write(sseBytes({ errors: [target.wrapError(error)] }, mask, bytesOf));
      }
      write(COMPLETE);
      closed = true;
      clearInterval(ping);
      body.push(null);
    };
    // Over node:http the server destroys the body when the response closes; a request made in
    // process (yoga.fetch) says it through its signal.
    request.signal?.addEventListener('abort', () => body.destroy(), { once: true });
    write(PING);
    const ping = setInterval(() => {
      if (!closed && body.readableLength === 0) write(PING);
    }, PING_MS);
    // Ended from outside (the token was revoked): the reason goes out now, and whatever is
    // still being executed is dropped (write() after close() writes nothing).
    const end = streamEndOf(request);
    const endNow = () => close(end?.reason);
    end?.addEventListener('abort', endNow, { once: true });
    if (end?.aborted) endNow();
    pushed = pushInto(target.source, {
      write(event) {
        const result = shared.resultFor(event, target.group, () =>
          execute({ ...target.args, rootValue: event }),
        );
        if (!pending && !(result instanceof Promise)) return write(sseBytes(result, mask, bytesOf));
        // A result still being executed: later events wait for it, in order.
        const written = (pending ?? Promise.resolve())
          .then(() => result)
          .then((value) => {
            write(sseBytes(value, mask, bytesOf));
          });
        const settled: Promise<void> = written.then(
          () => {
            if (pending === settled) pending = undefined;
          },
          (error) => close(error),
        );
        pending = settled;
        return body.readableLength < body.readableHighWaterMark;
      },
      end(error) {
        if (pending) void pending.then(() => close(error));
        else close(error);
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
        // A change stream: if it is answered over SSE (onResultProcess below; a WebSocket never
        // gets there), it is pushed instead of iterated.
        if (request && masking && isPushable(source)) {
          pushable.set(request, { source, group, args: subscribeArgs, wrapError });
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
      const target = pushable.get(request);
      if (!target) return;
      pushable.delete(request);
      // For a subscription's stream, Yoga chose its SSE writer (the only one for streams).
      if (!resultProcessor || !isAsyncIterable(result)) return;
      setResultProcessor(
        (iterable, fetchAPI) =>
          isAsyncIterable(iterable)
            ? pushedSse(target, request, iterable, fetchAPI as unknown as typeof globalThis)
            : yogaSse(iterable, fetchAPI, 'text/event-stream'),
        'text/event-stream',
      );
    },
  };
}
