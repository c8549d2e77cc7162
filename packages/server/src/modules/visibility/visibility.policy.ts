// The one visibility model. Who may see a record is decided here and nowhere else:
// - queries filter with the `visible*` where builders (root lists, relations, node(id:), counts);
// - change records carry the audience of their entity before and after the change, decided in
//   the write's transaction (db/audience.ts), and `judgeChange` turns (record, viewer)
//   into ENTERED / MODIFIED / LEFT / nothing, without reading any table: live delivery, replay,
//   `history` and the `changes` log are the same pure function of the log and the viewer.
//
// Audiences: PUBLIC (everyone), STAFF (the department's editors, the municipality's planning
// staff and admins), REVIEW (STAFF and the municipality's external committee), NONE (the
// entity does not exist). A plan is PUBLIC when published; its initiatives follow it; an
// evaluation is PUBLIC when it and its plan are published, REVIEW while a draft that has
// reached the committee's stage (Evaluation.reviewStage) on a published plan; feedback when
// approved on a published plan, its official answer when also published; municipalities,
// departments and white papers are PUBLIC.
//
// The external committee (REVIEWER) reads what it reviews and nothing else: the evaluations
// that reached its stage, with their completed stages (and its own stage); like the public
// otherwise. docs/evaluation-cycle.md has the matrix per role and stage.

import type { Prisma } from '../../../generated/prisma/client.ts';
import {
  actsForDepartment,
  actsForMunicipality,
  reviewsForMunicipality,
  type Viewer,
} from '../../auth/viewer.ts';
import { type Audience, feedbackAnswerAudience } from '../../db/audience.ts';

export type { Audience };

type ViewerContext = { viewer: Viewer };

/**
 * The departments whose unpublished work the viewer may see: null for the public, all
 * departments of their municipality for planning staff and admins, their own for an editor.
 */
export function draftScope(viewer: Viewer): Prisma.DepartmentWhereInput | null {
  // The external committee reads drafts only through reviewableEvaluations, for its stage.
  if (viewer.kind !== 'token' || viewer.role === 'REVIEWER') return null;
  if (viewer.role === 'EDITOR') return { id: viewer.departmentId ?? -1 };
  // An admin of every municipality: any department (a condition every row meets).
  return viewer.municipalityId === null
    ? { id: { gt: 0 } }
    : { municipalityId: viewer.municipalityId };
}

// ---- Queries: Prisma `where` builders, one per entity type ----

/**
 * The plan rule, for a row that knows its plan's status (`published`) and its department
 * (`inDepartments`): published, or a draft within the viewer's draft scope.
 */
function planVisibility<Where>(
  ctx: ViewerContext,
  published: Where,
  inDepartments: (scope: Prisma.DepartmentWhereInput) => Where,
): Where | { OR: Where[] } {
  const scope = draftScope(ctx.viewer);
  return scope ? { OR: [published, inDepartments(scope)] } : published;
}

/** Plans the caller may read: published ones, and drafts within their draft scope. */
export function visiblePlans(ctx: ViewerContext): Prisma.DepartmentPlanWhereInput {
  return planVisibility<Prisma.DepartmentPlanWhereInput>(ctx, { status: 'PUBLISHED' }, (scope) => ({
    department: scope,
  }));
}

/**
 * Initiatives are visible exactly when their plan is. The plan's status is read from its copy
 * on the initiative (Initiative.planStatus, kept by the database's triggers), which the search
 * indexes serve without joining every candidate to its plan.
 */
export function visibleInitiatives(ctx: ViewerContext): Prisma.InitiativeWhereInput {
  return planVisibility<Prisma.InitiativeWhereInput>(ctx, { planStatus: 'PUBLISHED' }, (scope) => ({
    plan: { department: scope },
  }));
}

/** The municipality whose external committee the viewer is, or null. */
function reviewerMunicipality(viewer: Viewer): number | null {
  return viewer.kind === 'token' && viewer.role === 'REVIEWER'
    ? (viewer.municipalityId ?? -1)
    : null;
}

/** Evaluations that reached the committee's stage, of the committee's municipality. */
function inReviewBy(municipalityId: number): Prisma.EvaluationWhereInput {
  return {
    reviewStage: { not: null },
    initiative: { plan: { department: { municipalityId } } },
  };
}

/**
 * Published evaluations of visible plans, unpublished ones within the draft scope, and for
 * the external committee those that reached its stage.
 */
export function visibleEvaluations(ctx: ViewerContext): Prisma.EvaluationWhereInput {
  const scope = draftScope(ctx.viewer);
  const reviews = reviewerMunicipality(ctx.viewer);
  return {
    initiative: visibleInitiatives(ctx),
    ...(scope
      ? { OR: [{ status: 'PUBLISHED' }, { initiative: { plan: { department: scope } } }] }
      : reviews !== null
        ? { OR: [{ status: 'PUBLISHED' }, inReviewBy(reviews)] }
        : { status: 'PUBLISHED' }),
  };
}

const STAGE_KINDS = ['SELF', 'FIRST', 'SECOND', 'EXTERNAL'] as const;

/**
 * The stages of evaluations (自己評価, 一次, 二次, 外部) the caller may read: the department's
 * staff all of them; the municipality's external committee, of the evaluations that reached
 * its stage, the completed stages and its own. Never the public, not even once published: the
 * public sees the evaluation's result, not how it was reached.
 */
export function visibleEvaluationStages(ctx: ViewerContext): Prisma.EvaluationStageWhereInput {
  const { viewer } = ctx;
  const reviews = reviewerMunicipality(viewer);
  if (reviews !== null) {
    return {
      evaluation: inReviewBy(reviews),
      OR: [
        { state: 'COMPLETED' },
        ...STAGE_KINDS.map((kind) => ({ kind, evaluation: { reviewStage: kind } })),
      ],
    };
  }
  const scope = draftScope(viewer);
  return scope ? { evaluation: { initiative: { plan: { department: scope } } } } : { id: -1 };
}

/**
 * May the caller read this evaluation to work on one of its stages? Those who may see it,
 * and the municipality's external committee (which reads like the public otherwise).
 */
export function isEvaluationReviewable(
  evaluation: { status: string },
  plan: { status: string; department: { id: number; municipalityId: number } },
  ctx: ViewerContext,
): boolean {
  if (actsForDepartment(ctx.viewer, plan.department)) return true;
  if (plan.status !== 'PUBLISHED') return false;
  return (
    isEvaluationVisible(evaluation, plan.department, ctx) ||
    reviewsForMunicipality(ctx.viewer, plan.department.municipalityId)
  );
}

/** Approved feedback on visible plans; all of it for the department concerned and planning. */
export function visibleFeedback(ctx: ViewerContext): Prisma.FeedbackWhereInput {
  const scope = draftScope(ctx.viewer);
  return {
    plan: visiblePlans(ctx),
    ...(scope
      ? { OR: [{ status: 'APPROVED' }, { plan: { department: scope } }] }
      : { status: 'APPROVED' }),
  };
}

/**
 * Official answers to opinions: published ones to opinions the caller sees approved (public
 * only on published plans: visibleFeedback); all of them for the department concerned and
 * planning. The same rule as feedbackAnswerAudience (db/audience.ts), as a query.
 */
export function visibleFeedbackAnswers(ctx: ViewerContext): Prisma.FeedbackAnswerWhereInput {
  const scope = draftScope(ctx.viewer);
  const published: Prisma.FeedbackAnswerWhereInput = {
    status: 'PUBLISHED',
    feedback: { status: 'APPROVED' },
  };
  return {
    feedback: visibleFeedback(ctx),
    ...(scope ? { OR: [published, { feedback: { plan: { department: scope } } }] } : published),
  };
}

/** For an answer loaded with its opinion and plan: the audience rule, judged for the viewer. */
export function isFeedbackAnswerVisible(
  answer: { status: 'DRAFT' | 'PUBLISHED' },
  feedback: { status: 'PENDING' | 'APPROVED' | 'REJECTED' },
  plan: {
    status: 'DRAFT' | 'PUBLISHED';
    departmentId: number;
    department: { municipalityId: number };
  },
  ctx: ViewerContext,
): boolean {
  return seesAudience(ctx.viewer, feedbackAnswerAudience(answer, feedback, plan), {
    municipalityId: plan.department.municipalityId,
    departmentId: plan.departmentId,
  });
}

/**
 * Change records the viewer may read: those whose entity they could see before or after the
 * change (the same rule as judgeChange, as a query).
 */
export function visibleChanges(ctx: ViewerContext): Prisma.ChangeRecordWhereInput {
  const publicly: Prisma.ChangeRecordWhereInput = {
    OR: [{ audienceBefore: 'PUBLIC' }, { audienceAfter: 'PUBLIC' }],
  };
  const either = (audiences: Audience[]): Prisma.ChangeRecordWhereInput => ({
    OR: [{ audienceBefore: { in: audiences } }, { audienceAfter: { in: audiences } }],
  });
  const reviews = reviewerMunicipality(ctx.viewer);
  if (reviews !== null) {
    return { OR: [publicly, { AND: [{ municipalityId: reviews }, either(['REVIEW'])] }] };
  }
  const staff = staffScope(ctx.viewer);
  if (!staff) return publicly;
  return { OR: [publicly, { AND: [staff, either(['STAFF', 'REVIEW'])] }] };
}

/** The change records whose STAFF audience includes the viewer (see seesAudience). */
function staffScope(viewer: Viewer): Prisma.ChangeRecordWhereInput | null {
  if (viewer.kind !== 'token' || viewer.role === 'REVIEWER') return null;
  if (viewer.role === 'EDITOR') {
    return { municipalityId: viewer.municipalityId ?? -1, departmentId: viewer.departmentId ?? -1 };
  }
  return viewer.municipalityId === null ? {} : { municipalityId: viewer.municipalityId };
}

/** An evaluation's state as the rules below read it (reviewStage: see visibleEvaluations). */
export interface EvaluationState {
  status: string;
  reviewStage?: string | null;
}

/** For an evaluation reached through its (visible) initiative, whose department is known. */
export function isEvaluationVisible(
  evaluation: EvaluationState,
  department: { id: number; municipalityId: number },
  ctx: ViewerContext,
): boolean {
  if (evaluation.status === 'PUBLISHED') return true;
  if (actsForDepartment(ctx.viewer, department)) return true;
  return (
    evaluation.reviewStage != null && reviewerMunicipality(ctx.viewer) === department.municipalityId
  );
}

/**
 * Does deciding on an unpublished evaluation need its department (id and municipality)? Only
 * for viewers who may see some: those with a draft scope and the external committee. The
 * public's queries stay without that join.
 */
export function needsDepartmentForDrafts(viewer: Viewer): boolean {
  return draftScope(viewer) !== null || reviewerMunicipality(viewer) !== null;
}

/**
 * What `Initiative.evaluation` shows of a loaded evaluation: published ones; others only to
 * those who may see them (isEvaluationVisible; the department is loaded only when
 * needsDepartmentForDrafts). The Pothos field and the compiled read
 * (modules/plan/plan.compiled.ts) both decide with this.
 */
export function shownEvaluation<E extends EvaluationState>(
  evaluation: E | null | undefined,
  department: { id: number; municipalityId: number } | undefined,
  ctx: ViewerContext,
): E | null {
  if (!evaluation) return null;
  if (evaluation.status === 'PUBLISHED') return evaluation;
  return department && isEvaluationVisible(evaluation, department, ctx) ? evaluation : null;
}

/** The submitter's contact address: the planning section (ADMIN/PLANNING) only. */
export function canSeeContact(ctx: ViewerContext, municipalityId: number): boolean {
  return actsForMunicipality(ctx.viewer, municipalityId);
}

// Audiences of entity states (planAudience...) are in db/audience.ts, where the write path
// records them; the same functions decide canSee* below.

// ---- Change records: the pure judgment ----

/** What a change record says about who could see its entity, and where the entity sits. */
export interface RecordedAudience {
  municipalityId: number;
  departmentId: number | null;
  audienceBefore: Audience;
  audienceAfter: Audience;
}

/** Could this viewer see an entity with this audience, at this place? */
export function seesAudience(
  viewer: Viewer,
  audience: Audience,
  place: { municipalityId: number; departmentId: number | null },
): boolean {
  if (audience === 'PUBLIC') return true;
  if (audience === 'NONE') return false;
  if (audience === 'REVIEW' && reviewerMunicipality(viewer) === place.municipalityId) return true;
  return place.departmentId === null
    ? actsForMunicipality(viewer, place.municipalityId)
    : actsForDepartment(viewer, { id: place.departmentId, municipalityId: place.municipalityId });
}

export type ViewerChangeKind = 'ENTERED' | 'MODIFIED' | 'LEFT';

/**
 * The change as this viewer experiences it: the entity entering their view, modified within
 * it, leaving it, or null (they could see it neither before nor after: nothing to tell).
 */
export function judgeChange(viewer: Viewer, record: RecordedAudience): ViewerChangeKind | null {
  const before = seesAudience(viewer, record.audienceBefore, record);
  const after = seesAudience(viewer, record.audienceAfter, record);
  if (before && after) return 'MODIFIED';
  if (after) return 'ENTERED';
  if (before) return 'LEFT';
  return null;
}

/**
 * May the viewer see who made the change as the token itself (`token:<prefix> (<name>)`)?
 * Only the staff of the record's place; everyone else sees the office.
 */
export function seesActorToken(viewer: Viewer, record: RecordedAudience): boolean {
  return seesAudience(viewer, 'STAFF', record);
}

/**
 * Everything the judgment looks at for one viewer, as a key: viewers with the same key get
 * the same judgment of every record (the live feed judges once per key and record).
 */
export function visibilityClass(viewer: Viewer): string {
  return viewer.kind === 'token'
    ? `${viewer.role}:${viewer.municipalityId ?? '*'}:${viewer.departmentId ?? '*'}`
    : 'anonymous';
}

/** What a live stream needs to judge records for this viewer (live/ knows no domain rule). */
export function liveJudge(viewer: Viewer) {
  return {
    visibilityClass: visibilityClass(viewer),
    judge: (record: RecordedAudience) => judgeChange(viewer, record),
  };
}

// ---- Declaring fields ----

/** The entity kinds a field can return (directly, in a list or connection, or as a count). */
export type Guarded =
  | 'plan'
  | 'initiative'
  | 'evaluation'
  | 'change'
  | 'feedback'
  | 'feedbackAnswer'
  | 'delegated';

/**
 * Spread into a field's options: says that its resolver filters what it returns with this
 * module. tests/visibility/schema-walk.test.ts fails for any field that returns one of these
 * entities (or a count of them) without declaring it.
 */
export function guardedBy(kind: Guarded, how: string) {
  return { extensions: { visibility: { kind, how } } };
}
