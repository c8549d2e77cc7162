// The model's commands: what fast-check generates. They are abstract (a plan is "the pick-th
// plan that exists", a string is "a new mission"), and the runner makes them concrete against
// the state of the moment, so every generated sequence is meaningful and shrinks well.
import fc from 'fast-check';
import { type BurstCommand, burstCommand, type RaceCommand, raceCommand } from './long-history.ts';

export const VIEWERS = ['public', 'editorA', 'editorB', 'planning', 'admin'] as const;
export type ViewerClass = (typeof VIEWERS)[number];
/** Who writes: the municipality's planning section and admin, and an editor of each of A, B. */
export const ACTORS = ['planning', 'admin', 'editorA', 'editorB'] as const;
export type Actor = (typeof ACTORS)[number];
/** Filters a subscriber may use (the municipality is added by the runner). */
export const FILTERS = [{}, { fiscalYear: 2013 }, { department: 'a' }] as const;

export interface PlanFields {
  mission: boolean;
  policy: boolean;
  staffCount: number | undefined;
}

export type Command =
  | {
      op: 'createPlan';
      actor: Actor;
      dept: 'a' | 'b';
      year: 2013 | 2014;
      fields: PlanFields;
    }
  | { op: 'updatePlan'; actor: Actor; pick: number; fields: PlanFields }
  | { op: 'publishPlan' | 'unpublishPlan' | 'deletePlan'; actor: Actor; pick: number }
  | {
      op: 'addInitiative';
      actor: Actor;
      pick: number;
      position: number | undefined;
      reform: boolean;
      footnote: boolean;
    }
  | { op: 'updateInitiative'; actor: Actor; pick: number; text: boolean; footnote: boolean }
  | { op: 'reorderInitiatives'; actor: Actor; pick: number; keys: number[] }
  | { op: 'removeInitiative'; actor: Actor; pick: number }
  | { op: 'recordEvaluation'; actor: Actor; pick: number; rating: Rating }
  | { op: 'updateEvaluation'; actor: Actor; pick: number }
  | { op: 'publishEvaluation' | 'unpublishEvaluation'; actor: Actor; pick: number }
  /** The admin renames a department: for every year, or from 2014 on (2013 keeps the name). */
  | { op: 'rename'; dept: 'a' | 'b'; from: 2014 | undefined }
  /** One writer's token is revoked (and a new one issued for its later commands). */
  | { op: 'revoke'; actor: Actor }
  | BurstCommand
  | RaceCommand<ViewerClass, 'sse' | 'ws'>
  | {
      op: 'join';
      viewer: ViewerClass;
      filter: number;
      transport: 'sse' | 'ws';
      /** 0: subscribe now; n: read the snapshot now, subscribe n commands later (replay). */
      laterBy: number;
    };

const RATINGS = ['ACHIEVED', 'MOSTLY_ACHIEVED', 'PARTIALLY_ACHIEVED', 'NOT_ACHIEVED'] as const;
type Rating = (typeof RATINGS)[number];

export interface InitialSubscriber {
  viewer: ViewerClass;
  filter: number;
  transport: 'sse' | 'ws';
}

export interface Scenario {
  /** One subscriber of every viewer class from the start, with a filter and transport each. */
  initial: InitialSubscriber[];
  commands: Command[];
  /** Where the server restarts, as a share of the sequence (in its middle third). */
  restartAt: number;
}

const actor = fc.constantFrom(...ACTORS);
const pick = fc.nat({ max: 20 });
const planFields = fc.record({
  mission: fc.boolean(),
  policy: fc.boolean(),
  staffCount: fc.option(fc.nat({ max: 500 }), { nil: undefined }),
});
const transport = fc.constantFrom('sse' as const, 'ws' as const);
const filter = fc.nat({ max: FILTERS.length - 1 });

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('createPlan' as const),
      actor,
      dept: fc.constantFrom('a' as const, 'b' as const),
      year: fc.constantFrom(2013 as const, 2014 as const),
      fields: planFields,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('updatePlan' as const),
      actor,
      pick,
      fields: planFields,
    }),
  },
  // Publishing and unpublishing under subscribers is where visibility changes: weighted up.
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constantFrom('publishPlan' as const, 'unpublishPlan' as const),
      actor,
      pick,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deletePlan' as const), actor, pick }) },
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('addInitiative' as const),
      actor,
      pick,
      position: fc.option(fc.nat({ max: 5 }), { nil: undefined }),
      reform: fc.boolean(),
      footnote: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('updateInitiative' as const),
      actor,
      pick,
      text: fc.boolean(),
      footnote: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('reorderInitiatives' as const),
      actor,
      pick,
      keys: fc.array(fc.nat({ max: 100 }), { minLength: 1, maxLength: 8 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('removeInitiative' as const), actor, pick }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('recordEvaluation' as const),
      actor,
      pick,
      rating: fc.constantFrom(...RATINGS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('updateEvaluation' as const), actor, pick }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constantFrom('publishEvaluation' as const, 'unpublishEvaluation' as const),
      actor,
      pick,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('join' as const),
      viewer: fc.constantFrom(...VIEWERS),
      filter,
      transport,
      laterBy: fc.nat({ max: 6 }),
    }),
  },
  // A rename changes how plans show their department, for each plan's own audience; a
  // revocation ends a subscriber's streams. Both under subscribers of every class, weighted up
  // (at the cost of the rarer edits above, so a sequence costs what it did).
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('rename' as const),
      dept: fc.constantFrom('a' as const, 'b' as const),
      from: fc.constantFrom(2014 as const, undefined),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('revoke' as const), actor }) },
  // Histories past a replay page, and writes landing during a joiner's replay.
  { weight: 1, arbitrary: burstCommand },
  { weight: 4, arbitrary: raceCommand(fc.constantFrom(...VIEWERS), filter, transport) },
);

export function scenarioArbitrary(maxCommands: number): fc.Arbitrary<Scenario> {
  return fc.record({
    initial: fc.tuple(
      ...VIEWERS.map((viewer) => fc.record({ viewer: fc.constant(viewer), filter, transport })),
    ),
    commands: fc.array(command, { minLength: Math.ceil(maxCommands / 2), maxLength: maxCommands }),
    restartAt: fc.double({ min: 1 / 3, max: 2 / 3, noNaN: true }),
  });
}
