import { type ConnectionState, createClient } from '@hoshin/client';

/** What a live panel shows for each state of its connection. */
export function describeState(state: ConnectionState): string {
  switch (state.status) {
    case 'connecting':
      return 'connecting…';
    case 'live':
      return 'live';
    case 'retrying': {
      const seconds = Math.max(0, Math.round((state.nextAttemptAt - Date.now()) / 1000));
      return `offline (${state.error.kind}), retrying in ${seconds} s`;
    }
    case 'failed':
      // unauthenticated, forbidden, rejected, protocol or retries-exhausted: will not heal.
      return `stopped: ${state.reason}`;
    case 'closed':
      return 'closed';
  }
}

/**
 * Follows the changes to one department's plans, calling `show` with the connection's state
 * and `onChange` with each event, until `signal` aborts. Nothing written after this call is
 * missed: without `after`, the client first reads the server's latest change cursor.
 */
export async function followDepartment(
  url: string,
  department: string,
  show: (text: string) => void,
  onChange: (text: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const hoshin = createClient({ url });
  const events = hoshin.planChanges(
    { municipality: '132047', department },
    {
      signal,
      onState: (state) => show(describeState(state)),
      onError: (error) => console.warn(`live: ${error.message}`),
    },
  );
  for await (const event of events) onChange(`${event.kind} ${event.plan?.policy ?? ''}`);
}
