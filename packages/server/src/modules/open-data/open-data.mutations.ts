// importFile: an open-data import as a GraphQL multipart upload (graphql-multipart-request-spec,
// which Yoga parses into the File scalar), beside POST /import/<entity>. Thin: upload.ts holds
// the caller check, the limits and the one import function both transports call.
import { GraphQLError } from 'graphql';
import { builder } from '../../graphql/builder.ts';
import { writeErrors } from '../../graphql/error-types.ts';
import { ENTITY_LABELS, ENTITY_NAMES, type EntityName } from './columns.ts';
import type { CsvEncoding, ExportFormat } from './export.ts';
import type { ImportReport, RowIssue, RowReport } from './import.ts';
import { ImportFileError } from './read.ts';
import { importUpload, UploadRefused } from './upload.ts';

const constant = (name: string) => name.toUpperCase().replace(/-/g, '_');

export const OpenDataEntity = builder.enumType('OpenDataEntity', {
  description:
    'What an open-data file holds (the entity of /export/<entity> and /import/<entity>).',
  values: Object.fromEntries(
    ENTITY_NAMES.map((name) => [
      constant(name),
      { value: name, description: `${ENTITY_LABELS[name].ja} (${name})` },
    ]),
  ) as Record<string, { value: EntityName; description: string }>,
});

const OpenDataFormat = builder.enumType('OpenDataFormat', {
  values: {
    CSV: { value: 'csv' },
    XLSX: { value: 'xlsx' },
    JSON: { value: 'json', description: 'An array of records.' },
    JSONL: { value: 'jsonl', description: 'JSON Lines: a record per line.' },
  } as const,
});

const CsvEncodingRef = builder.enumType('CsvEncoding', {
  values: {
    UTF_8: { value: 'utf-8' },
    SHIFT_JIS: { value: 'cp932', description: 'Shift_JIS as Windows has it (CP932).' },
  } as const,
});

const ImportOutcome = builder.enumType('ImportOutcome', {
  values: ['created', 'updated', 'unchanged', 'rejected'] as const,
});

const ImportIssueRef = builder.objectRef<RowIssue>('ImportIssue').implement({
  fields: (t) => ({
    field: t.exposeString('field', { description: "The column ('' for the row as a whole)." }),
    code: t.exposeString('code', { description: "The service's issue code, FORBIDDEN, ..." }),
    reason: t.exposeString('reason'),
  }),
});

const ImportRowRef = builder.objectRef<RowReport>('ImportRow').implement({
  fields: (t) => ({
    row: t.exposeInt('row', { description: 'As a spreadsheet numbers it (header = 1).' }),
    outcome: t.field({ type: ImportOutcome, resolve: (r) => r.outcome }),
    key: t.exposeString('key', { nullable: true }),
    fields: t.exposeStringList('fields', { nullable: true }),
    issues: t.field({ type: [ImportIssueRef], nullable: true, resolve: (r) => r.issues }),
  }),
});

const ImportCountsRef = builder.objectRef<ImportReport['counts']>('ImportCounts').implement({
  fields: (t) => ({
    created: t.exposeInt('created'),
    updated: t.exposeInt('updated'),
    unchanged: t.exposeInt('unchanged'),
    rejected: t.exposeInt('rejected'),
  }),
});

const ImportReportRef = builder.objectRef<ImportReport>('ImportReport').implement({
  description: "An import's outcome, as POST /import/<entity> reports it.",
  fields: (t) => ({
    entity: t.field({ type: OpenDataEntity, resolve: (r) => r.entity }),
    dryRun: t.exposeBoolean('dryRun'),
    applied: t.exposeBoolean('applied', {
      description: 'The rows were written: not a dry run and no row rejected (all or nothing).',
    }),
    counts: t.field({ type: ImportCountsRef, resolve: (r) => r.counts }),
    rows: t.field({
      type: [ImportRowRef],
      description: 'Every row, up to 10,000; the counts are always complete.',
      resolve: (r) => r.rows,
    }),
    truncated: t.exposeBoolean('truncated'),
  }),
});

builder.mutationField('importFile', (t) =>
  t.field({
    type: ImportReportRef,
    description:
      'Imports an open-data file sent as a multipart upload: the same import, dry run, limits and row rules as POST /import/<entity>. Any token; which rows it may write is decided per row, as for the mutations.',
    authScopes: { authenticated: true },
    errors: { types: [...writeErrors], dataField: { name: 'report' } },
    args: {
      entity: t.arg({ type: OpenDataEntity, required: true }),
      file: t.arg({ type: 'File', required: true }),
      format: t.arg({ type: OpenDataFormat, defaultValue: 'csv' }),
      encoding: t.arg({ type: CsvEncodingRef, defaultValue: 'utf-8' }),
      dryRun: t.arg.boolean({ defaultValue: false }),
    },
    resolve: async (_root, args, ctx) => {
      try {
        return await importUpload({
          prisma: ctx.prisma,
          viewer: ctx.viewer,
          entity: args.entity,
          body: args.file.stream() as unknown as AsyncIterable<Uint8Array>,
          format: (args.format ?? 'csv') as ExportFormat,
          encoding: (args.encoding ?? 'utf-8') as CsvEncoding,
          dryRun: args.dryRun ?? false,
          limits: ctx.importLimits,
        });
      } catch (error) {
        // The file refused as a whole: a request error with the code POST /import answers.
        if (error instanceof UploadRefused || error instanceof ImportFileError) {
          throw new GraphQLError(error.message, { extensions: { code: error.code } });
        }
        throw error;
      }
    },
  }),
);
