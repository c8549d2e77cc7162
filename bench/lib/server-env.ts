// Settings every benchmarked hoshin process gets on top of its scenario's. The load generator
// is one client on one address: the per-client limits meant for the public (rate limits, open
// connections) would refuse it, and the cost report would make answers differ from the other
// rungs' bytes. Everything else runs as configured for production.
export const BENCH_CURSOR_SECRET = 'bench-only-cursor-secret-0123456789abcdef';

export const BENCH_SERVER_ENV: Record<string, string> = {
  HOSHIN_RATE_LIMIT_PER_ADDRESS: '10000000',
  HOSHIN_RATE_LIMIT_PER_TOKEN: '10000000',
  HOSHIN_MAX_CONNECTIONS_PER_CLIENT: '100000',
  HOSHIN_MAX_SUBSCRIPTIONS_PER_CONNECTION: '10000',
  HOSHIN_REPORT_COST: 'false',
  // A known key, so the raw-SQL rung seals its cursors as hoshin does (same bytes).
  HOSHIN_CURSOR_SECRET: BENCH_CURSOR_SECRET,
};
