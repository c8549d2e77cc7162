// Process entry: reads the configuration, builds the server (app.ts), listens, and shuts down
// cleanly on SIGTERM/SIGINT. The only file with start-up side effects.
import { createApp, DatabasePreparationError } from './app.ts';
import { ConfigError, loadConfig, startupWarnings } from './config.ts';
import { DataDirLockedError } from './db/data-lock.ts';
import { watchLaunchers } from './launcher-watch.ts';
import { createLogger } from './logger.ts';

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
let app: Awaited<ReturnType<typeof createApp>>;
try {
  app = await createApp({ config, log });
} catch (error) {
  if (error instanceof DataDirLockedError) {
    log.fatal(error.message);
    console.error(`hoshin: ${error.message}`);
    process.exit(1);
  }
  if (!(error instanceof DatabasePreparationError)) throw error;
  log.fatal({ err: error.cause }, error.message);
  // Also in plain words, for whoever reads the terminal rather than the JSON log.
  console.error(`hoshin: ${error.message}`);
  process.exit(1);
}

// Before the first log line that says we serve: until a listener exists, a SIGTERM takes the
// default action and kills the process without closing the data folder.
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  await app.close(10_000);
  log.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
const port = Number(new URL(await app.listen()).port);
// Before "serving": whoever waits for that line has seen the warning.
for (const warning of startupWarnings(app.config)) {
  log.warn({ profile: app.config.profile, host: app.config.host }, warning);
  // Also on the terminal, where a person starting it reads.
  console.error(`hoshin: ${warning}`);
}
log.info({ port }, `hoshin serving http://localhost:${port}/graphql`);
if (app.config.appDir) log.info({ port }, `dashboard at http://localhost:${port}/app/`);

// A SIGTERM to `npx pnpm start` ends npm but reaches no one below it: stop as if it had.
watchLaunchers((pid) => void shutdown(`launcher ${pid} exited`));
