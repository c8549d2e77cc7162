// Calls that resolvers of one request make in the same pass (the fields of every item of a
// list, which graphql-js resolves one after another before any of their reads completes),
// answered together: one read for all of them, not one per item. The batch is per request
// context and per key (what the calls must share to be read together); it runs once the pass
// is over (setImmediate, after every pending promise job), and each call gets its own answer.

type Batch<I, O> = { items: I[]; answers: Promise<O[]> };
const batches = new WeakMap<object, Map<string, Batch<unknown, unknown>>>();

/**
 * `run(items)` once for the items of every call with this context and key made in the same
 * pass; this call's answer is `run`'s answer at its item's index (`run` answers each item, in
 * order). A failure of `run` is every call's failure.
 */
export async function inRequestBatch<I, O>(
  ctx: object,
  key: string,
  item: I,
  run: (items: I[]) => Promise<O[]>,
): Promise<O> {
  let ofContext = batches.get(ctx);
  if (!ofContext) {
    ofContext = new Map();
    batches.set(ctx, ofContext);
  }
  let batch = ofContext.get(key) as Batch<I, O> | undefined;
  if (!batch) {
    const items: I[] = [];
    const answers = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      ofContext.delete(key);
      return run(items);
    });
    batch = { items, answers };
    ofContext.set(key, batch as Batch<unknown, unknown>);
  }
  const index = batch.items.push(item) - 1;
  return (await batch.answers)[index] as O;
}
