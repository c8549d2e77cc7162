// `hoshin export` and `hoshin import`: the open-data files from the command line, run by an
// operator with the server's database configuration. Exports show what the public sees unless
// --include-drafts; imports act as an administrator of every municipality, named in the
// change records as cli:<user>.
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { extname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { anonymous, type Viewer } from '../../auth/viewer.ts';
import { ENTITY_NAMES, type EntityName } from './columns.ts';
import {
  EXPORT_FORMATS,
  type ExportDatabase,
  type ExportFormat,
  exportBatches,
  UnencodableError,
  writeExport,
} from './export.ts';
import { runImport } from './import.ts';
import { parseEncoding, parseScope } from './open-data.http.ts';
import { withTemporaryFile } from './upload.ts';

export const openDataUsage = `  hoshin export ENTITY [--format csv|xlsx|json|jsonl] [--municipality CODE] [--fiscal-year YEAR]
                [--department CODE] [--encoding utf-8|shift_jis] [--header ja] [--include-drafts] [--out FILE]
  hoshin import ENTITY FILE [--format csv|xlsx|json|jsonl] [--encoding utf-8|shift_jis] [--dry-run]
  (ENTITY: ${ENTITY_NAMES.join(', ')})`;

export interface OpenDataArgs {
  command: 'export' | 'import';
  entity?: string;
  file?: string;
  format?: string;
  municipality?: string;
  fiscalYear?: string;
  department?: string;
  encoding?: string;
  header?: string;
  includeDrafts?: boolean;
  out?: string;
  dryRun?: boolean;
}

export class CliError extends Error {}

function operator(actor: string): Viewer {
  return {
    kind: 'token',
    tokenId: 0,
    actor,
    office: 'hoshin administration',
    role: 'ADMIN',
    municipalityId: null,
    departmentId: null,
  };
}

function entityOf(name: string | undefined): EntityName {
  if (!ENTITY_NAMES.includes(name as EntityName)) {
    throw new CliError(`name what to export or import: ${ENTITY_NAMES.join(', ')}`);
  }
  return name as EntityName;
}

function formatOf(name: string | undefined, file?: string): ExportFormat {
  const format = name ?? (file ? extname(file).slice(1).toLowerCase() : 'csv');
  if (!EXPORT_FORMATS.includes(format as ExportFormat)) {
    throw new CliError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
  }
  return format as ExportFormat;
}

/** Runs the command; answers the process exit code. */
export async function runOpenDataCommand(db: ExportDatabase, args: OpenDataArgs): Promise<number> {
  const entity = entityOf(args.entity);
  const actor = `cli:${userInfo().username}`;
  let encoding: ReturnType<typeof parseEncoding>;
  try {
    encoding = parseEncoding(args.encoding ?? null);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  if (args.command === 'export') {
    const format = formatOf(args.format, args.out);
    const params = new URLSearchParams();
    if (args.municipality) params.set('municipality', args.municipality);
    if (args.fiscalYear) params.set('fiscalYear', args.fiscalYear);
    if (args.department) params.set('department', args.department);
    let scope: ReturnType<typeof parseScope>;
    try {
      scope = parseScope(params);
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    const viewer = args.includeDrafts ? operator(actor) : anonymous;
    const batches = exportBatches(db, viewer, entity, scope);
    const options = { format, encoding, japaneseHeaders: args.header === 'ja' };
    const out = () => (args.out ? createWriteStream(args.out) : process.stdout);
    try {
      if (encoding !== 'cp932') await writeExport(out(), entity, batches, options);
      else {
        // Through a temporary file: text Shift_JIS cannot hold leaves no file behind.
        await withTemporaryFile(async (file) => {
          try {
            await writeExport(createWriteStream(file), entity, batches, options);
          } catch (error) {
            if (!(error instanceof UnencodableError)) throw error;
            const cells = error.cells.map(
              (c) => `  row ${c.row} ${c.key} ${c.column}: ${c.characters.join(' ')}`,
            );
            throw new CliError([error.message, ...cells].join('\n'));
          }
          await pipeline(createReadStream(file), out());
        });
      }
    } catch (error) {
      // `hoshin export … | head`: the reader left; not a failure.
      if ((error as { code?: string }).code !== 'EPIPE') throw error;
    }
    return 0;
  }
  if (!args.file) throw new CliError('name the file to import');
  const format = formatOf(args.format, args.file);
  const size = (await stat(args.file)).size;
  const file = args.file;
  let bytesRead = 0;
  // Opened again if the import reads it twice (staged, then in one transaction).
  const input = () => {
    bytesRead = 0;
    return createReadStream(file).on('data', (chunk) => {
      bytesRead += chunk.length;
    });
  };
  const tty = process.stderr.isTTY;
  const report = await runImport({
    prisma: db.prisma,
    viewer: operator(actor),
    entity,
    input,
    format,
    encoding,
    dryRun: args.dryRun === true,
    progressEvery: tty ? 500 : 50_000,
    onProgress(rows) {
      const percent = size > 0 ? Math.min(100, Math.round((bytesRead / size) * 100)) : 100;
      const width = 30;
      const bar = '#'.repeat(Math.round((percent / 100) * width)).padEnd(width, '.');
      const line = `[${bar}] ${percent}% ${rows.toLocaleString('en')} rows`;
      if (tty) process.stderr.write(`\r${line}`);
      else process.stderr.write(`${line}\n`);
    },
  });
  if (tty) process.stderr.write('\n');
  const { counts } = report;
  for (const row of report.rows) {
    if (row.outcome === 'rejected') {
      for (const issue of row.issues ?? []) {
        console.log(`row ${row.row}: rejected: ${issue.field} ${issue.code}: ${issue.reason}`);
      }
    } else if (row.outcome === 'updated') {
      console.log(`row ${row.row}: updated ${row.key}: ${row.fields?.join(', ')}`);
    } else if (row.outcome === 'created') {
      console.log(`row ${row.row}: created ${row.key}`);
    }
  }
  const summary = `${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.rejected} rejected`;
  if (report.dryRun) console.log(`Dry run: ${summary}. Nothing was written.`);
  else if (report.applied) console.log(`Imported: ${summary}.`);
  else console.log(`Not imported: ${summary}. Nothing was written.`);
  return counts.rejected > 0 ? 1 : 0;
}
