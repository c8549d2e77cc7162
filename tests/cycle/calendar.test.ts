// The reporting calendar of the evaluation cycle: planning sets FY2012's deadlines; 教育部's
// editor sees its 自己評価 due (and no longer once completed, again when sent back), the
// planning office sees every department's stages; reminders go out once per department and
// phase, however many server instances sweep.
import { Reminders } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CycleWorld, MITAKA, stages, startCycleWorld } from './support.ts';

const SET_CALENDAR = `mutation ($input: SetReportingCalendarInput!) {
  setReportingCalendar(input: $input) {
    __typename
    ... on Error { message }
    ... on SetReportingCalendarSuccess { calendar { fiscalYear deadlines { kind name dueOn remindDaysBefore } } }
  } }`;

const PENDING = `query ($department: String, $today: LocalDate) {
  pending(municipality: "${MITAKA}", fiscalYear: 2012, department: $department, today: $today) {
    kind name state dueOn daysLeft returnReason
    department { code name }
    initiative { id position }
  } }`;

const FY2012 = [
  { kind: 'SELF', dueOn: '2013-05-10' },
  { kind: 'FIRST', dueOn: '2013-05-31' },
  { kind: 'SECOND', dueOn: '2013-06-14' },
  { kind: 'EXTERNAL', dueOn: '2013-06-28', remindDaysBefore: 14 },
  { kind: 'ACTUALS', dueOn: '2013-04-30' },
];

interface Item {
  kind: string;
  name: string;
  state: string;
  dueOn: string | null;
  daysLeft: number | null;
  returnReason: string | null;
  department: { code: string; name: string };
  initiative: { id: string; position: number };
}

let world: CycleWorld;
let stage: ReturnType<typeof stages>;

async function pending(token: string | undefined, department: string | null, today: string) {
  const body = await world.gql(PENDING, { department, today }, token);
  return body as {
    data?: { pending: Item[] } | null;
    errors?: { extensions?: { code?: string } }[];
  };
}

beforeAll(async () => {
  world = await startCycleWorld();
  stage = stages(world);
});
afterAll(() => world?.close());

describe('the reporting calendar', () => {
  it('is set by the planning section only', async () => {
    const input = { municipality: MITAKA, fiscalYear: 2012, deadlines: FY2012 };
    for (const token of [world.tokens.kyoikuEditor, world.tokens.reviewer, undefined]) {
      const refused = await world.gql(SET_CALENDAR, { input }, token);
      expect(refused.data.setReportingCalendar.__typename, JSON.stringify(refused)).toBe(
        'ForbiddenError',
      );
    }
    const set = await world.gql(SET_CALENDAR, { input }, world.tokens.planning);
    expect(set.data.setReportingCalendar.calendar.deadlines).toEqual([
      { kind: 'SELF', name: '自己評価', dueOn: '2013-05-10', remindDaysBefore: 7 },
      { kind: 'FIRST', name: '一次評価', dueOn: '2013-05-31', remindDaysBefore: 7 },
      { kind: 'SECOND', name: '二次評価', dueOn: '2013-06-14', remindDaysBefore: 7 },
      { kind: 'EXTERNAL', name: '外部評価', dueOn: '2013-06-28', remindDaysBefore: 14 },
      { kind: 'ACTUALS', name: '実績', dueOn: '2013-04-30', remindDaysBefore: 7 },
    ]);
    const invalid = await world.gql(
      SET_CALENDAR,
      { input: { ...input, deadlines: [FY2012[0], FY2012[0]] } },
      world.tokens.planning,
    );
    expect(invalid.data.setReportingCalendar.__typename).toBe('ValidationError');
    // Anyone may read the calendar: the city publishes its schedule.
    const read = await world.gql(
      `{ reportingCalendar(municipality: "${MITAKA}", fiscalYear: 2012) { deadlines { kind dueOn } } }`,
    );
    expect(read.data.reportingCalendar.deadlines).toHaveLength(5);
  });
});

describe("a department's pending list", () => {
  it("shows the department's 自己評価 due, and only to its editors and planning", async () => {
    const { data } = await pending(world.tokens.kyoikuEditor, 'kyoiku', '2013-05-01');
    const items = data?.pending ?? [];
    expect(items.map((i) => [i.kind, i.name, i.state, i.dueOn, i.daysLeft])).toEqual([
      ['SELF', '自己評価', 'DUE', '2013-05-10', 9],
      ['SELF', '自己評価', 'DUE', '2013-05-10', 9],
      ['SELF', '自己評価', 'DUE', '2013-05-10', 9],
    ]);
    expect(new Set(items.map((i) => i.department.name))).toEqual(new Set(['教育部']));
    expect(items.map((i) => i.initiative.id)).toEqual(world.fy2012);

    for (const [token, department] of [
      [world.tokens.kikakuEditor, 'kyoiku'], // another department's editor
      [world.tokens.kyoikuEditor, null], // the whole municipality
      [world.tokens.reviewer, 'kyoiku'],
      [undefined, 'kyoiku'],
    ] as const) {
      const refused = await pending(token, department, '2013-05-01');
      expect(refused.data?.pending ?? null).toBeNull();
      expect(refused.errors?.[0]?.extensions?.code).toMatch(/FORBIDDEN|UNAUTHENTICATED/);
    }
  });

  it('no longer shows a 自己評価 once the editor completes it; overdue after the deadline', async () => {
    const [first] = world.fy2012 as [string];
    const recorded = await stage.record(world.tokens.kyoikuEditor, first, 'SELF', null);
    const done = await stage.complete(
      world.tokens.kyoikuEditor,
      recorded.evaluation.id,
      'SELF',
      recorded.evaluation.version,
    );
    expect(done.__typename).toBe('CompleteEvaluationStageSuccess');

    const after = (await pending(world.tokens.kyoikuEditor, 'kyoiku', '2013-05-11')).data?.pending;
    expect(after?.map((i) => i.initiative.id)).toEqual(world.fy2012.slice(1));
    expect(after?.every((i) => i.state === 'OVERDUE' && i.daysLeft === -1)).toBe(true);
  });

  it('shows a 自己評価 sent back by planning as returned, with the reason', async () => {
    const [first] = world.fy2012 as [string];
    const evaluation = await world.db.prisma.evaluation.findFirstOrThrow({
      where: { initiative: { id: Number(Buffer.from(first, 'base64').toString().split(':')[1]) } },
    });
    const id = Buffer.from(`Evaluation:${evaluation.id}`).toString('base64');
    const back = await stage.sendBack(
      world.tokens.planning,
      id,
      'SELF',
      evaluation.version,
      '指標の実績を追記してください',
    );
    expect(back.__typename).toBe('ReturnEvaluationStageSuccess');
    const items = (await pending(world.tokens.kyoikuEditor, 'kyoiku', '2013-05-01')).data?.pending;
    expect(items?.[0]).toMatchObject({
      kind: 'SELF',
      state: 'RETURNED',
      returnReason: '指標の実績を追記してください',
      initiative: { id: first },
    });
    // Complete it again for what follows.
    const again = await world.db.prisma.evaluation.findUniqueOrThrow({
      where: { id: evaluation.id },
    });
    const completed = await stage.complete(world.tokens.kyoikuEditor, id, 'SELF', again.version);
    expect(completed.__typename).toBe('CompleteEvaluationStageSuccess');
  });
});

describe("the planning office's pending list", () => {
  it('lists every department and every stage with a deadline', async () => {
    const items = (await pending(world.tokens.planning, null, '2013-05-01')).data?.pending ?? [];
    const departments = await world.db.prisma.departmentPlan.count({
      where: {
        fiscalYear: 2012,
        status: 'PUBLISHED',
        department: { municipalityId: world.mitakaId },
      },
    });
    expect(new Set(items.map((i) => i.department.code)).size).toBe(departments);
    expect(new Set(items.map((i) => i.kind))).toEqual(
      new Set(['SELF', 'FIRST', 'SECOND', 'EXTERNAL']),
    );
    const [first] = world.fy2012 as [string];
    // Its 自己評価 is done; the planning section's 一次評価 of it is not.
    expect(items.filter((i) => i.initiative.id === first).map((i) => i.kind)).toEqual([
      'FIRST',
      'SECOND',
      'EXTERNAL',
    ]);
    const initiatives = await world.db.prisma.initiative.count({
      where: {
        plan: {
          fiscalYear: 2012,
          status: 'PUBLISHED',
          department: { municipalityId: world.mitakaId },
        },
      },
    });
    expect(items).toHaveLength(initiatives * 4 - 1);
    // The planning section may also read one department's list.
    const kyoiku = (await pending(world.tokens.planning, 'kyoiku', '2013-05-01')).data?.pending;
    expect(kyoiku).toHaveLength(2);
  });
});

describe('actuals (実績)', () => {
  it("are pending for a target without the year's actual, and leave once it is recorded", async () => {
    const [, second] = world.fy2012 as [string, string];
    const initiativeId = Number(Buffer.from(second, 'base64').toString().split(':')[1]);
    // Scenario data: a target of 教育部's second project (the seed has none).
    const target = await world.db.prisma.target.create({
      data: {
        initiativeId,
        indicator: '学校支援者の登録数',
        unit: '人',
        direction: 'AT_LEAST',
        targetValue: 500,
      },
    });
    const TARGET_PENDING = `query { pending(municipality: "${MITAKA}", fiscalYear: 2012, department: "kyoiku", today: "2013-04-25") {
      kind name state daysLeft initiative { id } target { indicator } } }`;
    const before = await world.gql(TARGET_PENDING, {}, world.tokens.kyoikuEditor);
    expect(before.data.pending.filter((i: Item) => i.kind === 'ACTUALS')).toEqual([
      {
        kind: 'ACTUALS',
        name: '実績',
        state: 'DUE',
        daysLeft: 5,
        initiative: { id: second },
        target: { indicator: '学校支援者の登録数' },
      },
    ]);
    // A mid-year actual does not settle it; the year-end one does.
    await world.db.prisma.targetActual.create({
      data: { targetId: target.id, period: '2012年度上半期', measuredOn: '2012-09-30', value: 300 },
    });
    const midYear = await world.gql(TARGET_PENDING, {}, world.tokens.kyoikuEditor);
    expect(midYear.data.pending.some((i: Item) => i.kind === 'ACTUALS')).toBe(true);
    await world.db.prisma.targetActual.create({
      data: { targetId: target.id, period: '2012年度', measuredOn: '2013-03-31', value: 520 },
    });
    const after = await world.gql(TARGET_PENDING, {}, world.tokens.kyoikuEditor);
    expect(after.data.pending.some((i: Item) => i.kind === 'ACTUALS')).toBe(false);
  });
});

describe('reminder events', () => {
  it('go out once per department and phase, from one of several sweeping instances', async () => {
    const a = new Reminders(world.db.prisma);
    const b = new Reminders(world.db.prisma);
    const heard: string[] = [];
    a.subscribe((event) => {
      heard.push(`${event.department.code}:${event.kind}:${event.phase}`);
    });
    // 2013-04-20 in Japan: 自己評価 (due 05-10, 7 days ahead) is not yet near.
    expect(await a.sweep(new Date('2013-04-20T03:00:00Z'))).toEqual([]);
    // 2013-05-05: it approaches for every department with initiatives left.
    const approaching = await a.sweep(new Date('2013-05-05T03:00:00Z'));
    const departments = await world.db.prisma.departmentPlan.count({
      where: {
        fiscalYear: 2012,
        status: 'PUBLISHED',
        department: { municipalityId: world.mitakaId },
      },
    });
    expect(approaching).toHaveLength(departments);
    expect(
      approaching.every((e) => e.kind === 'SELF' && e.phase === 'APPROACHING' && e.daysLeft === 5),
    ).toBe(true);
    expect(approaching.find((e) => e.department.code === 'kyoiku')).toMatchObject({
      name: '自己評価',
      dueOn: '2013-05-10',
      pendingCount: 2,
      municipality: { code: MITAKA },
    });
    expect(heard).toHaveLength(departments);
    // Sent once: the same day again, by either instance, sends nothing.
    expect(await a.sweep(new Date('2013-05-06T03:00:00Z'))).toEqual([]);
    expect(await b.sweep(new Date('2013-05-06T03:00:00Z'))).toEqual([]);
    // 2013-05-11 (JST; 2013-05-10T16:00Z): passed. Two instances at once send each reminder once.
    const now = new Date('2013-05-10T16:00:00Z');
    const [fromA, fromB] = await Promise.all([a.sweep(now), b.sweep(now)]);
    const passed = [...fromA, ...fromB];
    expect(passed).toHaveLength(departments);
    expect(new Set(passed.map((e) => e.department.code)).size).toBe(departments);
    expect(passed.every((e) => e.phase === 'PASSED' && e.daysLeft === -1)).toBe(true);
  });
});
