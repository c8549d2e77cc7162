// Settings every benchmarked hoshin process gets on top of its scenario's. The load generator
// is one client on one address: the per-client limits meant for the public (rate limits, open
// connections) would refuse it, and the cost report would make answers differ from the other
// rungs' bytes. Everything else runs as configured for production.
export const BENCH_SERVER_ENV: Record<string, string> = {
  HOSHIN_RATE_LIMIT_PER_ADDRESS: '10000000',
  HOSHIN_RATE_LIMIT_PER_TOKEN: '10000000',
  HOSHIN_MAX_CONNECTIONS_PER_CLIENT: '100000',
  HOSHIN_MAX_SUBSCRIPTIONS_PER_CONNECTION: '10000',
  HOSHIN_REPORT_COST: 'false',
};
