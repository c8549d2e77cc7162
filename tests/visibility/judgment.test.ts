// The change judgment as a table (README "Who sees what"), written again here as the oracle:
// every viewer class, against every audience a record can carry, at a department and at the
// municipality itself; what each pair of audiences (before, after) means to each viewer; and
// the audience of each entity state. Pure functions, no database: the fast part of the
// mutation run (docs/mutation-testing.md), next to the front-door tests of the same rules
// (change-logs.test.ts, scenario.test.ts).
import {
  evaluationAudience,
  feedbackAudience,
  judgeChange,
  planAudience,
  seesActorToken,
  seesAudience,
  type Viewer,
  visibilityClass,
} from '@hoshin/server/testing';
import { describe, expect, it } from 'vitest';

const CITY = 1;
const OTHER_CITY = 2;
const DEPT = 10;
const OTHER_DEPT = 11;

const token = (
  role: 'ADMIN' | 'PLANNING' | 'EDITOR' | 'REVIEWER',
  municipalityId: number | null,
  departmentId: number | null = null,
): Viewer => ({
  kind: 'token',
  tokenId: 1,
  actor: 'token:x (t)',
  office: 'o',
  role,
  municipalityId,
  departmentId,
});

/** Each viewer class, and whether it is staff of the department / of the municipality. */
const VIEWERS: { name: string; viewer: Viewer; staffOfDept: boolean; staffOfCity: boolean }[] = [
  { name: 'the public', viewer: { kind: 'anonymous' }, staffOfDept: false, staffOfCity: false },
  {
    name: "the department's editor",
    viewer: token('EDITOR', CITY, DEPT),
    staffOfDept: true,
    staffOfCity: false,
  },
  {
    name: "another department's editor",
    viewer: token('EDITOR', CITY, OTHER_DEPT),
    staffOfDept: false,
    staffOfCity: false,
  },
  {
    name: "another city's editor of the same id",
    viewer: token('EDITOR', OTHER_CITY, DEPT),
    staffOfDept: false,
    staffOfCity: false,
  },
  { name: 'planning', viewer: token('PLANNING', CITY), staffOfDept: true, staffOfCity: true },
  {
    name: "another city's planning",
    viewer: token('PLANNING', OTHER_CITY),
    staffOfDept: false,
    staffOfCity: false,
  },
  { name: "the city's admin", viewer: token('ADMIN', CITY), staffOfDept: true, staffOfCity: true },
  {
    name: "another city's admin",
    viewer: token('ADMIN', OTHER_CITY),
    staffOfDept: false,
    staffOfCity: false,
  },
  {
    name: 'an admin of every city',
    viewer: token('ADMIN', null),
    staffOfDept: true,
    staffOfCity: true,
  },
  {
    name: "the city's reviewer",
    viewer: token('REVIEWER', CITY),
    staffOfDept: false,
    staffOfCity: false,
  },
];

const AUDIENCES = ['NONE', 'STAFF', 'PUBLIC'] as const;
const PLACES = [
  {
    name: 'a department',
    place: { municipalityId: CITY, departmentId: DEPT },
    staff: 'staffOfDept',
  },
  {
    name: 'the municipality',
    place: { municipalityId: CITY, departmentId: null },
    staff: 'staffOfCity',
  },
] as const;

describe('who sees an audience', () => {
  for (const { name, viewer, ...staff } of VIEWERS) {
    for (const { name: where, place, staff: key } of PLACES) {
      it(`${name}, at ${where}: PUBLIC always, STAFF ${staff[key] ? 'yes' : 'no'}, NONE never`, () => {
        expect(AUDIENCES.map((audience) => seesAudience(viewer, audience, place))).toEqual([
          false,
          staff[key],
          true,
        ]);
        expect(
          seesActorToken(viewer, { ...place, audienceBefore: 'PUBLIC', audienceAfter: 'PUBLIC' }),
        ).toBe(staff[key]);
      });
    }
  }
});

describe('what a change means to each viewer', () => {
  for (const { name, viewer, staffOfDept } of VIEWERS) {
    it(`${name}: ENTERED, MODIFIED, LEFT or nothing, from what it saw before and after`, () => {
      const sees = (audience: (typeof AUDIENCES)[number]) =>
        audience === 'PUBLIC' || (audience === 'STAFF' && staffOfDept);
      for (const before of AUDIENCES) {
        for (const after of AUDIENCES) {
          const expected =
            sees(before) && sees(after)
              ? 'MODIFIED'
              : sees(after)
                ? 'ENTERED'
                : sees(before)
                  ? 'LEFT'
                  : null;
          const record = {
            municipalityId: CITY,
            departmentId: DEPT,
            audienceBefore: before,
            audienceAfter: after,
          };
          expect([before, after, judgeChange(viewer, record)]).toEqual([before, after, expected]);
        }
      }
    });
  }

  it('viewers judged alike share a class; those judged differently never do', () => {
    const classes = VIEWERS.map(({ viewer }) => visibilityClass(viewer));
    expect(new Set(classes).size).toBe(VIEWERS.length);
    expect(visibilityClass(token('EDITOR', CITY, DEPT))).toBe(
      visibilityClass(VIEWERS[1]?.viewer as Viewer),
    );
  });
});

describe('the audience of an entity state', () => {
  it('a plan is public when published', () => {
    expect(planAudience({ status: 'PUBLISHED' })).toBe('PUBLIC');
    expect(planAudience({ status: 'DRAFT' })).toBe('STAFF');
  });

  it('an evaluation is public when it and its plan are published', () => {
    const audiences = (['DRAFT', 'PUBLISHED'] as const).flatMap((evaluation) =>
      (['DRAFT', 'PUBLISHED'] as const).map((plan) => [
        evaluation,
        plan,
        evaluationAudience({ status: evaluation }, { status: plan }),
      ]),
    );
    expect(audiences).toEqual([
      ['DRAFT', 'DRAFT', 'STAFF'],
      ['DRAFT', 'PUBLISHED', 'STAFF'],
      ['PUBLISHED', 'DRAFT', 'STAFF'],
      ['PUBLISHED', 'PUBLISHED', 'PUBLIC'],
    ]);
  });

  it('feedback is public when approved on a published plan', () => {
    const audiences = (['PENDING', 'APPROVED', 'REJECTED'] as const).flatMap((feedback) =>
      (['DRAFT', 'PUBLISHED'] as const).map((plan) =>
        feedbackAudience({ status: feedback }, { status: plan }),
      ),
    );
    expect(audiences).toEqual(['STAFF', 'STAFF', 'STAFF', 'PUBLIC', 'STAFF', 'STAFF']);
  });
});
