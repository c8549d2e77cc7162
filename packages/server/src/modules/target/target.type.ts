// Target (指標と目標値) and its actuals (実績), each target's computed status with the rule that
// decided it, and a municipality's status rules. Targets are visible exactly when their
// initiative is (and so their plan).
import { builder } from '../../graphql/builder.ts';
import type { Context } from '../../graphql/context.ts';
import { fieldFacts, notExported } from '../../graphql/fields.ts';
import { Initiative } from '../initiative/initiative.type.ts';
import { requireMunicipality } from '../municipality/municipality.lookup.ts';
import { guardedBy, visibleInitiatives } from '../visibility/visibility.policy.ts';
import {
  type ActualFacts,
  DEFAULT_RULES,
  explainStatus,
  ruleSetFor,
  rulesFrom,
  STATUSES,
  type StatusExplanation,
  type StatusRule,
  type StatusValues,
  type TargetFacts,
} from './status-rules.ts';

export const TargetDirection = builder.enumType('TargetDirection', {
  values: {
    AT_LEAST: { description: 'Reach at least targetValue (more is better).' },
    AT_MOST: { description: 'Come down to at most targetValue (less is better).' },
    WITHIN_RANGE: { description: 'Stay within rangeMin..rangeMax.' },
    MILESTONE: { description: 'Reach it by targetDate.' },
  } as const,
});

export const TargetStatus = builder.enumType('TargetStatus', {
  values: Object.fromEntries(STATUSES.map((s) => [s, {}])) as Record<
    (typeof STATUSES)[number],
    object
  >,
});

export const StatusRuleRef = builder.objectRef<StatusRule>('StatusRule').implement({
  description: 'One rule of a status rule set: when its condition holds, it decides the status.',
  fields: (t) => ({
    id: t.exposeString('id'),
    status: t.field({ type: TargetStatus, resolve: (r) => r.status }),
    description: t.exposeString('description', {
      description: 'In Japanese (the default rules), or as the city wrote it.',
    }),
    descriptionEn: t.string({
      nullable: true,
      description: 'In English, when given.',
      resolve: (r) => r.descriptionEn ?? null,
    }),
    when: t.field({
      type: 'JSON',
      description: 'The condition, in the format of docs/targets-and-as-of.md.',
      resolve: (r) => r.when,
    }),
  }),
});

const StatusValuesRef = builder.objectRef<StatusValues>('TargetStatusValues').implement({
  description: 'The values a status was computed from.',
  fields: (t) => ({
    baseline: t.exposeFloat('baseline', { nullable: true }),
    targetValue: t.exposeFloat('targetValue', { nullable: true }),
    rangeMin: t.exposeFloat('rangeMin', { nullable: true }),
    rangeMax: t.exposeFloat('rangeMax', { nullable: true }),
    targetDate: t.exposeString('targetDate', { nullable: true }),
    latestValue: t.exposeFloat('latestValue', { nullable: true }),
    latestReachedOn: t.exposeString('latestReachedOn', { nullable: true }),
    latestPeriod: t.exposeString('latestPeriod', { nullable: true }),
    measuredOn: t.exposeString('measuredOn', {
      nullable: true,
      description: 'The date of the latest actual: the status stands at that date.',
    }),
    meetsTarget: t.exposeBoolean('meetsTarget'),
    periodEnded: t.exposeBoolean('periodEnded'),
    progressPercent: t.exposeFloat('progressPercent', {
      nullable: true,
      description: 'Share of the way from baseline to target covered by the latest actual.',
    }),
    expectedPercent: t.exposeFloat('expectedPercent', {
      nullable: true,
      description: "Share of the target's period elapsed at the latest actual's date.",
    }),
    gapPoints: t.exposeFloat('gapPoints', {
      nullable: true,
      description: 'expectedPercent - progressPercent: how far behind schedule.',
    }),
  }),
});

export const StatusExplanationRef = builder
  .objectRef<StatusExplanation>('TargetStatusExplanation')
  .implement({
    description: 'A computed status and why: the rule that decided it and the values it saw.',
    fields: (t) => ({
      status: t.field({ type: TargetStatus, resolve: (e) => e.status }),
      rule: t.field({ type: StatusRuleRef, resolve: (e) => e.rule }),
      values: t.field({ type: StatusValuesRef, resolve: (e) => e.values }),
      reason: t.exposeString('reason', { description: 'In Japanese.' }),
      reasonEn: t.exposeString('reasonEn', { description: 'In English.' }),
    }),
  });

// ---- Rules per municipality, read once per request ----

type RuleSets = Array<{ fromFiscalYear: number; rules: unknown }>;
const rulesCache = new WeakMap<object, Map<number, Promise<RuleSets>>>();

/** The rules that apply to a municipality's fiscal year (each set valid from its year on). */
export async function rulesFor(
  ctx: Pick<Context, 'prisma'>,
  municipalityId: number,
  fiscalYear: number,
) {
  let byMunicipality = rulesCache.get(ctx);
  if (!byMunicipality) {
    byMunicipality = new Map();
    rulesCache.set(ctx, byMunicipality);
  }
  let sets = byMunicipality.get(municipalityId);
  if (!sets) {
    sets = ctx.prisma.statusRuleSet.findMany({
      where: { municipalityId },
      select: { fromFiscalYear: true, rules: true },
    });
    byMunicipality.set(municipalityId, sets);
  }
  return rulesFrom(ruleSetFor(await sets, fiscalYear)?.rules);
}

export interface TargetRow {
  direction: TargetFacts['direction'];
  baseline: number | null;
  targetValue: number | null;
  rangeMin: number | null;
  rangeMax: number | null;
  targetDate: string | null;
}

/** A target's facts: its period runs from its fiscal year's first day to the due date. */
export function factsOf(target: TargetRow, fiscalYear: number): TargetFacts {
  return {
    ...target,
    periodStart: `${fiscalYear}-04-01`,
    periodEnd:
      target.direction === 'MILESTONE' && target.targetDate
        ? target.targetDate
        : `${fiscalYear + 1}-03-31`,
  };
}

/** What the status field and the roll-ups select for each target. */
export const statusSelect = {
  direction: true,
  baseline: true,
  targetValue: true,
  rangeMin: true,
  rangeMax: true,
  targetDate: true,
  weight: true,
  initiative: {
    select: {
      plan: { select: { fiscalYear: true, department: { select: { municipalityId: true } } } },
    },
  },
  actuals: {
    orderBy: { measuredOn: 'desc' },
    take: 1,
    select: { period: true, measuredOn: true, value: true, reachedOn: true },
  },
} as const;

export async function explainTarget(
  ctx: Pick<Context, 'prisma'>,
  target: TargetRow & {
    initiative: { plan: { fiscalYear: number; department: { municipalityId: number } } };
    actuals: ActualFacts[];
  },
) {
  const { plan } = target.initiative;
  const rules = await rulesFor(ctx, plan.department.municipalityId, plan.fiscalYear);
  // The latest measurement, whichever order the actuals were loaded in.
  const latest = target.actuals.reduce<ActualFacts | null>(
    (found, actual) => (found && found.measuredOn >= actual.measuredOn ? found : actual),
    null,
  );
  return explainStatus(rules, factsOf(target, plan.fiscalYear), latest);
}

/** A target's actuals as its `actuals` field lists them: oldest first. */
const actualsOrder = { orderBy: { measuredOn: 'asc' } } as const;

// ---- Types ----

export const TargetActual = builder.prismaNode('TargetActual', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: Number(id), target: { initiative: visibleInitiatives(ctx) } }),
  ...guardedBy('initiative', 'node(id:) findUnique: its initiative is visible'),
  nullable: true,
  description: "What a target's indicator measured in one period (実績).",
  fields: (t) => ({
    period: t.exposeString('period', {
      description: 'e.g. 2012年度上半期.',
      ...fieldFacts({
        openData: { ja: '期間', en: 'Period', sourceTerm: '実績', maxLength: 100 },
      }),
    }),
    measuredOn: t.expose('measuredOn', {
      type: 'LocalDate',
      ...fieldFacts({
        openData: {
          ja: '測定日',
          en: 'Measured on',
          description:
            'The date the measurement stands at (YYYY-MM-DD); one actual per target and date.',
          identifiesRow: true,
        },
      }),
    }),
    value: t.exposeFloat('value', {
      nullable: true,
      ...fieldFacts({
        openData: {
          ja: '実績値',
          en: 'Value',
          description: 'The measured value (empty for a milestone).',
        },
      }),
    }),
    reachedOn: t.expose('reachedOn', {
      type: 'LocalDate',
      nullable: true,
      description: 'MILESTONE: when it was reached (null while not yet).',
      ...fieldFacts({ openData: { ja: '達成日', en: 'Reached on' } }),
    }),
    version: t.exposeInt('version', notExported()),
  }),
});

export const Target = builder.prismaNode('Target', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: Number(id), initiative: visibleInitiatives(ctx) }),
  ...guardedBy('initiative', 'node(id:) findUnique: its initiative is visible'),
  nullable: true,
  description: 'A measurable target (指標と目標値) of an initiative.',
  fields: (t) => ({
    indicator: t.exposeString('indicator', {
      ...fieldFacts({
        openData: {
          ja: '指標',
          en: 'Indicator',
          sourceTerm: '指標と目標値',
          description: 'The indicator measured, e.g. 学校図書館の貸出冊数.',
          maxLength: 200,
        },
      }),
    }),
    unit: t.exposeString('unit', {
      nullable: true,
      ...fieldFacts({ openData: { ja: '単位', en: 'Unit', maxLength: 40 } }),
    }),
    direction: t.expose('direction', {
      type: TargetDirection,
      ...fieldFacts({
        openData: {
          ja: '目標の方向',
          en: 'Direction',
          description: 'AT_LEAST, AT_MOST, WITHIN_RANGE or MILESTONE: which values it needs.',
        },
      }),
    }),
    baseline: t.exposeFloat('baseline', {
      nullable: true,
      ...fieldFacts({ openData: { ja: '基準値', en: 'Baseline' } }),
    }),
    targetValue: t.exposeFloat('targetValue', {
      nullable: true,
      ...fieldFacts({ openData: { ja: '目標値', en: 'Target value' } }),
    }),
    rangeMin: t.exposeFloat('rangeMin', {
      nullable: true,
      ...fieldFacts({ openData: { ja: '目標範囲(下限)', en: 'Range minimum' } }),
    }),
    rangeMax: t.exposeFloat('rangeMax', {
      nullable: true,
      ...fieldFacts({ openData: { ja: '目標範囲(上限)', en: 'Range maximum' } }),
    }),
    targetDate: t.expose('targetDate', {
      type: 'LocalDate',
      nullable: true,
      ...fieldFacts({
        openData: {
          ja: '達成期限',
          en: 'Due date',
          description: 'MILESTONE: the date (YYYY-MM-DD) by which it is to be reached.',
        },
      }),
    }),
    weight: t.exposeFloat('weight', {
      description: "Its share in a roll-up's weighted progress.",
      ...fieldFacts({ openData: { ja: '重み', en: 'Weight' } }),
    }),
    version: t.exposeInt('version', notExported()),
    initiative: t.relation('initiative', {
      ...guardedBy('initiative', 'a target is visible exactly when its initiative is'),
    }),
    actuals: t.relation('actuals', {
      ...guardedBy('initiative', "actuals follow their (visible) target's initiative"),
      description: 'Actuals per period, oldest first.',
      query: actualsOrder,
    }),
    status: t.field({
      type: StatusExplanationRef,
      description:
        "Its status by the municipality's rules, with the rule that decided it and the values.",
      // The actuals with the `actuals` field's own arguments, so one load serves both: loaded
      // twice with different ones, one would be read again after the rest, through the target's
      // visibility, which fails for the target a write has just deleted.
      select: {
        ...statusSelect,
        actuals: { ...actualsOrder, select: statusSelect.actuals.select },
      },
      resolve: (target, _args, ctx) => explainTarget(ctx, target),
    }),
  }),
});

builder.prismaObjectField(Initiative, 'targets', (t) =>
  t.relation('targets', {
    ...guardedBy('initiative', 'targets follow their (visible) initiative'),
    description: 'Its measurable targets, in the order they were set.',
    query: { orderBy: { id: 'asc' } },
  }),
);

// ---- Status rules of a municipality ----

interface RuleSetView {
  municipalityCode: string;
  fromFiscalYear: number;
  rules: StatusRule[];
  isDefault: boolean;
  version: number;
}

export const StatusRuleSetRef = builder.objectRef<RuleSetView>('StatusRuleSet').implement({
  description:
    'How a municipality computes target statuses: the first rule whose condition holds decides. Readable by anyone; the planning section changes it.',
  fields: (t) => ({
    municipality: t.exposeString('municipalityCode', {
      description: 'National code.',
      ...fieldFacts({ openData: false }),
    }),
    rules: t.field({
      type: [StatusRuleRef],
      resolve: (s) => s.rules,
      ...fieldFacts({
        column: 'rules',
        openData: {
          ja: '判定ルール',
          en: 'Status rules',
          type: 'json',
          description:
            'The ordered rules (JSON: id, status, description, when), in the format of docs/targets-and-as-of.md; the first whose condition holds decides.',
        },
      }),
    }),
    fromFiscalYear: t.exposeInt('fromFiscalYear', {
      description:
        'The first fiscal year these rules apply to (0: every year before a later set). Pass it to setStatusRules to change this set.',
      ...fieldFacts({
        openData: {
          ja: '適用開始年度',
          en: 'From fiscal year',
          description: 'The first fiscal year the rules apply to (0: before any later set).',
          identifiesRow: true,
        },
      }),
    }),
    isDefault: t.exposeBoolean('isDefault', {
      description: 'True while the municipality has not set its own rules.',
      ...fieldFacts({ openData: { ja: '既定のルール', en: 'Default rules', exportOnly: true } }),
    }),
    version: t.exposeInt('version', {
      description: 'Pass as expectedVersion to setStatusRules (0 while the default applies).',
      ...notExported(),
    }),
  }),
});

/** The rule set that applies to a fiscal year (absent: the latest set). */
export async function ruleSetView(
  ctx: Pick<Context, 'prisma'>,
  municipality: { id: number; code: string },
  fiscalYear?: number | null,
): Promise<RuleSetView> {
  const sets = await ctx.prisma.statusRuleSet.findMany({
    where: { municipalityId: municipality.id },
  });
  const row = ruleSetFor(sets, fiscalYear ?? Number.MAX_SAFE_INTEGER);
  return {
    municipalityCode: municipality.code,
    fromFiscalYear: row?.fromFiscalYear ?? 0,
    rules: row ? rulesFrom(row.rules) : DEFAULT_RULES,
    isDefault: !row,
    version: row?.version ?? 0,
  };
}

builder.queryField('statusRules', (t) =>
  t.field({
    type: StatusRuleSetRef,
    description: "A municipality's status rules (the default set until it sets its own).",
    args: {
      municipality: t.arg.string({ required: true, description: 'National code.' }),
      fiscalYear: t.arg.int({
        description: 'The rules that apply to this fiscal year (absent: the latest set).',
      }),
    },
    resolve: async (_root, args, ctx) =>
      ruleSetView(ctx, await requireMunicipality(ctx.prisma, args.municipality), args.fiscalYear),
  }),
);
