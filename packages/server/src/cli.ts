// hoshin's command line for operators: API tokens. Uses the same configuration as the server
// (DATABASE_URL, or the embedded database in HOSHIN_DATA_DIR). While an embedded server holds
// the data folder, the command goes to that server (admin-channel.ts): one process per folder.
//   hoshin token issue --role PLANNING --municipality 132047 --name 企画経営課 [--expires-in-days 90]
//   hoshin token issue --role EDITOR --municipality 132047 --department kyoiku --name 教育部
//   hoshin token issue --role ADMIN --name operator
//   hoshin token list
//   hoshin token revoke <prefix>
//   hoshin export initiatives --municipality 132047 --fiscal-year 2012 [--encoding shift_jis] > f.csv
//   hoshin import initiatives f.csv [--dry-run]
import { parseArgs } from 'node:util';
import {
  type AdminCommand,
  type AdminResult,
  runAdminCommand,
  sendAdminCommand,
} from './admin-channel.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError, type LockHolder, liveLockHolder } from './db/data-lock.ts';
import { NotFoundError, ValidationError } from './errors.ts';

// Export and import pull in the spreadsheet and CSV libraries: loaded only when asked for, so
// token commands start fast (issue 12: `hoshin token list` under 3 s). Their columns are read
// from the built schema (graphql/fields.ts), so the schema is built first.
const openDataCli = async () => {
  await import('./schema.ts');
  return import('./modules/open-data/open-data.cli.ts');
};

async function usage(): Promise<string> {
  return `usage:
  hoshin token issue --role ADMIN|PLANNING|EDITOR|REVIEWER --name NAME [--municipality CODE] [--department CODE] [--expires-in-days N]
  hoshin token list
  hoshin token revoke PREFIX
${(await openDataCli()).openDataUsage}`;
}

function fail(message: string, code = 2): never {
  console.error(`hoshin: ${message}`);
  process.exit(code);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    role: { type: 'string' },
    name: { type: 'string' },
    municipality: { type: 'string' },
    department: { type: 'string' },
    'expires-in-days': { type: 'string' },
    format: { type: 'string' },
    'fiscal-year': { type: 'string' },
    encoding: { type: 'string' },
    header: { type: 'string' },
    'include-drafts': { type: 'boolean' },
    out: { type: 'string', short: 'o' },
    'dry-run': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
const [group, command, argument] = positionals;
const openData = group === 'export' || group === 'import';
if (values.help || !((group === 'token' && command) || openData)) {
  console.log(await usage());
  process.exit(values.help ? 0 : 2);
}

async function parseCommand(): Promise<AdminCommand> {
  if (command === 'issue') {
    const days = values['expires-in-days'];
    if (days !== undefined && !/^[1-9]\d{0,4}$/.test(days))
      fail('--expires-in-days must be a whole number of days');
    return {
      command: 'issue',
      name: values.name ?? '',
      role: values.role ?? '',
      municipality: values.municipality,
      department: values.department,
      expiresAt: days ? new Date(Date.now() + Number(days) * 86_400_000).toISOString() : undefined,
    };
  }
  if (command === 'list') return { command: 'list' };
  if (command === 'revoke') {
    if (!argument) fail('name the prefix of the token to revoke');
    return { command: 'revoke', prefix: argument };
  }
  fail(`unknown command "${command}"\n${await usage()}`);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}

/** export/import: in this process, on a database it opens (and, embedded, locks) itself. */
async function runOpenData(): Promise<number> {
  const { openDatabase } = await import('./db/client.ts');
  const { prepareDatabase } = await import('./db/prepare.ts');
  const db = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir, holder: 'cli' },
  );
  try {
    await prepareDatabase(db, { seed: config.seedOnStart });
    const { runOpenDataCommand } = await openDataCli();
    return await runOpenDataCommand(db, {
      command: group as 'export' | 'import',
      entity: command,
      file: argument,
      format: values.format,
      municipality: values.municipality,
      fiscalYear: values['fiscal-year'],
      department: values.department,
      encoding: values.encoding,
      header: values.header,
      includeDrafts: values['include-drafts'],
      out: values.out,
      dryRun: values['dry-run'],
    });
  } finally {
    await db.close();
  }
}

if (openData) {
  try {
    process.exitCode = await runOpenData();
  } catch (error) {
    if (error instanceof DataDirLockedError)
      fail(
        `${error.message}\nWhile the server runs, use its HTTP endpoints: GET /export/..., POST /import/...`,
        1,
      );
    if (error instanceof ValidationError)
      fail(error.issues.map((i) => `${i.path.slice(1).join('.')}: ${i.message}`).join('\n'));
    if (error instanceof NotFoundError) fail(error.message.replace(' that you may see', ''));
    const { CliError } = await openDataCli();
    const { ImportFileError } = await import('./modules/open-data/read.ts');
    if (error instanceof CliError || error instanceof ImportFileError) fail(error.message);
    throw error;
  }
  // PGlite and the schema engine leave timers behind that would keep the process up.
  process.exit();
}

const request = await parseCommand();

/** Runs the command in this process, on a database it opens (and, embedded, locks) itself. */
async function runHere(): Promise<AdminResult> {
  // Loaded only here: handing a command to a running server needs neither PGlite nor Prisma.
  const { openDatabase } = await import('./db/client.ts');
  const { prepareDatabase } = await import('./db/prepare.ts');
  const db = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir, holder: 'cli' },
  );
  try {
    await prepareDatabase(db, { seed: config.seedOnStart });
    return await runAdminCommand(db.prisma, request);
  } finally {
    await db.close();
  }
}

/** Hands the command to the server holding the folder, waiting while it finishes starting. */
async function runOnServer(holder: LockHolder): Promise<AdminResult> {
  const deadline = Date.now() + 120_000;
  let told = false;
  for (;;) {
    try {
      return await sendAdminCommand(config.dataDir, request);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const starting = code === 'ENOENT' || code === 'ECONNREFUSED';
      if (!starting || Date.now() > deadline || !liveLockHolder(config.dataDir))
        fail(`could not reach the hoshin server (pid ${holder.pid}): ${String(error)}`, 1);
      if (!told) console.error(`hoshin: waiting for the server (pid ${holder.pid}) to start`);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function run(): Promise<AdminResult> {
  if (config.databaseUrl) return runHere();
  const holder = liveLockHolder(config.dataDir);
  if (holder?.role === 'server') return runOnServer(holder);
  try {
    return await runHere();
  } catch (error) {
    // A server that started between the check and the open.
    if (error instanceof DataDirLockedError && error.holder.role === 'server')
      return runOnServer(error.holder);
    if (error instanceof DataDirLockedError) fail(error.message, 1);
    throw error;
  }
}

const result = await run();
if (!result.ok) fail(result.message, result.refused ? 2 : 1);
if ('issued' in result) {
  const { issued } = result;
  console.log(
    `Issued ${issued.role} token ${issued.prefix} "${issued.name}"${issued.expiresAt ? `, expires ${issued.expiresAt}` : ''}.`,
  );
  console.log('Store it now; it is not shown again:');
  console.log(issued.token);
} else if ('tokens' in result) {
  console.table(result.tokens);
} else {
  console.log(`Revoked ${result.revoked}.`);
  // Servers on other hosts end the token's open streams at once when told through Redis; if
  // it is unreachable they still do within their poll interval (auth/token-watch.ts).
  if (config.databaseUrl && config.redisUrl) {
    const { publishNotice } = await import('./live/pubsub.ts');
    const { TOKENS_NOTICE } = await import('./auth/token-watch.ts');
    if (!(await publishNotice(config.redisUrl, config.redisPrefix, TOKENS_NOTICE)))
      console.error('hoshin: Redis did not answer; servers notice the revocation within seconds');
  }
}
// Done: PGlite and the schema engine leave 10 s timers behind that would keep the process up.
process.exit(0);
