// hoshin's command line for operators: API tokens. Uses the same configuration as the server
// (DATABASE_URL, or the embedded database in HOSHIN_DATA_DIR).
//   hoshin token issue --role PLANNING --municipality 132047 --name 企画経営課 [--expires-in-days 90]
//   hoshin token issue --role EDITOR --municipality 132047 --department kyoiku --name 教育部
//   hoshin token issue --role ADMIN --name operator
//   hoshin token list
//   hoshin token revoke <prefix>
//   hoshin export initiatives --municipality 132047 --fiscal-year 2012 [--encoding shift_jis] > f.csv
//   hoshin import initiatives f.csv [--dry-run]
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/client.ts';
import { prepareDatabase } from './db/prepare.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import { CliError, openDataUsage, runOpenDataCommand } from './modules/open-data/open-data.cli.ts';
import { ImportFileError } from './modules/open-data/read.ts';
import { issueToken, listTokens, revokeToken } from './modules/token/token.service.ts';

const usage = `usage:
  hoshin token issue --role ADMIN|PLANNING|EDITOR --name NAME [--municipality CODE] [--department CODE] [--expires-in-days N]
  hoshin token list
  hoshin token revoke PREFIX
${openDataUsage}`;

function fail(message: string): never {
  console.error(`hoshin: ${message}`);
  process.exit(2);
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
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}
const db = await openDatabase(
  config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir },
);
try {
  await prepareDatabase(db, { seed: config.seedOnStart });
  if (openData) {
    process.exitCode = await runOpenDataCommand(db.prisma, {
      command: group,
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
  } else if (command === 'issue') {
    const days = values['expires-in-days'];
    if (days !== undefined && !/^[1-9]\d{0,4}$/.test(days))
      fail('--expires-in-days must be a whole number of days');
    const { token, row } = await issueToken(db.prisma, {
      name: values.name ?? '',
      role: (values.role ?? '') as 'ADMIN',
      municipality: values.municipality,
      department: values.department,
      expiresAt: days ? new Date(Date.now() + Number(days) * 86_400_000) : undefined,
    });
    console.log(
      `Issued ${row.role} token ${row.prefix} "${row.name}"${row.expiresAt ? `, expires ${row.expiresAt.toISOString()}` : ''}.`,
    );
    console.log('Store it now; it is not shown again:');
    console.log(token);
  } else if (command === 'list') {
    console.table(
      (await listTokens(db.prisma)).map((t) => ({
        prefix: t.prefix,
        name: t.name,
        role: t.role,
        municipality: t.municipality?.code ?? '*',
        department: t.department?.code ?? '',
        expires: t.expiresAt?.toISOString() ?? 'never',
        state: t.revokedAt
          ? 'revoked'
          : t.expiresAt && t.expiresAt <= new Date()
            ? 'expired'
            : 'active',
      })),
    );
  } else if (command === 'revoke') {
    if (!argument) fail('name the prefix of the token to revoke');
    await revokeToken(db.prisma, argument);
    console.log(`Revoked ${argument}.`);
  } else {
    fail(`unknown command "${command}"\n${usage}`);
  }
} catch (error) {
  if (error instanceof ValidationError)
    fail(error.issues.map((i) => `${i.path.slice(1).join('.')}: ${i.message}`).join('\n'));
  if (error instanceof NotFoundError) fail(error.message.replace(' that you may see', ''));
  if (error instanceof CliError || error instanceof ImportFileError) fail(error.message);
  throw error;
} finally {
  await db.close();
}
