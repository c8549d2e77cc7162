// An uploaded import file, whichever way it came (POST /import/<entity>, or the GraphQL
// multipart upload of importFile): the same caller check, the same size and row limits, the
// same spooling to a temporary file (the import's transaction, and the write lock it holds,
// never wait on a slow client) and the same runImport. The transports only translate.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Viewer } from '../../auth/viewer.ts';
import type { PrismaClient } from '../../db/client.ts';
import { ErrorCode } from '../../errors.ts';
import type { ImportLimits } from '../../graphql/context.ts';
import type { EntityName } from './columns.ts';
import type { CsvEncoding, ExportFormat } from './export.ts';
import { type ImportReport, runImport } from './import.ts';

export type { ImportLimits };

/** The limits of a server's settings. */
export const importLimitsOf = (security: {
  maxImportBytes: number;
  maxImportRows: number;
}): ImportLimits => ({ maxBytes: security.maxImportBytes, maxRows: security.maxImportRows });

/** An upload refused as a whole: who sent it, or what it is (too large, too many rows). */
export class UploadRefused extends Error {
  constructor(
    readonly status: 401 | 413,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const tooLarge = (max: number) =>
  new UploadRefused(413, ErrorCode.PAYLOAD_TOO_LARGE, `The upload is larger than ${max} bytes`);

/** Only token holders import; which rows they may write is the services' decision, per row. */
export function assertMayImport(viewer: Viewer): void {
  if (viewer.kind !== 'token') {
    throw new UploadRefused(401, ErrorCode.UNAUTHENTICATED, 'Imports need a token');
  }
}

export interface UploadOptions {
  prisma: PrismaClient;
  viewer: Viewer;
  entity: EntityName;
  /** The file's bytes, as they arrive. */
  body: Readable | AsyncIterable<Uint8Array>;
  format: ExportFormat;
  encoding?: CsvEncoding;
  dryRun: boolean;
  limits: ImportLimits;
}

export async function importUpload(options: UploadOptions): Promise<ImportReport> {
  const { limits } = options;
  assertMayImport(options.viewer);
  return withTemporaryFile(async (file) => {
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done(bytes > limits.maxBytes ? tooLarge(limits.maxBytes) : null, chunk);
      },
    });
    const body = options.body instanceof Readable ? options.body : Readable.from(options.body);
    await pipeline(body, counter, createWriteStream(file));
    return runImport({
      prisma: options.prisma,
      viewer: options.viewer,
      entity: options.entity,
      // Opened again if the import reads it twice (staged, then in one transaction).
      input: () => createReadStream(file),
      format: options.format,
      encoding: options.encoding,
      dryRun: options.dryRun,
      maxRows: limits.maxRows,
    });
  });
}

/** Runs `work` with the path of a fresh temporary file, removed afterwards. */
export async function withTemporaryFile<T>(work: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'hoshin-open-data-'));
  try {
    return await work(join(dir, 'file'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
