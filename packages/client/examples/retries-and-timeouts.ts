import { createClient } from '@hoshin/client';

/** Searches initiatives with a 5 s budget per attempt and up to 3 retries, cancellable. */
export async function searchWithDeadline(
  url: string,
  search: string,
  signal?: AbortSignal,
): Promise<number> {
  const hoshin = createClient({
    url,
    timeoutMs: 5_000, // each attempt, response body included
    retries: 3, // queries only; mutations are never retried
    backoff: { baseMs: 200, maxMs: 2_000 }, // exponential with full jitter
  });
  const page = await hoshin.searchInitiatives(
    { search, first: 10 },
    signal ? { signal } : {}, // aborting rejects with the signal's reason and stops retrying
  );
  return page.totalCount;
}
