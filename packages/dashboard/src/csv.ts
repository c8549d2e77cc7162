// CSV that Excel opens in Japanese: UTF-8 with a byte-order mark (without it Excel reads
// Shift_JIS), CRLF line ends, every field quoted so commas and line breaks in text survive.
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  const line = (row: readonly (string | number | null | undefined)[]) =>
    row.map((cell) => `"${String(cell ?? '').replaceAll('"', '""')}"`).join(',');
  return `\uFEFF${rows.map(line).join('\r\n')}\r\n`;
}

export function downloadCsv(
  filename: string,
  rows: readonly (readonly (string | number | null | undefined)[])[],
): void {
  const blob = new Blob([toCsv(rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
