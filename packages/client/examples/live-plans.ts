import { createClient } from '@hoshin/client';

/**
 * Logs every change to Mitaka's plans until `signal` aborts, resuming after `after` (a cursor
 * saved from an earlier run) when given. Returns the last cursor seen, to save for next time.
 */
export async function followPlans(
  url: string,
  { token, signal, after }: { token?: string; signal: AbortSignal; after?: string | undefined },
): Promise<string | undefined> {
  // Without a token only published plans are seen; the planning section's token sees drafts.
  const hoshin = createClient({ url, ...(token ? { token } : {}) });
  let last = after;
  // Reconnects by itself (network errors, 5xx, server restarts) and resumes after the last
  // event, so each event arrives once; aborting ends the loop without an error.
  for await (const event of hoshin.planChanges({ municipality: '132047' }, { signal, after })) {
    console.log(`${event.kind} ${event.plan?.department.name ?? event.id} (${event.cursor})`);
    last = event.cursor;
  }
  return last;
}
