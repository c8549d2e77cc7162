// Explainable status: a target's status is decided by an ordered list of rules a municipality
// can read and change. The first rule whose condition holds decides, and the answer names it
// with the values it looked at. Pure: no database, no clock (time is the latest actual's date).
//
// A rule: { id, status, description, when }. A condition (`when`) is one of
//   { "always": true }                     holds always (the last rule must be this: a fallback)
//   { "noActual": true }                   no actual has been recorded yet
//   { "meetsTarget": true }                the latest actual meets the target
//   { "periodEnded": true }                the latest actual is at or after the due date
//   { "metric": M, "op": O, "value": N }   compare a metric with a number
//   { "metric": M, "op": O, "metricRight": M2, "offset": N }   M op M2 + N
//   { "all": [C...] } / { "any": [C...] } / { "not": C }
// Metrics (percent and points, null when they cannot be computed, and then nothing compares):
//   progressPercent   share of the way from baseline to target the latest actual covers
//   expectedPercent   share of the target's period elapsed at the latest actual's date
//   gapPoints         expectedPercent - progressPercent (how far behind schedule)
import { z } from 'zod';

export const STATUSES = ['ON_TRACK', 'AT_RISK', 'OFF_TRACK', 'ACHIEVED', 'NO_DATA'] as const;
export type TargetStatus = (typeof STATUSES)[number];

/** Each status in words: the reasons below say them, and the API's labels are these. */
export const STATUS_LABELS: Record<TargetStatus, { ja: string; en: string }> = {
  ON_TRACK: { ja: '順調', en: 'On track' },
  AT_RISK: { ja: '遅れ気味', en: 'At risk' },
  OFF_TRACK: { ja: '遅れ', en: 'Off track' },
  ACHIEVED: { ja: '達成', en: 'Achieved' },
  NO_DATA: { ja: '実績なし', en: 'No data' },
};

export const METRICS = ['progressPercent', 'expectedPercent', 'gapPoints'] as const;
export type Metric = (typeof METRICS)[number];

const OPS = ['>=', '>', '<=', '<'] as const;

export type Condition =
  | { always: true }
  | { noActual: true }
  | { meetsTarget: true }
  | { periodEnded: true }
  | { metric: Metric; op: (typeof OPS)[number]; value: number }
  | { metric: Metric; op: (typeof OPS)[number]; metricRight: Metric; offset?: number }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export interface StatusRule {
  id: string;
  status: TargetStatus;
  /** In Japanese (the city's words), as labels are (labels module: label / labelEn). */
  description: string;
  /** In English, when given. */
  descriptionEn?: string | null | undefined;
  when: Condition;
}

const MAX_DEPTH = 4;
const finite = z.number().finite().min(-1e6).max(1e6);

const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ always: z.literal(true) }),
    z.strictObject({ noActual: z.literal(true) }),
    z.strictObject({ meetsTarget: z.literal(true) }),
    z.strictObject({ periodEnded: z.literal(true) }),
    z.strictObject({ metric: z.enum(METRICS), op: z.enum(OPS), value: finite }),
    z.strictObject({
      metric: z.enum(METRICS),
      op: z.enum(OPS),
      metricRight: z.enum(METRICS),
      offset: finite.optional(),
    }),
    z.strictObject({ all: z.array(condition).min(1).max(10) }),
    z.strictObject({ any: z.array(condition).min(1).max(10) }),
    z.strictObject({ not: condition }),
  ]),
);

function depth(c: Condition): number {
  if ('all' in c) return 1 + Math.max(...c.all.map(depth));
  if ('any' in c) return 1 + Math.max(...c.any.map(depth));
  if ('not' in c) return 1 + depth(c.not);
  return 1;
}

export const ruleSetSchema = z
  .array(
    z.strictObject({
      id: z
        .string()
        .regex(/^[a-z][a-z0-9-]{0,39}$/, 'ids are lower-case words joined by -, e.g. at-risk'),
      status: z.enum(STATUSES),
      description: z.string().trim().min(1).max(500),
      descriptionEn: z.string().trim().min(1).max(500).nullish(),
      when: condition.refine((c) => depth(c) <= MAX_DEPTH, {
        message: `conditions nest at most ${MAX_DEPTH} deep`,
      }),
    }),
  )
  .min(1)
  .max(20)
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((rule, index) => {
      if (seen.has(rule.id)) {
        ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate id ${rule.id}` });
      }
      seen.add(rule.id);
    });
    const last = rules[rules.length - 1];
    if (last && !('always' in last.when)) {
      ctx.addIssue({
        code: 'custom',
        path: [rules.length - 1, 'when'],
        message: 'the last rule must be { "always": true }, so every target gets a status',
      });
    }
  });

/** The rule set every municipality starts with (and gets back when it resets its own). */
export const DEFAULT_RULES: StatusRule[] = [
  {
    id: 'no-data',
    status: 'NO_DATA',
    description: '実績がまだ記録されていない。',
    descriptionEn: 'No actual has been recorded yet.',
    when: { noActual: true },
  },
  {
    id: 'achieved',
    status: 'ACHIEVED',
    description: '最新の実績が目標値に達している。',
    descriptionEn: 'The latest actual meets the target.',
    when: { meetsTarget: true },
  },
  {
    id: 'missed',
    status: 'OFF_TRACK',
    description: '期間が終わり、目標値に達しなかった。',
    descriptionEn: 'The period is over and the target was not met.',
    when: { periodEnded: true },
  },
  {
    id: 'on-track',
    status: 'ON_TRACK',
    description: '目標への進捗が、期間の経過割合以上である。',
    descriptionEn: 'Progress toward the target is at least the share of the period elapsed.',
    when: { metric: 'progressPercent', op: '>=', metricRight: 'expectedPercent' },
  },
  {
    id: 'at-risk',
    status: 'AT_RISK',
    description: '予定より遅れているが、その差は15ポイント以内である。',
    descriptionEn: 'Behind schedule by at most 15 points.',
    when: { metric: 'gapPoints', op: '<=', value: 15 },
  },
  {
    id: 'off-track',
    status: 'OFF_TRACK',
    description: '予定より15ポイントを超えて遅れている。',
    descriptionEn: 'Behind schedule by more than 15 points.',
    when: { always: true },
  },
];

// ---- The values a status is computed from ----

export type Direction = 'AT_LEAST' | 'AT_MOST' | 'WITHIN_RANGE' | 'MILESTONE';

export interface TargetFacts {
  direction: Direction;
  baseline: number | null;
  targetValue: number | null;
  rangeMin: number | null;
  rangeMax: number | null;
  targetDate: string | null;
  /** The target's period: from the fiscal year's first day to its due date. */
  periodStart: string;
  periodEnd: string;
}

export interface ActualFacts {
  period: string;
  measuredOn: string;
  value: number | null;
  reachedOn: string | null;
}

export interface StatusValues {
  baseline: number | null;
  targetValue: number | null;
  rangeMin: number | null;
  rangeMax: number | null;
  targetDate: string | null;
  latestValue: number | null;
  latestReachedOn: string | null;
  latestPeriod: string | null;
  measuredOn: string | null;
  meetsTarget: boolean;
  periodEnded: boolean;
  progressPercent: number | null;
  expectedPercent: number | null;
  gapPoints: number | null;
}

export interface StatusExplanation {
  status: TargetStatus;
  rule: StatusRule;
  values: StatusValues;
  /** One sentence in Japanese: the status, the rule and the values it compared. */
  reason: string;
  /** The same in English. */
  reasonEn: string;
}

const DAY = 86_400_000;
// One decimal; `+ 0` turns -0 (no change from a baseline above the target) into 0.
const round = (n: number) => Math.round(n * 10) / 10 + 0;

function days(from: string, to: string) {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY;
}

function meets(target: TargetFacts, actual: ActualFacts): boolean {
  const v = actual.value;
  switch (target.direction) {
    case 'AT_LEAST':
      return v !== null && target.targetValue !== null && v >= target.targetValue;
    case 'AT_MOST':
      return v !== null && target.targetValue !== null && v <= target.targetValue;
    case 'WITHIN_RANGE':
      return (
        v !== null &&
        target.rangeMin !== null &&
        target.rangeMax !== null &&
        v >= target.rangeMin &&
        v <= target.rangeMax
      );
    case 'MILESTONE':
      return (
        actual.reachedOn !== null &&
        target.targetDate !== null &&
        actual.reachedOn <= target.targetDate
      );
  }
}

/** Share of the way from the baseline to the target that the actual covers (unclamped). */
function progress(target: TargetFacts, actual: ActualFacts): number | null {
  if (target.direction === 'MILESTONE') return actual.reachedOn !== null ? 100 : 0;
  const { value } = actual;
  const { baseline } = target;
  if (value === null || baseline === null) return null;
  if (target.direction === 'WITHIN_RANGE') {
    if (target.rangeMin === null || target.rangeMax === null) return null;
    if (value >= target.rangeMin && value <= target.rangeMax) return 100;
    // The way from the baseline to the nearest edge of the range.
    const edge =
      Math.abs(baseline - target.rangeMin) < Math.abs(baseline - target.rangeMax)
        ? target.rangeMin
        : target.rangeMax;
    const distance = Math.abs(baseline - edge);
    return distance === 0 ? 0 : round(((distance - Math.abs(value - edge)) / distance) * 100);
  }
  const goal = target.targetValue;
  if (goal === null || goal === baseline) return null;
  return round(((value - baseline) / (goal - baseline)) * 100);
}

/** The values the rules look at, for a target and its latest actual (if any). */
export function statusValues(target: TargetFacts, latest: ActualFacts | null): StatusValues {
  const progressPercent = latest ? progress(target, latest) : null;
  let expectedPercent: number | null = null;
  if (latest) {
    // Both ends count as whole days: an actual of 31 March closes the fiscal year.
    const total = days(target.periodStart, target.periodEnd) + 1;
    const elapsed = days(target.periodStart, latest.measuredOn) + 1;
    expectedPercent = total <= 0 ? 100 : round(Math.min(100, Math.max(0, (elapsed / total) * 100)));
  }
  return {
    baseline: target.baseline,
    targetValue: target.targetValue,
    rangeMin: target.rangeMin,
    rangeMax: target.rangeMax,
    targetDate: target.targetDate,
    latestValue: latest?.value ?? null,
    latestReachedOn: latest?.reachedOn ?? null,
    latestPeriod: latest?.period ?? null,
    measuredOn: latest?.measuredOn ?? null,
    meetsTarget: latest ? meets(target, latest) : false,
    periodEnded: latest ? latest.measuredOn >= target.periodEnd : false,
    progressPercent,
    expectedPercent,
    gapPoints:
      progressPercent === null || expectedPercent === null
        ? null
        : round(expectedPercent - progressPercent),
  };
}

function compare(left: number, op: (typeof OPS)[number], right: number) {
  if (op === '>=') return left >= right;
  if (op === '>') return left > right;
  if (op === '<=') return left <= right;
  return left < right;
}

export function holds(c: Condition, v: StatusValues): boolean {
  if ('always' in c) return true;
  if ('noActual' in c) return v.measuredOn === null;
  if ('meetsTarget' in c) return v.meetsTarget;
  if ('periodEnded' in c) return v.periodEnded;
  if ('all' in c) return c.all.every((inner) => holds(inner, v));
  if ('any' in c) return c.any.some((inner) => holds(inner, v));
  if ('not' in c) return !holds(c.not, v);
  const left = v[c.metric];
  const right = 'metricRight' in c ? v[c.metricRight] : c.value;
  if (left === null || right === null) return false;
  return compare(left, c.op, right + ('metricRight' in c ? (c.offset ?? 0) : 0));
}

/** The words of a reason, per language (the status names are the labels module's). */
const WORDS = {
  en: {
    baseline: 'baseline',
    target: 'target',
    range: 'range',
    due: 'due',
    noActual: 'no actual',
    latest: 'latest',
    notReached: 'not reached',
    progress: 'progress',
    expected: 'expected',
    join: ', ',
  },
  ja: {
    baseline: '基準値',
    target: '目標値',
    range: '範囲',
    due: '期日',
    noActual: '実績なし',
    latest: '最新の実績',
    notReached: '未達成',
    progress: '進捗',
    expected: '期間の経過',
    join: '、',
  },
} as const;

function describeValues(v: StatusValues, language: keyof typeof WORDS): string {
  const w = WORDS[language];
  const parts: string[] = [];
  if (v.baseline !== null) parts.push(`${w.baseline} ${v.baseline}`);
  if (v.targetValue !== null) parts.push(`${w.target} ${v.targetValue}`);
  if (v.rangeMin !== null && v.rangeMax !== null)
    parts.push(`${w.range} ${v.rangeMin}–${v.rangeMax}`);
  if (v.targetDate !== null) parts.push(`${w.due} ${v.targetDate}`);
  if (v.measuredOn === null) parts.push(w.noActual);
  else {
    const latest = v.latestReachedOn ?? v.latestValue ?? w.notReached;
    parts.push(`${w.latest} ${latest} (${v.latestPeriod}, ${v.measuredOn})`);
  }
  if (v.progressPercent !== null) parts.push(`${w.progress} ${v.progressPercent}%`);
  if (v.expectedPercent !== null) parts.push(`${w.expected} ${v.expectedPercent}%`);
  return parts.join(w.join);
}

/**
 * The status by the first rule that holds, and why. Rule sets are validated to end with an
 * "always" rule; should one not, the answer is NO_DATA by an implicit fallback rule.
 */
export function explainStatus(
  rules: readonly StatusRule[],
  target: TargetFacts,
  latest: ActualFacts | null,
): StatusExplanation {
  const values = statusValues(target, latest);
  const rule = rules.find((candidate) => holds(candidate.when, values)) ?? {
    id: 'fallback',
    status: 'NO_DATA' as const,
    description: '該当する規則がない。',
    descriptionEn: 'No rule applied.',
    when: { always: true as const },
  };
  return {
    status: rule.status,
    rule,
    values,
    reason: `${STATUS_LABELS[rule.status].ja}（規則「${rule.id}」: ${rule.description}）: ${describeValues(values, 'ja')}`,
    reasonEn: `${STATUS_LABELS[rule.status].en} by rule "${rule.id}" (${rule.descriptionEn ?? rule.description}): ${describeValues(values, 'en')}`,
  };
}

/**
 * Of a municipality's rule sets (each valid from its fiscal year until the next one's), the
 * one that applies to a fiscal year; undefined when none does (the default rules apply).
 */
export function ruleSetFor<S extends { fromFiscalYear: number }>(
  sets: readonly S[],
  fiscalYear: number,
): S | undefined {
  let found: S | undefined;
  for (const set of sets) {
    if (set.fromFiscalYear <= fiscalYear && (!found || set.fromFiscalYear > found.fromFiscalYear)) {
      found = set;
    }
  }
  return found;
}

/** Stored rules, or the default set when none are stored (or what is stored no longer parses). */
export function rulesFrom(stored: unknown): StatusRule[] {
  if (stored == null) return DEFAULT_RULES;
  const parsed = ruleSetSchema.safeParse(stored);
  return parsed.success ? (parsed.data as StatusRule[]) : DEFAULT_RULES;
}
