// The status rules on their own (pure: no database): each direction's progress and "met", the
// rule format's validation, and two properties of the default rules, checked with fast-check.
import {
  DEFAULT_RULES,
  explainStatus,
  ruleSetSchema,
  type TargetFacts,
} from '@hoshin/server/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const FY2012 = { periodStart: '2012-04-01', periodEnd: '2013-03-31' };
const none = {
  baseline: null,
  targetValue: null,
  rangeMin: null,
  rangeMax: null,
  targetDate: null,
};

function target(fields: Partial<TargetFacts> & Pick<TargetFacts, 'direction'>): TargetFacts {
  return { ...none, ...FY2012, ...fields };
}
const actual = (measuredOn: string, value: number | null, reachedOn: string | null = null) => ({
  period: measuredOn,
  measuredOn,
  value,
  reachedOn,
});

describe('each direction', () => {
  it('AT_MOST: coming down from the baseline is progress; at or below the target is achieved', () => {
    const t = target({ direction: 'AT_MOST', baseline: 50, targetValue: 30 });
    expect(explainStatus(DEFAULT_RULES, t, actual('2012-09-30', 40)).values.progressPercent).toBe(
      50,
    );
    expect(explainStatus(DEFAULT_RULES, t, actual('2012-09-30', 30)).status).toBe('ACHIEVED');
  });

  it('WITHIN_RANGE: inside is achieved; outside, progress toward the nearest edge', () => {
    const t = target({ direction: 'WITHIN_RANGE', baseline: 20, rangeMin: 60, rangeMax: 80 });
    expect(explainStatus(DEFAULT_RULES, t, actual('2012-09-30', 70)).status).toBe('ACHIEVED');
    const half = explainStatus(DEFAULT_RULES, t, actual('2012-09-30', 40));
    expect(half.values.progressPercent).toBe(50);
  });

  it('MILESTONE: reached by its date is achieved; not reached after it is off track by "missed"', () => {
    const t = target({ direction: 'MILESTONE', targetDate: '2012-12-31', periodEnd: '2012-12-31' });
    expect(explainStatus(DEFAULT_RULES, t, actual('2012-12-01', null, '2012-11-15')).status).toBe(
      'ACHIEVED',
    );
    const missed = explainStatus(DEFAULT_RULES, t, actual('2013-01-10', null));
    expect(missed).toMatchObject({ status: 'OFF_TRACK', rule: { id: 'missed' } });
    expect(explainStatus(DEFAULT_RULES, t, null)).toMatchObject({ status: 'NO_DATA' });
  });
});

describe('the rule format', () => {
  it('accepts the default rules and refuses a set without a final fallback or nested too deep', () => {
    expect(ruleSetSchema.safeParse(DEFAULT_RULES).success).toBe(true);
    expect(ruleSetSchema.safeParse(DEFAULT_RULES.slice(0, -1)).success).toBe(false);
    const deep = { not: { not: { not: { not: { meetsTarget: true } } } } };
    const rules = [
      { id: 'deep', status: 'ACHIEVED', description: 'x', when: deep },
      { id: 'rest', status: 'NO_DATA', description: 'x', when: { always: true } },
    ];
    expect(ruleSetSchema.safeParse(rules).success).toBe(false);
    expect(
      ruleSetSchema.safeParse([
        { id: 'a', status: 'NO_DATA', description: 'x', when: { always: true } },
        { id: 'a', status: 'NO_DATA', description: 'x', when: { always: true } },
      ]).success,
    ).toBe(false);
  });
});

const RANK = { NO_DATA: -1, OFF_TRACK: 0, AT_RISK: 1, ON_TRACK: 2, ACHIEVED: 3 } as const;
const day = fc.integer({ min: 0, max: 364 }).map((n) => {
  const date = new Date(Date.UTC(2012, 3, 1) + n * 86_400_000);
  return date.toISOString().slice(0, 10);
});
const value = fc.integer({ min: -1000, max: 1000 });

describe('properties of the default rules', () => {
  it('AT_LEAST: a higher actual on the same date never gives a worse status', () => {
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 500 }), day, value, value, (b, up, on, x, y) => {
        const t = target({ direction: 'AT_LEAST', baseline: b, targetValue: b + up });
        const [low, high] = x <= y ? [x, y] : [y, x];
        const lowStatus = explainStatus(DEFAULT_RULES, t, actual(on, low)).status;
        const highStatus = explainStatus(DEFAULT_RULES, t, actual(on, high)).status;
        expect(RANK[highStatus]).toBeGreaterThanOrEqual(RANK[lowStatus]);
      }),
    );
  });

  it('AT_MOST is AT_LEAST mirrored: negating every value gives the same status and rule', () => {
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 500 }), day, value, (b, down, on, v) => {
        const most = target({ direction: 'AT_MOST', baseline: b, targetValue: b - down });
        const least = target({ direction: 'AT_LEAST', baseline: -b, targetValue: -b + down });
        const a = explainStatus(DEFAULT_RULES, most, actual(on, v));
        const l = explainStatus(DEFAULT_RULES, least, actual(on, -v));
        expect(a.rule.id).toBe(l.rule.id);
        expect(a.values.progressPercent).toBe(l.values.progressPercent);
      }),
    );
  });
});
