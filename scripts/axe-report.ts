// axe-core's count per dashboard view, for a running server that serves the app at /app:
//
//   tsx scripts/axe-report.ts --url http://127.0.0.1:4000 [--token hsn_…] [--json]
//
// Each view of scripts/axe.ts (the list the dashboard test checks) in Debian's Chromium, WCAG
// 2.0/2.1 A and AA rules: a table of the rules violated per impact. --token: a PLANNING token of
// the municipality (`npx pnpm hoshin token issue --role PLANNING --municipality 132047 --name axe`)
// for the staff views; without it they are left out. A view whose page never showed what marks
// it loaded (it did not exist in that version, or failed) is flagged "not ready".
import { parseArgs } from 'node:util';
import { launchBrowser } from '../tests/support/browser.ts';
import { AXE_VIEWS, type AxeOutcome, checkView, countByImpact, IMPACTS } from './axe.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    json: { type: 'boolean', default: false },
    'timeout-ms': { type: 'string', default: '20000' },
  },
});
if (!values.url) {
  console.error(
    'usage: tsx scripts/axe-report.ts --url http://127.0.0.1:4000 [--token hsn_…] [--json]',
  );
  process.exit(2);
}

const browser = await launchBrowser();
const outcomes: AxeOutcome[] = [];
try {
  for (const view of AXE_VIEWS) {
    if (view.token === 'staff' && !values.token) continue;
    outcomes.push(
      await checkView(() => browser.newPage(), values.url, view, {
        ...(values.token ? { staffToken: values.token } : {}),
        timeoutMs: Number(values['timeout-ms']),
      }),
    );
  }
} finally {
  await browser.close();
}

if (values.json) {
  console.log(JSON.stringify(outcomes, null, 2));
} else {
  const rows = outcomes.map(({ view, ready, title, violations }) => {
    const counts = countByImpact(violations);
    return [
      view.name + (ready ? '' : ' (not ready)'),
      ...IMPACTS.map((impact) => String(counts[impact])),
      violations.map((v) => `${v.id}(${v.impact[0]}, ${v.nodes})`).join(' ') || '—',
      // A title holds "|": escaped for the Markdown table.
      title.replaceAll('|', '\\|'),
    ];
  });
  const header = ['view', ...IMPACTS, 'rules (impact, nodes)', 'title'];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}
