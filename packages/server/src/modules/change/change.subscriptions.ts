// Live updates: subscriptions to changes of plans, initiatives, evaluations, targets and their
// actuals, relative to the viewer. Each committed change record is judged for the subscriber by the one visibility model
// (judgeChange: a pure function of the record's recorded audiences) and delivered as the entity
// ENTERED their view (with its state as of that change), MODIFIED within it, or LEFT it, or not
// at all. Live delivery and replay from a cursor run the same judgment on the same records, so
// they give the same events. Served over SSE and graphql-ws (see http/server.ts).
import { encodeGlobalID } from '@pothos/plugin-relay';
import { type GraphQLSchema, isObjectType } from 'graphql';
import type { ChangeRecord } from '../../../generated/prisma/client.ts';
import { SNAPSHOT_FIELDS } from '../../db/audience.ts';
import { ErrorCode, UserInputError } from '../../errors.ts';
import { builder, QueryRoot } from '../../graphql/builder.ts';
import type { Context } from '../../graphql/context.ts';
import { columnFields, shownColumn } from '../../graphql/fields.ts';
import { changeStream, type ViewerEvent } from '../../live/change-stream.ts';
import { readCalendar } from '../calendar/calendar.service.ts';
import { Department } from '../department/department.type.ts';
import {
  changesShownDepartment,
  formerNamesSelect,
  shownInYear,
} from '../department/department-naming.ts';
import { Evaluation } from '../evaluation/evaluation.type.ts';
import { parseFiscalYear } from '../fiscal-year/fiscal-year.type.ts';
import { Initiative } from '../initiative/initiative.type.ts';
import { requireDepartment, requireMunicipality } from '../municipality/municipality.lookup.ts';
import { DepartmentPlan } from '../plan/plan.type.ts';
import { Target, TargetActual } from '../target/target.type.ts';
import { guardedBy, liveJudge } from '../visibility/visibility.policy.ts';
import { Change } from './change.type.ts';
import { showReferencesInRequest } from './references.ts';

const LiveFilter = builder.inputType('LiveFilter', {
  fields: (t) => ({
    municipality: t.string({ description: 'National code, e.g. 132047.' }),
    fiscalYear: t.int(),
    department: t.string({ description: 'Department code (needs municipality).' }),
  }),
});

type Filter = {
  municipality?: string | null;
  fiscalYear?: number | null;
  department?: string | null;
};

function parseCursor(after: string | null | undefined): bigint | undefined {
  if (after == null) return undefined;
  if (!/^\d{1,19}$/.test(after)) {
    throw new UserInputError(
      ErrorCode.INVALID_CURSOR,
      `"after" must be a cursor of an earlier event`,
    );
  }
  return BigInt(after);
}

async function subscribe(
  ctx: Context,
  entityTypes: string[],
  filter: Filter | null | undefined,
  after: string | null | undefined,
) {
  const cursor = parseCursor(after);
  const fiscalYearFilter =
    filter?.fiscalYear == null ? undefined : parseFiscalYear(filter.fiscalYear).year;
  if (filter?.department && !filter.municipality) {
    throw new UserInputError(ErrorCode.BAD_USER_INPUT, '"department" needs "municipality"');
  }
  const department =
    filter?.department && filter.municipality
      ? await requireDepartment(ctx.prisma, filter.municipality, filter.department)
      : undefined;
  const municipality = filter?.municipality
    ? await requireMunicipality(ctx.prisma, filter.municipality)
    : undefined;
  await ctx.live.ready();
  const { viewer } = ctx;
  // A record's place (municipality, department, fiscal year) never changes, so the filter is
  // judged on the record alone; an entity cannot move out of a filter by a later change.
  return changeStream(ctx.live.feed, ctx.prisma, liveJudge(viewer), {
    scope: {
      entityTypes,
      municipalityId: municipality?.id,
      departmentId: department?.id,
      fiscalYear: fiscalYearFilter,
    },
    after: cursor,
    maxBuffer: ctx.live.maxBuffer,
  });
}

export const LiveEventKind = builder.enumType('LiveEventKind', {
  description: 'What a change means to you, the subscriber.',
  values: {
    ENTERED: {
      description: 'The record became visible to you (created, or published): its whole state.',
    },
    MODIFIED: { description: 'A record you could see, and still can, changed.' },
    LEFT: {
      description: 'The record is no longer visible to you (unpublished or deleted): drop it.',
    },
  } as const,
});

// ---- The entity's state as of the change (the record's snapshot) ----

type Snapshot = Record<string, unknown> & { id: number };

// Snapshots of plan changes made by a department edit (a rename...): their department is read
// afresh, not from the memo below, so this event and the ones after it show the edit.
const departmentEdited = new WeakSet<object>();

// The change each snapshot stands at: a reference in it shows as of that point.
const snapshotAt = new WeakMap<object, bigint>();

function snapshotOf(event: ViewerEvent): Snapshot | null {
  if (event.kind === 'LEFT') return null;
  const snapshot = (event.record.snapshot as Snapshot | null) ?? null;
  if (snapshot && changesShownDepartment(event.record.changes)) departmentEdited.add(snapshot);
  if (snapshot) snapshotAt.set(snapshot, event.record.id);
  return snapshot;
}

const gidOrNull = (type: string, id: unknown) =>
  typeof id === 'number' ? encodeGlobalID(type, id) : null;

// A replay delivers many events in a burst, and each plan's department would be one statement
// per event: a subscription (one context) reads each department once per second at most.
const DEPARTMENT_MEMO_MS = 1000;
const departmentMemos = new WeakMap<
  Context,
  Map<number, { at: number; department: Promise<unknown> }>
>();
function departmentOf(ctx: Context, id: number, fresh: boolean) {
  let memo = departmentMemos.get(ctx);
  if (!memo) {
    memo = new Map();
    departmentMemos.set(ctx, memo);
  }
  const now = Date.now();
  const seen = memo.get(id);
  if (seen && !fresh && now - seen.at < DEPARTMENT_MEMO_MS) {
    return seen.department as ReturnType<typeof findDepartment>;
  }
  if (memo.size > 1000) memo.clear();
  const department = findDepartment(ctx, id);
  memo.set(id, { at: now, department });
  department.catch(() => memo?.delete(id));
  return department;
}
const findDepartment = (ctx: Context, id: number) =>
  ctx.prisma.department.findUniqueOrThrow({ where: { id }, include: formerNamesSelect });

/**
 * The fields of a live state type that come from its entity type: each field of `entityType`
 * that shows a column the snapshot carries (graphql/fields.ts, db/audience.ts), with the same
 * type and description, resolved by the entity field's own resolver from the snapshot (which
 * holds the row's columns under their names). A new exposed field is carried as it is.
 */
// biome-ignore lint/suspicious/noExplicitAny: field configs of any entity type, re-declared.
function stateFieldsOf(t: any, entity: { name: string }) {
  const entityType = entity.name as keyof typeof SNAPSHOT_FIELDS;
  const inSnapshot = new Set<string>(SNAPSHOT_FIELDS[entityType]);
  const fields: Record<string, unknown> = {};
  // Filled by now: the entity types are imported, so declared (and their fields collected)
  // before this one.
  const configs = builder.configStore.getFields(entityType, 'Object');
  if (configs.size === 0) throw new Error(`${entityType}'s fields are not collected yet`);
  for (const [name, config] of configs) {
    const shown = shownColumn(config.extensions);
    if (!shown || !inSnapshot.has(shown.column)) continue;
    const resolve = config.pothosOptions.resolve as (...args: unknown[]) => unknown;
    const type = config.type;
    fields[name] = t.field({
      ...(type.kind !== 'List'
        ? { type: type.ref, nullable: type.nullable }
        : {
            type: [(type.type as { ref: unknown }).ref],
            nullable: { list: type.nullable, items: type.type.nullable },
          }),
      ...(config.description ? { description: config.description } : {}),
      resolve,
    });
  }
  return fields;
}

export const PlanState = builder.objectRef<Snapshot>('PlanState').implement({
  description: 'A plan as it was right after a change (the same fields as DepartmentPlan).',
  fields: (t) => ({
    ...stateFieldsOf(t, DepartmentPlan),
    id: t.id({ resolve: (s) => encodeGlobalID('DepartmentPlan', s.id) }),
    department: t.field({
      type: Department,
      description: "Its department, named as it was in the plan's fiscal year.",
      // A copy: one memoised row serves plans of several years.
      resolve: async (s, _args, ctx) =>
        shownInYear(
          { ...(await departmentOf(ctx, s.departmentId as number, departmentEdited.has(s))) },
          s.fiscalYear as number,
        ),
    }),
  }),
});

export const InitiativeState = builder.objectRef<Snapshot>('InitiativeState').implement({
  description: 'An initiative as it was right after a change (the same fields as Initiative).',
  fields: (t) => ({
    ...stateFieldsOf(t, Initiative),
    id: t.id({ resolve: (s) => encodeGlobalID('Initiative', s.id) }),
    planId: t.id({
      description: 'Global ID of its plan.',
      resolve: (s) => encodeGlobalID('DepartmentPlan', s.planId as number),
    }),
  }),
});

export const EvaluationState = builder.objectRef<Snapshot>('EvaluationState').implement({
  description: 'An evaluation as it was right after a change (the same fields as Evaluation).',
  fields: (t) => ({
    ...stateFieldsOf(t, Evaluation),
    id: t.id({ resolve: (s) => encodeGlobalID('Evaluation', s.id) }),
    initiativeId: t.id({
      description: 'Global ID of the evaluated initiative.',
      resolve: (s) => encodeGlobalID('Initiative', s.initiativeId as number),
    }),
    nextInitiativeId: t.id({
      nullable: true,
      description:
        'Global ID of the initiative that carries it on, when you could see that initiative as of this change; otherwise null.',
      resolve: async (s, _args, ctx) => {
        const at = snapshotAt.get(s);
        if (at === undefined || s.nextInitiativeId == null) return null;
        const [shown] = await showReferencesInRequest(ctx, [
          { field: 'nextInitiativeId', value: s.nextInitiativeId, at },
        ]);
        return (shown as string | null) ?? null;
      },
    }),
    whitePaperId: t.id({
      nullable: true,
      resolve: (s) => gidOrNull('WhitePaper', s.whitePaperId),
    }),
  }),
});

export const TargetState = builder.objectRef<Snapshot>('TargetState').implement({
  description:
    'A target (指標と目標値) as it was right after a change (the same fields as Target, without its actuals: they have events of their own).',
  fields: (t) => ({
    ...stateFieldsOf(t, Target),
    id: t.id({ resolve: (s) => encodeGlobalID('Target', s.id) }),
    initiativeId: t.id({
      description: 'Global ID of its initiative.',
      resolve: (s) => encodeGlobalID('Initiative', s.initiativeId as number),
    }),
  }),
});

export const TargetActualState = builder.objectRef<Snapshot>('TargetActualState').implement({
  description: 'An actual (実績) as it was right after a change (the same fields as TargetActual).',
  fields: (t) => ({
    ...stateFieldsOf(t, TargetActual),
    id: t.id({ resolve: (s) => encodeGlobalID('TargetActual', s.id) }),
    targetId: t.id({
      description: 'Global ID of its target.',
      resolve: (s) => encodeGlobalID('Target', s.targetId as number),
    }),
  }),
});

/** The fields every event has; the entity's state is added under its own name. */
function eventType(name: string, entityTypeName: string, description: string) {
  return builder.objectRef<ViewerEvent>(name).implement({
    description,
    fields: (t) => ({
      cursor: t.string({
        description: 'Pass as `after` to resume right after this event.',
        resolve: ({ record }) => record.id.toString(),
      }),
      kind: t.field({ type: LiveEventKind, resolve: ({ kind }) => kind }),
      at: t.field({ type: 'DateTime', resolve: ({ record }) => record.createdAt }),
      id: t.id({
        description: `Global ID of the ${entityTypeName} (also when it left your view).`,
        resolve: ({ record }) => encodeGlobalID(record.entityType, record.entityId),
      }),
      change: t.field({
        type: Change,
        description: 'The change as you may see it (see Change.changes and Change.actor).',
        resolve: ({ record }): ChangeRecord => record,
        ...guardedBy('change', 'delivered only when judgeChange allows'),
      }),
    }),
  });
}

const PlanEvent = eventType('PlanEvent', 'plan', 'A committed change to a plan, as you see it.');
const InitiativeEvent = eventType(
  'InitiativeEvent',
  'initiative',
  'A committed change to an initiative, as you see it.',
);
const EvaluationEvent = eventType(
  'EvaluationEvent',
  'evaluation',
  'A committed change to an evaluation, as you see it.',
);

const TargetEvent = eventType(
  'TargetEvent',
  'target',
  'A committed change to a target (指標と目標値), as you see it.',
);
const TargetActualEvent = eventType(
  'TargetActualEvent',
  'actual',
  'A committed change to an actual (実績), as you see it.',
);

const STATE = 'Its state right after this change (ENTERED, MODIFIED); null when it LEFT your view.';
builder.objectField(PlanEvent, 'plan', (t) =>
  t.field({
    type: PlanState,
    nullable: true,
    description: STATE,
    resolve: snapshotOf,
    ...guardedBy('plan', 'snapshot of a record judged by judgeChange'),
  }),
);
builder.objectField(InitiativeEvent, 'initiative', (t) =>
  t.field({
    type: InitiativeState,
    nullable: true,
    description: STATE,
    resolve: snapshotOf,
    ...guardedBy('initiative', 'snapshot of a record judged by judgeChange'),
  }),
);
builder.objectField(EvaluationEvent, 'evaluation', (t) =>
  t.field({
    type: EvaluationState,
    nullable: true,
    description: STATE,
    resolve: snapshotOf,
    ...guardedBy('evaluation', 'snapshot of a record judged by judgeChange'),
  }),
);

// Targets and actuals are seen exactly when their initiative is (their records carry its
// audience: db/audience.ts), so they are guarded as initiatives.
builder.objectField(TargetEvent, 'target', (t) =>
  t.field({
    type: TargetState,
    nullable: true,
    description: STATE,
    resolve: snapshotOf,
    ...guardedBy('initiative', 'snapshot of a record judged by judgeChange'),
  }),
);
builder.objectField(TargetActualEvent, 'actual', (t) =>
  t.field({
    type: TargetActualState,
    nullable: true,
    description: STATE,
    resolve: snapshotOf,
    ...guardedBy('initiative', 'snapshot of a record judged by judgeChange'),
  }),
);

const ReminderPhase = builder.enumType('ReminderPhase', {
  description: 'Why a reminder was sent.',
  values: {
    APPROACHING: {
      description: 'The deadline is near (within its remindDaysBefore days) and items are pending.',
    },
    PASSED: { description: 'The deadline has passed and items are still pending.' },
  } as const,
});

// A reminder's deadline, read once per snapshot: its deadline, year and department fields all
// need it.
const deadlines = new WeakMap<Snapshot, ReturnType<typeof readDeadline>>();

async function readDeadline(ctx: Context, deadlineId: number) {
  const row = await ctx.prisma.reportingDeadline.findUniqueOrThrow({ where: { id: deadlineId } });
  const calendar = await readCalendar(ctx.prisma, row.municipalityId, row.fiscalYear);
  return calendar.find((deadline) => deadline.id === deadlineId) ?? { ...row, name: row.kind };
}

/** The deadline a reminder was sent for, with its name (自己評価, 実績...) and year. */
export function reminderDeadline(ctx: Context, reminder: Snapshot) {
  let deadline = deadlines.get(reminder);
  if (!deadline) {
    deadline = readDeadline(ctx, reminder.deadlineId as number);
    deadlines.set(reminder, deadline);
  }
  return deadline;
}

export const ReminderState = builder.objectRef<Snapshot>('ReminderState').implement({
  description:
    'A reminder as it was sent: a department still had items pending against a deadline of the reporting calendar as it approached or passed (modules/calendar/reminders.ts). One per department, deadline, phase and due day.',
  fields: (t) => ({
    id: t.id({ resolve: (s) => encodeGlobalID('ReportingReminder', s.id) }),
    phase: t.field({
      type: ReminderPhase,
      resolve: (s) => s.phase as 'APPROACHING' | 'PASSED',
    }),
    dueOn: t.field({
      type: 'LocalDate',
      description: 'The deadline it was sent for (Japan).',
      resolve: (s) => s.dueOn as string,
    }),
    pendingCount: t.int({
      description: "How many items of the deadline's kind the department still had pending.",
      resolve: (s) => s.pendingCount as number,
    }),
    sentAt: t.field({ type: 'DateTime', resolve: (s) => new Date(s.sentAt as string) }),
    // deadline: declared with its type (calendar.type.ts).
    fiscalYear: t.int({
      description: 'The fiscal year of the plans the deadline is for.',
      resolve: async (s, _args, ctx) => (await reminderDeadline(ctx, s)).fiscalYear,
    }),
    department: t.field({
      type: Department,
      description: 'The department with items pending, named as it was in that fiscal year.',
      resolve: async (s, _args, ctx) =>
        shownInYear(
          { ...(await departmentOf(ctx, s.departmentId as number, false)) },
          (await reminderDeadline(ctx, s)).fiscalYear,
        ),
    }),
  }),
});

const ReminderEvent = eventType(
  'ReminderEvent',
  'reminder',
  'A reminder sent to a department (and the planning office) about items pending against a deadline.',
);
builder.objectField(ReminderEvent, 'reminder', (t) =>
  t.field({
    type: ReminderState,
    nullable: true,
    description:
      'The reminder as sent (a reminder only ever ENTERS: it is not changed afterwards).',
    resolve: snapshotOf,
    ...guardedBy('change', 'snapshot of a record judged by judgeChange'),
  }),
);

/**
 * The subscription field that carries each entity type's events: the one list of what the
 * live feed announces (webhooks send the same, their event types named after these fields).
 */
export const LIVE_EVENT_FIELDS = {
  DepartmentPlan: 'planChanged',
  Initiative: 'initiativeChanged',
  Evaluation: 'evaluationChanged',
  Target: 'targetChanged',
  TargetActual: 'targetActualChanged',
  ReportingReminder: 'reminderChanged',
} as const;
export type LiveEntityType = keyof typeof LIVE_EVENT_FIELDS;

const AFTER = 'Resume after this event cursor: missed events first, then live.';
const LIVE = 'delivered only when judgeChange (visibility.policy.ts) allows';

builder.subscriptionFields((t) => ({
  planChanged: t.field({
    type: PlanEvent,
    description:
      'Plans entering your view (created, published), modified in it, or leaving it (unpublished, deleted).',
    args: { filter: t.arg({ type: LiveFilter }), after: t.arg.string({ description: AFTER }) },
    subscribe: (_root, args, ctx) => subscribe(ctx, ['DepartmentPlan'], args.filter, args.after),
    resolve: (event) => event,
    ...guardedBy('plan', LIVE),
  }),
  initiativeChanged: t.field({
    type: InitiativeEvent,
    description:
      'Initiatives entering your view (added, or their plan published), modified in it, or leaving it.',
    args: { filter: t.arg({ type: LiveFilter }), after: t.arg.string({ description: AFTER }) },
    subscribe: (_root, args, ctx) => subscribe(ctx, ['Initiative'], args.filter, args.after),
    resolve: (event) => event,
    ...guardedBy('initiative', LIVE),
  }),
  evaluationChanged: t.field({
    type: EvaluationEvent,
    description: 'Evaluations entering your view (published), modified in it, or leaving it.',
    args: { filter: t.arg({ type: LiveFilter }), after: t.arg.string({ description: AFTER }) },
    subscribe: (_root, args, ctx) => subscribe(ctx, ['Evaluation'], args.filter, args.after),
    resolve: (event) => event,
    ...guardedBy('evaluation', LIVE),
  }),
  targetChanged: t.field({
    type: TargetEvent,
    description:
      'Targets entering your view (added, or their plan published), modified in it, or leaving it (removed, or their plan unpublished).',
    args: { filter: t.arg({ type: LiveFilter }), after: t.arg.string({ description: AFTER }) },
    subscribe: (_root, args, ctx) => subscribe(ctx, ['Target'], args.filter, args.after),
    resolve: (event) => event,
    ...guardedBy('initiative', LIVE),
  }),
  targetActualChanged: t.field({
    type: TargetActualEvent,
    description:
      'Actuals (実績) entering your view (recorded, or their plan published), modified in it, or leaving it.',
    args: { filter: t.arg({ type: LiveFilter }), after: t.arg.string({ description: AFTER }) },
    subscribe: (_root, args, ctx) => subscribe(ctx, ['TargetActual'], args.filter, args.after),
    resolve: (event) => event,
    ...guardedBy('initiative', LIVE),
  }),
  reminderChanged: t.field({
    type: ReminderEvent,
    description:
      "Reminders of the reporting calendar as they are sent: to the department's staff and the planning office (staff only, like drafts).",
    args: { filter: t.arg({ type: LiveFilter }), after: t.arg.string({ description: AFTER }) },
    subscribe: (_root, args, ctx) => subscribe(ctx, ['ReportingReminder'], args.filter, args.after),
    resolve: (event) => event,
    ...guardedBy('change', LIVE),
  }),
}));

/**
 * The fields a live event's selection may reach and still be executed once for every
 * subscriber of a visibility class (live/shared-execution.ts): each reads its parent (the
 * event, its record and snapshot), its arguments and at most the viewer's visibility class
 * (judgeChange, seesActorToken), never anything else of the context (the token's own id,
 * as sealed connection cursors do; the client's address). A document selecting any other
 * field is executed per subscriber. Adding a field here claims exactly that of its resolver.
 */
export const SHAREABLE_EVENT_FIELDS: ReadonlySet<string> = new Set([
  'Subscription.planChanged',
  'Subscription.initiativeChanged',
  'Subscription.evaluationChanged',
  'Subscription.targetChanged',
  'Subscription.targetActualChanged',
  'Subscription.reminderChanged',
  'PlanEvent.*',
  'InitiativeEvent.*',
  'EvaluationEvent.*',
  'TargetEvent.*',
  'TargetActualEvent.*',
  'ReminderEvent.*',
  'PlanState.*',
  'InitiativeState.*',
  'EvaluationState.*',
  'TargetState.*',
  'TargetActualState.*',
  // A reminder's deadline and department: read by id, the same for every viewer who sees it.
  'ReminderState.*',
  ...['kind', 'name', 'dueOn', 'remindDaysBefore'].map((field) => `ReportingDeadline.${field}`),
  // Change: actor (seesActorToken) and changes (judgeChange) read the class only.
  ...['sequence', 'action', 'actor', 'office', 'at', 'entityType', 'entityId', 'fiscalYear'].map(
    (field) => `Change.${field}`,
  ),
  'Change.changes',
  'FieldChange.*',
  ...['year', 'label', 'labelEn', 'era', 'eraYear', 'startDate', 'endDate'].map(
    (field) => `FiscalYear.${field}`,
  ),
  // A department's id; its own columns are added below (not its connections, plans or
  // history, nor anything beyond).
  'Department.id',
]);

/**
 * SHAREABLE_EVENT_FIELDS and every field of Department that shows one of its columns plainly
 * or by a declared read (graphql/fields.ts): such a field reads its parent row only.
 */
export function shareableEventFields(schema: GraphQLSchema): ReadonlySet<string> {
  const department = schema.getType('Department');
  const columns = isObjectType(department) ? columnFields(department) : [];
  return new Set([
    ...SHAREABLE_EVENT_FIELDS,
    ...columns
      .filter((field) => field.exposed || field.read)
      .map((field) => `Department.${field.name}`),
  ]);
}

// ---- Snapshot + stream = state ----

const LiveSnapshot = builder.objectRef<{ cursor: string }>('LiveSnapshot').implement({
  description:
    'A cursor and the data read after it, in one request: subscribe with `after: cursor` and apply the events to the data (see docs/live-updates.md).',
  fields: (t) => ({
    cursor: t.string({
      description:
        'The newest change when this request began ("0" before any). Every later change comes as an event after it.',
      resolve: (s) => s.cursor,
    }),
    query: t.field({
      type: QueryRoot,
      ...guardedBy('delegated', 'the root Query: each of its fields is checked itself'),
      description: 'Any query, read after the cursor: plans, initiatives, evaluations...',
      resolve: () => ({}),
    }),
  }),
});

builder.queryField('liveSnapshot', (t) =>
  t.field({
    ...guardedBy('delegated', 'returns a cursor and the root Query'),
    type: LiveSnapshot,
    description:
      'Read a snapshot and the cursor it corresponds to in one request: `liveSnapshot { cursor query { plans { ... } } }`.',
    // The cursor is read before any field under `query` runs (a parent resolves before its
    // children). A change that commits in between is both in the data and replayed after the
    // cursor; events carry full states, so applying it twice gives the same result.
    resolve: async (_root, _args, ctx) => {
      const newest = await ctx.prisma.changeRecord.findFirst({
        orderBy: { id: 'desc' },
        select: { id: true },
      });
      return { cursor: (newest?.id ?? 0n).toString() };
    },
  }),
);
