// Keyset paging, model-based: a client pages through `plans` or `initiatives` (their default
// orders, first: 1..2), or the nested lists `Department.plans` and `DepartmentPlan.initiatives`,
// as the public or as a department's editor, while between page fetches
// rows are unpublished, published, deleted, inserted and moved (a department's display order,
// an initiative's position). Whatever happens, the union of the pages
//   - has no duplicates,
//   - holds every row that existed, was visible to the caller and kept its place in the order
//     throughout ("stable" rows): no page skips one, and paging never ends early,
//   - holds stable rows in the list's order,
//   - holds only rows the caller could see when their page was fetched.
// The seed is printed; replay with PAGING_SEED=<seed> (and PAGING_RUNS=<n>).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startTestApi, type TestApi } from '../support/api.ts';
import { factories, tokenFor } from '../support/factories.ts';

const runs = Number(process.env.PAGING_RUNS ?? 40);
const seed = Number(process.env.PAGING_SEED ?? Math.floor(Math.random() * 2 ** 31));

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

type List = 'plans' | 'initiatives' | 'departmentPlans' | 'planInitiatives';
type Viewer = 'public' | 'editor';
type Command =
  | { kind: 'toggleStatus'; pick: number }
  | { kind: 'deletePlan'; pick: number }
  | { kind: 'insertPlan'; pick: number; year: number }
  | { kind: 'moveDepartment'; pick: number; order: number }
  | { kind: 'deleteInitiative'; pick: number }
  | { kind: 'insertInitiative'; pick: number; atFront: boolean }
  | { kind: 'swapInitiatives'; pick: number; other: number }
  // The row under the cursor: the last row of the page just read.
  | { kind: 'deleteCursorRow' }
  | { kind: 'hideCursorRow' };

const pick = fc.nat(1000);
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('toggleStatus' as const), pick }),
  fc.record({ kind: fc.constant('deletePlan' as const), pick }),
  fc.record({
    kind: fc.constant('insertPlan' as const),
    pick,
    year: fc.integer({ min: 2011, max: 2015 }),
  }),
  fc.record({
    kind: fc.constant('moveDepartment' as const),
    pick,
    order: fc.integer({ min: 0, max: 6 }),
  }),
  fc.record({ kind: fc.constant('deleteInitiative' as const), pick }),
  fc.record({ kind: fc.constant('insertInitiative' as const), pick, atFront: fc.boolean() }),
  fc.record({ kind: fc.constant('swapInitiatives' as const), pick, other: pick }),
  fc.record({ kind: fc.constant('deleteCursorRow' as const) }),
  fc.record({ kind: fc.constant('hideCursorRow' as const) }),
);

const scenario = fc.record({
  list: fc.constantFrom<List>('plans', 'initiatives', 'departmentPlans', 'planInitiatives'),
  viewer: fc.constantFrom<Viewer>('public', 'editor'),
  departments: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 2, maxLength: 5 }),
  plans: fc.array(
    fc.record({
      department: pick,
      year: fc.integer({ min: 2012, max: 2014 }),
      draft: fc.boolean(),
      initiatives: fc.integer({ min: 0, max: 4 }),
    }),
    { minLength: 3, maxLength: 12 },
  ),
  pageSizes: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 1, maxLength: 4 }),
  // One batch of edits after each page; none once they run out.
  edits: fc.array(fc.array(command, { maxLength: 3 }), { minLength: 1, maxLength: 10 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** The element at an index that exists (the lists here are never empty). */
function at<T>(list: readonly T[], index: number): T {
  const value = list[index % list.length];
  if (value === undefined) throw new Error(`no element ${index}`);
  return value;
}

const dbId = (globalId: string) =>
  Number(Buffer.from(globalId, 'base64').toString().split(':').pop());

let cityIndex = 0;

async function run(s: Scenario): Promise<{ pages: number; rows: number; stable: number }> {
  const prisma = api.db.prisma;
  const make = factories(prisma);
  cityIndex += 1;
  const code = `98${String(cityIndex).padStart(4, '0')}`;
  const city = await make.municipality({ code });
  const departments: Array<{ id: number }> = [];
  for (const [i, order] of s.departments.entries()) {
    departments.push(await make.department(city.id, { code: `d${i}`, displayOrder: order }));
  }
  const editorDepartment = at(departments, 0);
  const token =
    s.viewer === 'editor'
      ? await tokenFor(prisma, {
          name: 'e',
          role: 'EDITOR',
          municipality: code,
          department: 'd0',
        })
      : undefined;
  // The nested lists need a few rows under their parent to page through.
  const plansToMake =
    s.list === 'departmentPlans'
      ? [
          ...s.plans,
          ...[2009, 2010, 2011, 2015].map((year, i) => ({
            ...at(s.plans, i),
            department: 0,
            year,
          })),
        ]
      : s.list === 'planInitiatives'
        ? s.plans.map((plan, i) =>
            i === 0 ? { ...plan, initiatives: Math.max(plan.initiatives, 4) } : plan,
          )
        : s.plans;
  for (const plan of plansToMake) {
    const department = at(departments, plan.department);
    const exists = await prisma.departmentPlan.findFirst({
      where: { departmentId: department.id, fiscalYear: plan.year },
    });
    if (exists) continue;
    await make.plan(department.id, {
      fiscalYear: plan.year,
      status: plan.draft ? 'DRAFT' : 'PUBLISHED',
      initiatives: Array.from({ length: plan.initiatives }, (_, i) => ({ text: `事業${i}` })),
    });
  }

  const departmentIds = departments.map((d) => d.id);
  const inCity = { departmentId: { in: departmentIds } };
  const planRows = () => prisma.departmentPlan.findMany({ where: inCity, orderBy: { id: 'asc' } });
  const initiativeRows = () =>
    prisma.initiative.findMany({ where: { plan: inCity }, orderBy: { id: 'asc' } });

  async function apply(c: Command, cursorRow: number | undefined) {
    const listsPlans = s.list === 'plans' || s.list === 'departmentPlans';
    if (c.kind === 'deleteCursorRow' || c.kind === 'hideCursorRow') {
      if (cursorRow === undefined) return;
      if (c.kind === 'deleteCursorRow' && listsPlans)
        await prisma.departmentPlan.deleteMany({ where: { id: cursorRow } });
      else if (c.kind === 'deleteCursorRow')
        await prisma.initiative.deleteMany({ where: { id: cursorRow } });
      else if (listsPlans)
        await prisma.departmentPlan.updateMany({
          where: { id: cursorRow },
          data: { status: 'DRAFT' },
        });
      return;
    }
    const allPlans = await planRows();
    const allInitiatives = await initiativeRows();
    // For a nested list, most edits hit its parent's own rows: else they rarely touch the list.
    const own = <T>(all: T[], mine: T[]) => (mine.length > 0 && c.pick % 4 !== 0 ? mine : all);
    const parent = allPlans.find(
      (p) => p.departmentId === firstPlan.departmentId && p.fiscalYear === firstPlan.fiscalYear,
    );
    const plans =
      s.list === 'departmentPlans'
        ? own(
            allPlans,
            allPlans.filter((p) => p.departmentId === editorDepartment.id),
          )
        : s.list === 'planInitiatives' && c.kind === 'insertInitiative' && parent
          ? own(allPlans, [parent])
          : allPlans;
    const initiatives =
      s.list === 'planInitiatives'
        ? own(
            allInitiatives,
            allInitiatives.filter((i) => i.planId === parent?.id),
          )
        : allInitiatives;
    const plan = plans[c.pick % Math.max(plans.length, 1)];
    const initiative = initiatives[c.pick % Math.max(initiatives.length, 1)];
    switch (c.kind) {
      case 'toggleStatus':
        if (plan)
          await prisma.departmentPlan.update({
            where: { id: plan.id },
            data: { status: plan.status === 'PUBLISHED' ? 'DRAFT' : 'PUBLISHED' },
          });
        return;
      case 'deletePlan':
        if (plan) await prisma.departmentPlan.delete({ where: { id: plan.id } });
        return;
      case 'insertPlan': {
        const department = at(departments, c.pick);
        if (allPlans.some((p) => p.departmentId === department.id && p.fiscalYear === c.year))
          return;
        await make.plan(department.id, { fiscalYear: c.year, initiatives: [{ text: '新規' }] });
        return;
      }
      case 'moveDepartment':
        await prisma.department.update({
          where: { id: at(departments, c.pick).id },
          data: { displayOrder: c.order },
        });
        return;
      case 'deleteInitiative':
        if (initiative) await prisma.initiative.delete({ where: { id: initiative.id } });
        return;
      case 'insertInitiative': {
        if (!plan) return;
        const positions = allInitiatives.filter((i) => i.planId === plan.id).map((i) => i.position);
        if (c.atFront) {
          // Positions are positive and unique within the plan: move the others up by one.
          await prisma.$executeRaw`UPDATE "Initiative" SET position = position + 1000 WHERE "planId" = ${plan.id}`;
          await prisma.$executeRaw`UPDATE "Initiative" SET position = position - 999 WHERE "planId" = ${plan.id}`;
        }
        const position = c.atFront ? 1 : Math.max(0, ...positions) + 1;
        await prisma.initiative.create({ data: { planId: plan.id, position, text: '挿入' } });
        return;
      }
      case 'swapInitiatives': {
        if (!initiative) return;
        const siblings = allInitiatives.filter((i) => i.planId === initiative.planId);
        const other = at(siblings, c.other);
        if (other.id === initiative.id) return;
        // (planId, position) is unique: through a free position.
        await prisma.$transaction([
          prisma.initiative.update({ where: { id: initiative.id }, data: { position: 100_000 } }),
          prisma.initiative.update({
            where: { id: other.id },
            data: { position: initiative.position },
          }),
          prisma.initiative.update({
            where: { id: initiative.id },
            data: { position: other.position },
          }),
        ]);
        return;
      }
    }
  }

  // The nested lists page one parent: department d0's plans, or the initiatives of the first
  // plan made (its department and year; it may be deleted, or unpublished, on the way).
  const made = (await planRows())[0];
  if (!made) throw new Error('no plan made');
  const firstPlan = made;
  const parentDepartment = `d${departments.findIndex((d) => d.id === firstPlan.departmentId)}`;

  /** Every row now: its place in the list's order and whether the caller may see it. */
  async function snapshot(): Promise<Map<number, { key: string; visible: boolean }>> {
    const plans = await planRows();
    const visible = (p: { status: string; departmentId: number }) =>
      p.status === 'PUBLISHED' || (s.viewer === 'editor' && p.departmentId === editorDepartment.id);
    const rows = new Map<number, { key: string; visible: boolean }>();
    if (s.list === 'departmentPlans') {
      for (const p of plans)
        if (p.departmentId === editorDepartment.id)
          rows.set(p.id, { key: JSON.stringify([p.fiscalYear]), visible: visible(p) });
      return rows;
    }
    if (s.list === 'planInitiatives') {
      const parent = plans.find(
        (p) => p.departmentId === firstPlan.departmentId && p.fiscalYear === firstPlan.fiscalYear,
      );
      for (const i of await initiativeRows())
        if (parent && i.planId === parent.id)
          rows.set(i.id, {
            key: JSON.stringify([parent.id, i.position]),
            visible: visible(parent),
          });
      return rows;
    }
    if (s.list === 'plans') {
      for (const p of plans)
        rows.set(p.id, {
          key: JSON.stringify([p.fiscalYear, p.departmentOrder, p.id]),
          visible: visible(p),
        });
      return rows;
    }
    const planById = new Map(plans.map((p) => [p.id, p]));
    for (const i of await initiativeRows()) {
      const p = planById.get(i.planId);
      if (!p) throw new Error(`initiative ${i.id} without its plan`);
      rows.set(i.id, {
        key: JSON.stringify([p.fiscalYear, p.departmentOrder, p.id, i.position]),
        visible: visible(p),
      });
    }
    return rows;
  }

  const selection = 'edges { node { id } } pageInfo { endCursor hasNextPage }';
  const query = {
    plans: `query ($after: String, $first: Int, $code: String!) {
      plans(filter: { municipality: $code }, first: $first, after: $after) { ${selection} } }`,
    initiatives: `query ($after: String, $first: Int, $code: String!) {
      initiatives(filter: { municipality: $code }, first: $first, after: $after) { ${selection} } }`,
    departmentPlans: `query ($after: String, $first: Int, $code: String!) {
      department(municipality: $code, code: "d0") {
        plans(first: $first, after: $after) { ${selection} } } }`,
    planInitiatives: `query ($after: String, $first: Int, $code: String!) {
      plan(municipality: $code, department: "${parentDepartment}", fiscalYear: ${firstPlan.fiscalYear}) {
        initiatives(first: $first, after: $after) { ${selection} } } }`,
  }[s.list];
  const fetchPage = (after: string | null, first: number) =>
    api.query(query, { after, first, code }, token);
  /** The list in a response; a parent that is gone (or hidden) lists nothing. */
  const connectionOf = (data: Record<string, any> | null | undefined) => {
    const empty = { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
    if (s.list === 'departmentPlans') return data?.department?.plans ?? empty;
    if (s.list === 'planInitiatives') return data?.plan?.initiatives ?? empty;
    return data?.[s.list];
  };

  const snapshots: Map<number, { key: string; visible: boolean }>[] = [];
  const pages: number[][] = [];
  let after: string | null = null;
  for (let page = 0; page < 80; page++) {
    snapshots.push(await snapshot());
    const response = await fetchPage(after, at(s.pageSizes, page));
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const connection = connectionOf(response.data);
    const ids = connection.edges.map((e: { node: { id: string } }) => dbId(e.node.id));
    pages.push(ids);
    // Never a row the caller could not see when the page was read.
    for (const id of ids)
      expect(
        at(snapshots, page).get(id)?.visible,
        `page ${page} shows row ${id} the caller cannot see`,
      ).toBe(true);
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
    for (const c of s.edits[page] ?? []) await apply(c, ids.at(-1));
  }
  snapshots.push(await snapshot());

  const union = pages.flat();
  // A row that moved (its place in the order changed) may rightly be shown twice, or not at
  // all; every other row at most once.
  const first = at(snapshots, 0);
  const keyOf = (id: number) => snapshots.find((snap) => snap.has(id))?.get(id)?.key;
  const moved = (id: number) =>
    snapshots.some((snap) => snap.has(id) && snap.get(id)?.key !== keyOf(id));
  const unmoved = union.filter((id) => !moved(id));
  expect(new Set(unmoved).size, `duplicates in ${JSON.stringify(pages)}`).toBe(unmoved.length);
  // Stable: present and visible in every snapshot, at the same place in the order.
  const stable = [...first.keys()].filter(
    (id) => !moved(id) && snapshots.every((snap) => snap.get(id)?.visible === true),
  );
  const shown = new Set(union);
  for (const id of stable)
    expect(shown.has(id), `stable row ${id} skipped; pages ${JSON.stringify(pages)}`).toBe(true);
  // In the list's order: as the API lists them now, in one page.
  const whole = await api.query(query, { after: null, first: 100, code }, token);
  const order = (connectionOf(whole.data).edges ?? []).map((e: { node: { id: string } }) =>
    dbId(e.node.id),
  );
  const stableSet = new Set(stable);
  expect(union.filter((id) => stableSet.has(id))).toEqual(
    order.filter((id: number) => stableSet.has(id)),
  );
  console.log(
    s.list,
    s.viewer,
    JSON.stringify(pages),
    stable.length,
    JSON.stringify(s.edits.slice(0, pages.length)),
  );
  return { pages: pages.length, rows: union.length, stable: stable.length };
}

describe('keyset paging, model-based', () => {
  it(
    'pages neither skip nor repeat nor reveal rows while rows change between them',
    async () => {
      console.log(`paging model: seed ${seed} (replay with PAGING_SEED=${seed}), ${runs} runs`);
      let runIndex = 0;
      let pages = 0;
      let stableRows = 0;
      await fc.assert(
        fc.asyncProperty(scenario, async (s) => {
          runIndex += 1;
          const result = await run(s);
          pages += result.pages;
          stableRows += result.stable;
        }),
        { numRuns: runs, seed, endOnFailure: true },
      );
      console.log(
        `paging model: ${runIndex} runs, ${pages} pages fetched, ${stableRows} stable rows checked`,
      );
      expect(runIndex).toBe(runs);
    },
    Math.max(300_000, runs * 30_000),
  );
});

describe('keyset paging of municipalities (by code)', () => {
  it('goes on after the last row of a page is deleted, and shows a row inserted ahead', async () => {
    const make = factories(api.db.prisma);
    for (const code of ['970001', '970002', '970003']) await make.municipality({ code });
    const page = (after: string | null) =>
      api.query(
        `query ($after: String) { municipalities(first: 100, after: $after) {
          edges { cursor node { code } } pageInfo { endCursor hasNextPage } } }`,
        { after },
      );
    const all = (await page(null)).data?.municipalities.edges;
    const index = all.findIndex((e: { node: { code: string } }) => e.node.code === '970001');
    const cursor = all[index].cursor;
    await api.db.prisma.municipality.delete({ where: { code: '970001' } });
    await make.municipality({ code: '970004' });
    const next = await page(cursor);
    expect(next.errors).toBeUndefined();
    const codes = next.data?.municipalities.edges.map(
      (e: { node: { code: string } }) => e.node.code,
    );
    expect(codes.slice(0, 3)).toEqual(['970002', '970003', '970004']);
  });
});

describe('keyset paging in every order', () => {
  it('pages each orderBy of plans, initiatives and evaluations, two rows at a time, as one page lists them', async () => {
    const make = factories(api.db.prisma);
    const city = await make.municipality({ code: '970100' });
    for (const [i, order] of [3, 1, 2].entries()) {
      const department = await make.department(city.id, { code: `o${i}`, displayOrder: order });
      for (const year of [2012, 2013])
        await make.plan(department.id, {
          fiscalYear: year,
          initiatives: [
            { text: 'a', evaluation: { rating: 'ACHIEVED' } },
            { text: 'b', evaluation: { rating: 'NOT_ACHIEVED', progressPercent: 50 } },
          ],
        });
    }
    const orders = {
      plans: ['NEWEST_YEAR_FIRST', 'OLDEST_YEAR_FIRST', 'DEPARTMENT_THEN_YEAR', 'RECENTLY_UPDATED'],
      initiatives: ['PLAN_ORDER', 'OLDEST_YEAR_FIRST', 'RECENTLY_UPDATED'],
      evaluations: ['INITIATIVE_ORDER', 'RATING', 'PROGRESS_DESC'],
    };
    for (const [list, names] of Object.entries(orders)) {
      const orderType =
        { plans: 'PlanOrder', initiatives: 'InitiativeOrder' }[list] ?? 'EvaluationOrder';
      const query = `query ($after: String, $first: Int, $order: ${orderType}) {
        ${list}(filter: { municipality: "970100" }, orderBy: $order, first: $first, after: $after) {
          edges { node { id } } pageInfo { endCursor hasNextPage } } }`;
      for (const order of names) {
        const whole = await api.query(query, { first: 100, order });
        expect(whole.errors).toBeUndefined();
        const expected = whole.data?.[list].edges.map((e: { node: { id: string } }) => e.node.id);
        const paged: string[] = [];
        let after: string | null = null;
        for (let i = 0; i < 20; i++) {
          const page: { data?: Record<string, any> | null; errors?: unknown } = await api.query(
            query,
            { first: 2, after, order },
          );
          expect(page.errors, `${list} ${order}: ${JSON.stringify(page.errors)}`).toBeUndefined();
          const connection = page.data?.[list];
          paged.push(...connection.edges.map((e: { node: { id: string } }) => e.node.id));
          if (!connection.pageInfo.hasNextPage) break;
          after = connection.pageInfo.endCursor;
        }
        expect(expected.length, `${list} ${order}`).toBeGreaterThan(2);
        expect(paged, `${list} ${order}`).toEqual(expected);
      }
      // A cursor of one order is refused in another, keyset or not.
      const [keysetOrder, otherOrder] = names as [string, string];
      const firstPage = await api.query(query, { first: 1, order: keysetOrder });
      const cursor = firstPage.data?.[list].pageInfo.endCursor;
      const refused = await api.query(query, { first: 1, after: cursor, order: otherOrder });
      expect(errorCodes(refused), `${list} ${keysetOrder} → ${otherOrder}`).toEqual([
        'INVALID_CURSOR',
      ]);
    }
  });
});

describe('keyset paging of the nested lists', () => {
  it("goes on after a page's last row is deleted or unpublished, and counts the whole list on every page", async () => {
    const make = factories(api.db.prisma);
    const city = await make.municipality({ code: '970200' });
    const department = await make.department(city.id, { code: 'n0' });
    for (const year of [2011, 2012, 2013, 2014])
      await make.plan(department.id, {
        fiscalYear: year,
        initiatives: ['一', '二', '三', '四', '五'].map((text) => ({ text })),
      });
    const initiatives = (after: string | null) =>
      api.query(
        `query ($after: String) { plan(municipality: "970200", department: "n0", fiscalYear: 2012) {
          initiatives(first: 2, after: $after) { totalCount edges { node { text } }
            pageInfo { endCursor hasNextPage hasPreviousPage } } } }`,
        { after },
      );
    const first = await initiatives(null);
    expect(first.errors).toBeUndefined();
    expect(first.data?.plan.initiatives.totalCount).toBe(5);
    // The page's last row is deleted: the next page starts with the row after it.
    await api.db.prisma.initiative.deleteMany({
      where: { text: '二', plan: { fiscalYear: 2012, departmentId: department.id } },
    });
    const second = await initiatives(first.data?.plan.initiatives.pageInfo.endCursor);
    expect(second.errors).toBeUndefined();
    const texts = (page: typeof second) =>
      page.data?.plan.initiatives.edges.map((e: { node: { text: string } }) => e.node.text);
    expect(texts(second)).toEqual(['三', '四']);
    expect(second.data?.plan.initiatives.totalCount).toBe(4);
    expect(second.data?.plan.initiatives.pageInfo.hasNextPage).toBe(true);
    const third = await initiatives(second.data?.plan.initiatives.pageInfo.endCursor);
    expect(texts(third)).toEqual(['五']);
    expect(third.data?.plan.initiatives.pageInfo.hasNextPage).toBe(false);

    // Department.plans, newest first: the page's last plan is unpublished; the next page goes on
    // with the plans after it, and hides it.
    const plans = (after: string | null) =>
      api.query(
        `query ($after: String) { department(municipality: "970200", code: "n0") {
          plans(first: 2, after: $after) { totalCount edges { node { fiscalYear { year } } }
            pageInfo { endCursor hasNextPage } } } }`,
        { after },
      );
    const years = (page: Awaited<ReturnType<typeof plans>>) =>
      page.data?.department.plans.edges.map(
        (e: { node: { fiscalYear: { year: number } } }) => e.node.fiscalYear.year,
      );
    const newest = await plans(null);
    expect(years(newest)).toEqual([2014, 2013]);
    await api.db.prisma.departmentPlan.updateMany({
      where: { departmentId: department.id, fiscalYear: 2013 },
      data: { status: 'DRAFT' },
    });
    const older = await plans(newest.data?.department.plans.pageInfo.endCursor);
    expect(older.errors).toBeUndefined();
    expect(years(older)).toEqual([2012, 2011]);
    expect(older.data?.department.plans.totalCount).toBe(3);

    // A cursor of one nested list is refused by another.
    const refused = await plans(first.data?.plan.initiatives.pageInfo.endCursor);
    expect(errorCodes(refused)).toEqual(['INVALID_CURSOR']);
  });
});

describe('keyset paging of evaluations by rating and by progress', () => {
  it('pages forward and backward in each order, and goes on after the last row of a page is deleted', async () => {
    const make = factories(api.db.prisma);
    const ratings = [
      'NOT_ACHIEVED',
      'ACHIEVED',
      'PARTIALLY_ACHIEVED',
      'ACHIEVED',
      'MOSTLY_ACHIEVED',
    ] as const;
    const progress = [undefined, 80, 40, undefined, 80, 10, undefined];
    for (const [index, order] of ['RATING', 'PROGRESS_DESC'].entries()) {
      const code = `97030${index}`;
      const city = await make.municipality({ code });
      const department = await make.department(city.id, { code: 'r0' });
      await make.plan(department.id, {
        fiscalYear: 2012,
        initiatives: progress.map((p, i) => ({
          text: `e${i}`,
          evaluation: {
            rating: at(ratings, i),
            ...(p === undefined ? {} : { progressPercent: p }),
          },
        })),
      });
      const query = `query ($after: String, $before: String, $first: Int, $last: Int, $order: EvaluationOrder) {
        evaluations(filter: { municipality: "${code}" }, orderBy: $order, first: $first, last: $last,
          after: $after, before: $before) {
          edges { node { id } } pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } }`;
      const ids = (page: { data?: Record<string, any> | null }) =>
        page.data?.evaluations.edges.map((e: { node: { id: string } }) => e.node.id) as string[];
      const whole = ids(await api.query(query, { first: 100, order }));
      expect(whole).toHaveLength(progress.length);
      // Backward from the end, two at a time: the same order.
      const backward: string[] = [];
      let before: string | null = null;
      for (let i = 0; i < 10; i++) {
        const page: { data?: Record<string, any> | null; errors?: unknown } = await api.query(
          query,
          { last: 2, before, order },
        );
        expect(page.errors, JSON.stringify(page.errors)).toBeUndefined();
        backward.unshift(...ids(page));
        if (!page.data?.evaluations.pageInfo.hasPreviousPage) break;
        before = page.data?.evaluations.pageInfo.startCursor;
      }
      expect(backward, `${order} backward`).toEqual(whole);
      // Forward, deleting each page's last row before reading the next.
      const seen: string[] = [];
      let deleted = 0;
      let after: string | null = null;
      for (let i = 0; i < 10; i++) {
        const page: { data?: Record<string, any> | null; errors?: unknown } = await api.query(
          query,
          { first: 2, after, order },
        );
        expect(page.errors, JSON.stringify(page.errors)).toBeUndefined();
        seen.push(...ids(page));
        if (!page.data?.evaluations.pageInfo.hasNextPage) break;
        after = page.data?.evaluations.pageInfo.endCursor;
        await api.db.prisma.evaluation.delete({ where: { id: dbId(ids(page).at(-1) as string) } });
        deleted += 1;
      }
      expect(seen, `${order} forward`).toEqual(whole);
      expect(deleted).toBeGreaterThan(1);
    }
  });
});
