// What a running server says of itself on GET /metrics (loopback may read it without a token):
// tests wait on it for a subscription to be registered instead of sleeping a guessed while.

/** The value of one unlabelled series, or undefined when the server does not report it. */
export async function metricValue(baseUrl: string, name: string): Promise<number | undefined> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

/**
 * Resolves once the server at `baseUrl` holds exactly `count` live subscriptions (each one
 * registered with the change feed, its token held for revocation): from then on a write or a
 * revocation reaches them. Exactly, so a stream an earlier test closed, not yet noticed by the
 * server, is not taken for the one just opened.
 */
export async function untilLiveSubscribers(baseUrl: string, count: number, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = (await metricValue(baseUrl, 'hoshin_live_subscribers')) ?? 0;
    if (value === count) return value;
    if (Date.now() > deadline) {
      throw new Error(`${value} live subscribers after ${timeoutMs} ms, expected ${count}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
