// HTML -> PDF through Debian's Chromium print engine (`chromium --headless --print-to-pdf`):
// the page's own print CSS decides the layout (A4), and Chromium embeds the subset of the
// fonts it used (IPAGothic from fonts-ipafont-gothic for Japanese), so the PDF reads the same
// everywhere and its text can be extracted. One print at a time per process, and the last few
// results kept by the HTML's hash: a booklet changes when its data does, rarely.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export class PdfUnavailableError extends Error {}

export interface PdfPrinter {
  /** The PDF of a complete HTML document (which must not need the network). */
  print(html: string): Promise<Buffer>;
  readonly available: boolean;
}

const KEEP = 8;
const TIMEOUT_MS = 60_000;

export function createPdfPrinter(
  chromiumPath = process.env.HOSHIN_CHROMIUM ?? '/usr/bin/chromium',
): PdfPrinter {
  const cache = new Map<string, Buffer>();
  let queue: Promise<unknown> = Promise.resolve();

  async function render(html: string): Promise<Buffer> {
    const dir = await mkdtemp(join(tmpdir(), 'hoshin-booklet-'));
    try {
      const input = join(dir, 'page.html');
      const output = join(dir, 'page.pdf');
      await writeFile(input, html);
      await new Promise<void>((resolve, reject) => {
        execFile(
          chromiumPath,
          [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            `--user-data-dir=${join(dir, 'profile')}`,
            '--no-pdf-header-footer',
            `--print-to-pdf=${output}`,
            pathToFileURL(input).href,
          ],
          { timeout: TIMEOUT_MS, maxBuffer: 1 << 20 },
          (error) =>
            error
              ? reject(
                  new PdfUnavailableError(
                    `Chromium could not print: ${error.message.split('\n')[0]}`,
                  ),
                )
              : resolve(),
        );
      });
      return await readFile(output);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  return {
    get available() {
      return existsSync(chromiumPath);
    },
    print(html) {
      if (!existsSync(chromiumPath)) {
        return Promise.reject(
          new PdfUnavailableError(
            `PDF printing needs Chromium at ${chromiumPath} (HOSHIN_CHROMIUM)`,
          ),
        );
      }
      const key = createHash('sha256').update(html).digest('hex');
      const kept = cache.get(key);
      if (kept) return Promise.resolve(kept);
      const job = queue.then(async () => {
        const again = cache.get(key);
        if (again) return again;
        const pdf = await render(html);
        cache.set(key, pdf);
        if (cache.size > KEEP) cache.delete(cache.keys().next().value as string);
        return pdf;
      });
      queue = job.catch(() => {});
      return job;
    },
  };
}
