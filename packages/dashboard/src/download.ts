// Downloads are the server's open-data exports (GET /export/<entity>.csv, through the SDK's
// exportData with the caller's token), filtered as the view is: the server has the one
// spreadsheet writer (UTF-8 with a byte-order mark, CRLF, formula-looking texts quoted), so the
// app writes no CSV of its own.
import { type ExportOptions, exportData } from '@hoshin/client';
import { endpoint } from './data/hoshin';

export type ExportFilter = Omit<ExportOptions, 'format'>;

export async function downloadExport(token: string | undefined, filter: ExportFilter) {
  const response = await exportData(
    { url: endpoint(), ...(token ? { token } : {}) },
    { ...filter, format: 'csv' },
  );
  const disposition = response.headers.get('content-disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `${filter.entity}.csv`;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
