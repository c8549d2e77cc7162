// Process entry: reads the configuration, opens and prepares the database, serves HTTP, and
// shuts down cleanly on SIGTERM/SIGINT. The only file with start-up side effects.
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/client.ts';
import { prepareDatabase } from './db/prepare.ts';
import { createFrontHandler } from './http/front.ts';
import { attachReadCache, ReadCache } from './http/response-cache.ts';
import { closeGracefully, createHttpServer } from './http/server.ts';
import { chainHandlers, createStaticHandler } from './http/static.ts';
import { attachWebSocket } from './http/websocket.ts';
import { LiveUpdates } from './live/live-updates.ts';
import { createLogger } from './logger.ts';
import { createHoshinYoga } from './yoga.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`hoshin: ${error.message}`);
    process.exit(2);
  }
  throw error;
}

const log = createLogger(config.logLevel);
const target = config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir };
log.info(
  { database: config.databaseUrl ? 'postgres' : `pglite:${config.dataDir}` },
  'opening database',
);
const db = await openDatabase(target);
try {
  await prepareDatabase(db, { seed: config.seedOnStart, log });
} catch (error) {
  log.fatal({ err: error }, 'could not prepare the database');
  await db.close();
  process.exit(1);
}

const live = new LiveUpdates(db.prisma, {
  redisUrl: config.redisUrl,
  pollMs: config.livePollMs,
  log,
});
const yoga = createHoshinYoga({
  db,
  log,
  live,
  security: config.security,
  redisUrl: config.redisUrl,
});
const readCache = config.readCache
  ? new ReadCache({ maxBytes: config.readCacheMegabytes * 2 ** 20 })
  : undefined;
if (readCache) {
  attachReadCache(readCache, live).catch((error) =>
    log.warn({ err: error }, 'read cache stays off: the change feed did not start'),
  );
}
const server = createHttpServer(yoga, log, {
  http: config.http,
  front: config.appDir
    ? chainHandlers(
        createStaticHandler({ dir: config.appDir, prefix: '/app' }),
        createFrontHandler({ live, readCache }),
      )
    : createFrontHandler({ live, readCache }),
});
const websocket = attachWebSocket(server, yoga, config.http);
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ port }, `hoshin serving http://localhost:${port}/graphql`);
  if (config.appDir) log.info({ port }, `dashboard at http://localhost:${port}/app/`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  await websocket.close();
  await closeGracefully(server, 10_000);
  await live.close();
  await db.close();
  log.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
