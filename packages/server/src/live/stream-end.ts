// A subscription ended from outside before its source ends (its viewer's authorization was
// withdrawn: auth/token-watch.ts). The end's reason, an error, is the last thing the subscriber
// receives; an event not yet handed over when the end came is dropped, however far its
// execution had got. Two ways a stream is served, two places that honour the end: an iterated
// stream (WebSocket, Yoga's SSE writer) through endWhen, a pushed one (shared-execution.ts)
// through the signal registered for its request.

const ends = new WeakMap<object, AbortSignal>();

/** Ends the stream answered to `request` when `signal` aborts (pushed streams look here). */
export function endStreamWhen(request: object, signal: AbortSignal): void {
  ends.set(request, signal);
}

/** The signal that ends the stream answered to `request`, if any. */
export function streamEndOf(request: object | undefined): AbortSignal | undefined {
  return request ? ends.get(request) : undefined;
}

/**
 * `source`, until `signal` aborts: then one last value, `final(signal.reason)`, and the end.
 * The source is taken on the first next() (a stream that is pushed instead is never iterated)
 * and returned when this ends; `done` is called once, however it ends.
 */
export function endWhen<T>(
  source: AsyncIterable<T>,
  signal: AbortSignal,
  final: (reason: unknown) => T,
  done: () => void,
): AsyncIterableIterator<T> {
  let iterator: AsyncIterator<T> | undefined;
  let finished = false;
  const aborted = new Promise<undefined>((resolve) => {
    if (signal.aborted) resolve(undefined);
    else signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
  const finish = () => {
    if (finished) return;
    finished = true;
    done();
    void Promise.resolve(iterator?.return?.()).catch(() => {});
  };
  const ended: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => ended,
    async next() {
      if (finished) return { done: true, value: undefined };
      if (!signal.aborted) {
        iterator ??= source[Symbol.asyncIterator]();
        const pending = iterator.next();
        pending.catch(() => {}); // when the end wins the race, its failure is nobody's
        const step = await Promise.race([pending, aborted]);
        // A value that arrives once the end is known is dropped: the end goes first.
        if (step && !signal.aborted) {
          if (step.done) finish();
          return step.done ? { done: true, value: undefined } : step;
        }
      }
      finish();
      return { done: false, value: final(signal.reason) };
    },
    async return() {
      finish();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      finish();
      throw error;
    },
  };
  return ended;
}
