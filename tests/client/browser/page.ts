// A small front end built with the SDK, as a team would write it: the plan of 教育部 for
// FY2012, then its live changes with the connection's state shown. Bundled by esbuild for
// the browser test; the API's URL comes in the page's query string (?api=...).
import { createClient, departmentPlan, planChanges } from '@hoshin/client';

const api = new URLSearchParams(location.search).get('api') ?? '';
const hoshin = createClient({ url: api, backoff: { baseMs: 100, maxMs: 500 } });
const byId = (id: string): HTMLElement => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing`);
  return element;
};

async function showPlan() {
  const plan = await departmentPlan(hoshin, {
    municipality: '132047',
    department: 'kyoiku',
    fiscalYear: 2012,
  });
  if (!plan) throw new Error('no plan');
  byId('title').textContent = `${plan.department.name} ${plan.fiscalYear.label}`;
  const list = byId('initiatives');
  for (const { node } of plan.initiatives.edges) {
    const item = document.createElement('li');
    item.textContent = node.text;
    list.append(item);
  }
}

async function followChanges() {
  const state = byId('state');
  const events = byId('events');
  for await (const event of planChanges(
    hoshin,
    { municipality: '132047' },
    {
      onState: (s) => {
        state.textContent =
          s.status === 'retrying'
            ? `retrying (attempt ${s.attempt} at ${new Date(s.nextAttemptAt).toISOString()})`
            : s.status === 'failed'
              ? `failed: ${s.reason}`
              : s.status;
        state.dataset.status = s.status;
      },
    },
  )) {
    const item = document.createElement('li');
    item.textContent = `${event.kind} ${event.plan?.department.name ?? ''}: ${event.plan?.policy ?? ''}`;
    events.append(item);
  }
}

showPlan().catch((error: unknown) => {
  byId('title').textContent = `error: ${String(error)}`;
});
followChanges().catch((error: unknown) => {
  byId('state').textContent = `error: ${String(error)}`;
});
