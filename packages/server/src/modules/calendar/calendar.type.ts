// The reporting calendar and the pending lists as the API shows them. Thin: calendar.service.ts
// checks and computes; reminders.ts sends the reminder events.
import { builder } from '../../graphql/builder.ts';
import { writeErrors } from '../../graphql/error-types.ts';
import { enumValues } from '../../graphql/fields.ts';
import { ReminderState, reminderDeadline } from '../change/change.subscriptions.ts';
import { Department } from '../department/department.type.ts';
import { Initiative } from '../initiative/initiative.type.ts';
import { Municipality } from '../municipality/municipality.type.ts';
import { Target } from '../target/target.type.ts';
import { guardedBy } from '../visibility/visibility.policy.ts';
import {
  type CalendarDeadline,
  type ReportingKind as Kind,
  type PendingItem,
  pendingItems,
  reportingCalendar,
  setReportingCalendar,
} from './calendar.service.ts';

// The stage kinds (from EvaluationStageKind, described there) and the actuals.
export const ReportingKind = builder.enumType('ReportingKind', {
  description: 'What a deadline is for: an evaluation stage (EvaluationStageKind) or ACTUALS.',
  values: [...enumValues('EvaluationStageKind'), 'ACTUALS'] as Kind[],
});

const PendingState = builder.enumType('PendingState', {
  description: 'Where a pending item stands against its deadline.',
  values: {
    DUE: { description: 'Not done; the deadline is today or later.' },
    OVERDUE: { description: 'Not done; the deadline has passed.' },
    RETURNED: { description: 'Sent back by a later stage, with a reason: to be done again.' },
  } as const,
});

export const ReportingDeadlineRef = builder
  .objectRef<CalendarDeadline>('ReportingDeadline')
  .implement({
    description: 'One deadline of a reporting calendar.',
    fields: (t) => ({
      kind: t.field({ type: ReportingKind, resolve: (d) => d.kind }),
      name: t.exposeString('name', { description: 'e.g. 自己評価, 実績' }),
      dueOn: t.field({
        type: 'LocalDate',
        description: 'The last day (Japan); overdue from the day after.',
        resolve: (d) => d.dueOn,
      }),
      remindDaysBefore: t.exposeInt('remindDaysBefore', {
        description: 'Reminders are sent from this many days before dueOn.',
      }),
    }),
  });

builder.objectField(ReminderState, 'deadline', (t) =>
  t.field({
    type: ReportingDeadlineRef,
    description: 'The deadline it was sent for.',
    resolve: (s, _args, ctx) => reminderDeadline(ctx, s),
  }),
);

interface Calendar {
  municipality: { id: number; code: string };
  fiscalYear: number;
  deadlines: CalendarDeadline[];
}

const ReportingCalendarRef = builder.objectRef<Calendar>('ReportingCalendar').implement({
  description:
    "A municipality's reporting calendar for the plans of one fiscal year (their evaluation falls in the spring after it).",
  fields: (t) => ({
    municipality: t.field({ type: Municipality, resolve: (c) => c.municipality as never }),
    fiscalYear: t.exposeInt('fiscalYear'),
    deadlines: t.field({
      type: [ReportingDeadlineRef],
      description: 'In stage order, then the actuals.',
      resolve: (c) => c.deadlines,
    }),
  }),
});

const PendingItemRef = builder.objectRef<PendingItem>('PendingItem').implement({
  description: 'Something a department still has to submit for a fiscal year.',
  fields: (t) => ({
    kind: t.field({ type: ReportingKind, resolve: (i) => i.kind }),
    name: t.exposeString('name', { description: 'e.g. 自己評価, 実績' }),
    state: t.field({ type: PendingState, resolve: (i) => i.state }),
    dueOn: t.field({ type: 'LocalDate', nullable: true, resolve: (i) => i.dueOn }),
    daysLeft: t.exposeInt('daysLeft', {
      nullable: true,
      description: 'Days until dueOn (negative when overdue).',
    }),
    department: t.field({ type: Department, resolve: (i) => i.department }),
    initiative: t.field({
      type: Initiative,
      resolve: (i) => i.initiative,
      ...guardedBy('initiative', 'pendingItems reads plans AND visiblePlans'),
    }),
    target: t.field({
      type: Target,
      nullable: true,
      description: 'ACTUALS: the target whose year-end actual is missing.',
      resolve: (i) => i.target,
      ...guardedBy('initiative', "a target of a listed (visible) plan's initiative"),
    }),
    returnReason: t.exposeString('returnReason', { nullable: true }),
  }),
});

builder.queryFields((t) => ({
  reportingCalendar: t.field({
    type: ReportingCalendarRef,
    description: "The deadlines of a municipality's reporting calendar for one fiscal year.",
    args: {
      municipality: t.arg.string({ required: true, description: 'National code, e.g. 132047.' }),
      fiscalYear: t.arg.int({ required: true }),
    },
    resolve: (_root, args, ctx) => reportingCalendar(ctx, args.municipality, args.fiscalYear),
  }),
  pending: t.field({
    type: [PendingItemRef],
    description:
      "What is still to be submitted for a fiscal year's plans: due, overdue or returned. With `department`: that department's own items (its 自己評価 and actuals), for its editors and planning. Without: every department's items of every stage, for the planning section.",
    authScopes: { authenticated: true },
    args: {
      municipality: t.arg.string({ required: true, description: 'National code, e.g. 132047.' }),
      fiscalYear: t.arg.int({ required: true }),
      department: t.arg.string({ description: 'A department code, e.g. kyoiku.' }),
      today: t.arg({
        type: 'LocalDate',
        description: "The day to judge by (Japan's today when absent).",
      }),
    },
    resolve: (_root, args, ctx) => pendingItems(ctx, args),
  }),
}));

const ReportingDeadlineInput = builder.inputType('ReportingDeadlineInput', {
  fields: (t) => ({
    kind: t.field({ type: ReportingKind, required: true }),
    dueOn: t.field({ type: 'LocalDate', required: true }),
    remindDaysBefore: t.int({ description: '0 to 366; 7 when absent.' }),
  }),
});

const SetReportingCalendarInput = builder.inputType('SetReportingCalendarInput', {
  fields: (t) => ({
    municipality: t.string({ required: true, description: 'National code, e.g. 132047.' }),
    fiscalYear: t.int({ required: true }),
    deadlines: t.field({
      type: [ReportingDeadlineInput],
      required: true,
      description: 'Each kind at most once; kinds left out have no deadline.',
    }),
  }),
});

builder.mutationFields((t) => ({
  setReportingCalendar: t.field({
    type: ReportingCalendarRef,
    description:
      "Sets a fiscal year's reporting calendar (replacing it). The municipality's planning section and admins only.",
    authScopes: { planning: true },
    errors: { types: [...writeErrors], dataField: { name: 'calendar' } },
    args: { input: t.arg({ type: SetReportingCalendarInput, required: true }) },
    resolve: (_root, { input }, ctx) => setReportingCalendar(ctx, input),
  }),
}));
