// Open-data files over HTTP: exports (GET /export/<entity>.<format>) and imports
// (POST /import/<entity>), beside the GraphQL endpoint. Plain fetch, like the runtime: the
// caller streams or saves the export's body and hands imports a file's bytes.

export type OpenDataEntity =
  | 'departments'
  | 'plans'
  | 'initiatives'
  | 'evaluations'
  | 'plan-years'
  | 'evaluation-stages'
  | 'targets'
  | 'actuals'
  | 'status-rules';
export type OpenDataFormat = 'csv' | 'xlsx' | 'json' | 'jsonl';

export interface OpenDataFilter {
  /** National code, e.g. 132047. */
  municipality?: string;
  fiscalYear?: number;
  /** Department code, e.g. kyoiku. */
  department?: string;
}

export interface OpenDataConnection {
  /** The GraphQL endpoint (as given to createClient) or the server's base URL. */
  url: string | URL;
  /** A bearer API token: exports then include what it may read; imports need one. */
  token?: string;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

export interface ExportOptions extends OpenDataFilter {
  entity: OpenDataEntity;
  format: OpenDataFormat;
  /** CSV only: Shift_JIS (CP932) instead of UTF-8 with a byte-order mark. */
  encoding?: 'utf-8' | 'shift_jis';
  /** Header row with the Japanese names of the field dictionary. */
  japaneseHeaders?: boolean;
}

export type ImportOutcome = 'created' | 'updated' | 'unchanged' | 'rejected';

export interface ImportReport {
  entity: OpenDataEntity;
  dryRun: boolean;
  applied: boolean;
  counts: Record<ImportOutcome, number>;
  rows: {
    row: number;
    outcome: ImportOutcome;
    key?: string;
    fields?: string[];
    issues?: { field: string; code: string; reason: string }[];
  }[];
  truncated: boolean;
}

export interface ImportOptions {
  entity: OpenDataEntity;
  format: OpenDataFormat;
  body: BodyInit;
  encoding?: 'utf-8' | 'shift_jis';
  dryRun?: boolean;
}

/** An open-data request the server refused, with its stable code. */
export class OpenDataError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
    /** For a rejected import: which rows and why. */
    readonly report?: ImportReport,
  ) {
    super(message);
    this.name = 'OpenDataError';
  }
}

function endpoint(url: string | URL, path: string): URL {
  return new URL(path, url);
}

export function exportUrl(url: string | URL, options: ExportOptions): string {
  const target = endpoint(url, `/export/${options.entity}.${options.format}`);
  if (options.municipality) target.searchParams.set('municipality', options.municipality);
  if (options.fiscalYear !== undefined)
    target.searchParams.set('fiscalYear', String(options.fiscalYear));
  if (options.department) target.searchParams.set('department', options.department);
  if (options.encoding === 'shift_jis') target.searchParams.set('encoding', 'shift_jis');
  if (options.japaneseHeaders) target.searchParams.set('header', 'ja');
  return target.toString();
}

function headers(connection: OpenDataConnection): Record<string, string> {
  return connection.token ? { authorization: `Bearer ${connection.token}` } : {};
}

async function refusal(response: Response): Promise<OpenDataError> {
  const body = (await response.json().catch(() => ({}))) as {
    errors?: { message?: string; extensions?: { code?: string } }[];
    report?: ImportReport;
  };
  const error = body.errors?.[0];
  return new OpenDataError(
    error?.message ?? `HTTP ${response.status}`,
    response.status,
    error?.extensions?.code,
    body.report,
  );
}

/** Downloads an export; the response's body is the file (stream it or read it whole). */
export async function exportData(
  connection: OpenDataConnection,
  options: ExportOptions,
): Promise<Response> {
  const fetch = connection.fetch ?? globalThis.fetch;
  const response = await fetch(exportUrl(connection.url, options), {
    headers: headers(connection),
  });
  if (!response.ok) throw await refusal(response);
  return response;
}

/**
 * Uploads a file to import. A dry run reports what would happen; otherwise the file is
 * applied whole or, when any row is rejected, not at all (an OpenDataError with the report).
 */
export async function importData(
  connection: OpenDataConnection,
  options: ImportOptions,
): Promise<ImportReport> {
  const fetch = connection.fetch ?? globalThis.fetch;
  const target = endpoint(connection.url, `/import/${options.entity}`);
  target.searchParams.set('format', options.format);
  if (options.encoding === 'shift_jis') target.searchParams.set('encoding', 'shift_jis');
  if (options.dryRun) target.searchParams.set('dryRun', 'true');
  const response = await fetch(target.toString(), {
    method: 'POST',
    headers: { ...headers(connection), 'content-type': 'application/octet-stream' },
    body: options.body,
  });
  if (!response.ok) throw await refusal(response);
  return ((await response.json()) as { report: ImportReport }).report;
}
