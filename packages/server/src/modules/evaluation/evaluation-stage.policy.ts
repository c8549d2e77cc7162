// Who may work on which stage of an evaluation (writes), the stages a municipality uses, and
// when an evaluation is ready to publish. Who may *see* stages is decided in
// modules/visibility/visibility.policy.ts.
import {
  actsForDepartment,
  actsForMunicipality,
  type Role,
  reviewsForMunicipality,
  type Viewer,
} from '../../auth/viewer.ts';
import type { Tx } from '../../db/history.ts';
import { ErrorCode } from '../../errors.ts';

export type StageKind = 'SELF' | 'FIRST' | 'SECOND' | 'EXTERNAL';
export type Decision = 'CONTINUE' | 'EXPAND' | 'REDUCE' | 'ABOLISH' | 'COMPLETE';

export interface StageDefinition {
  kind: StageKind;
  position: number;
  name: string;
  role: Role;
  required: boolean;
}

/**
 * What every municipality uses until it configures its own (EvaluationStageDefinition rows):
 * the department's 自己評価, the planning section's 一次 and 二次評価, and an optional 外部評価
 * by the external committee. Only the procedure: no data about any municipality.
 */
export const DEFAULT_STAGES: readonly StageDefinition[] = [
  { kind: 'SELF', position: 1, name: '自己評価', role: 'EDITOR', required: true },
  { kind: 'FIRST', position: 2, name: '一次評価', role: 'PLANNING', required: true },
  { kind: 'SECOND', position: 3, name: '二次評価', role: 'PLANNING', required: true },
  { kind: 'EXTERNAL', position: 4, name: '外部評価', role: 'REVIEWER', required: false },
];

/** The municipality's stages in order: its configured ones, or the defaults. */
export async function stageDefinitions(tx: Tx, municipalityId: number): Promise<StageDefinition[]> {
  const rows = await tx.evaluationStageDefinition.findMany({
    where: { municipalityId },
    orderBy: { position: 'asc' },
  });
  return rows.length > 0 ? rows : [...DEFAULT_STAGES];
}

interface Department {
  id: number;
  municipalityId: number;
}

/**
 * May the viewer work on a stage done by `role`? EDITOR stages: the department's editors (and
 * planning, who act for every department); PLANNING and ADMIN stages: planning staff and
 * admins; REVIEWER stages: the municipality's external committee, or planning on its behalf.
 */
export function mayWorkOnStage(viewer: Viewer, role: Role, department: Department): boolean {
  switch (role) {
    case 'EDITOR':
      return actsForDepartment(viewer, department);
    case 'REVIEWER':
      return (
        reviewsForMunicipality(viewer, department.municipalityId) ||
        actsForMunicipality(viewer, department.municipalityId)
      );
    default:
      return actsForMunicipality(viewer, department.municipalityId);
  }
}

/**
 * May the viewer send this stage back? Whoever may work on it, or on a later stage (a 一次
 * reviewer returns the department's 自己評価 to it).
 */
export function mayReturnStage(
  viewer: Viewer,
  definitions: readonly StageDefinition[],
  kind: StageKind,
  department: Department,
): boolean {
  const index = definitions.findIndex((d) => d.kind === kind);
  return definitions.slice(index).some((d) => mayWorkOnStage(viewer, d.role, department));
}

interface StageState {
  kind: string;
  state: 'OPEN' | 'COMPLETED';
}

/**
 * Why the stage may not be worked on now, or null: every earlier required stage must be
 * completed and no later stage may be (send that one back first).
 */
export function outOfOrder(
  definitions: readonly StageDefinition[],
  stages: readonly StageState[],
  kind: StageKind,
): string | null {
  const index = definitions.findIndex((d) => d.kind === kind);
  const completed = new Set(stages.filter((s) => s.state === 'COMPLETED').map((s) => s.kind));
  const missing = definitions.slice(0, index).find((d) => d.required && !completed.has(d.kind));
  if (missing) return `${missing.name} (${missing.kind}) must be completed first`;
  const later = definitions.slice(index + 1).find((d) => completed.has(d.kind));
  if (later) return `${later.name} (${later.kind}) is already completed: send it back first`;
  return null;
}

/**
 * The external committee's stage (role REVIEWER) the evaluation has reached: every required
 * stage before it completed. Null when it has not (or the municipality has no such stage).
 * Kept on the evaluation (Evaluation.reviewStage): the visibility module lets the committee
 * read exactly those evaluations.
 */
export function reviewStageOf(
  definitions: readonly StageDefinition[],
  stages: readonly StageState[],
): StageKind | null {
  const completed = new Set(stages.filter((s) => s.state === 'COMPLETED').map((s) => s.kind));
  const index = definitions.findIndex((d) => d.role === 'REVIEWER');
  const definition = definitions[index];
  if (!definition) return null;
  const missing = definitions.slice(0, index).some((d) => d.required && !completed.has(d.kind));
  return missing ? null : definition.kind;
}

/** The stage whose result the evaluation shows: the last completed one, in stage order. */
export function lastCompleted<S extends StageState>(
  definitions: readonly StageDefinition[],
  stages: readonly S[],
): S | undefined {
  const order = new Map<string, number>(definitions.map((d, index) => [d.kind, index]));
  return stages
    .filter((s) => s.state === 'COMPLETED')
    .sort((a, b) => (order.get(a.kind) ?? 0) - (order.get(b.kind) ?? 0))
    .at(-1);
}

const DECISION_NAMES: Record<Decision, string> = {
  CONTINUE: '継続 (CONTINUE)',
  EXPAND: '拡充 (EXPAND)',
  REDUCE: '縮小 (REDUCE)',
  ABOLISH: '廃止 (ABOLISH)',
  COMPLETE: '完了 (COMPLETE)',
};

/** Decisions that carry the initiative on into the next fiscal year. */
const CARRIED_ON: ReadonlySet<Decision> = new Set(['CONTINUE', 'EXPAND', 'REDUCE']);

export interface ReadinessProblem {
  code: typeof ErrorCode.EVALUATION_NOT_READY | typeof ErrorCode.DECISION_INCONSISTENT;
  message: string;
}

interface Place {
  fiscalYear: number;
  departmentId: number;
  department: { municipalityId: number };
}

/**
 * Why this evaluation may not be published, if anything: a required stage not completed (for
 * an evaluation that records stages; one recorded directly by planning has none), or a
 * decision that does not match what follows. No decision at all is not a contradiction.
 */
export async function readinessProblems(
  tx: Tx,
  evaluation: {
    decision: Decision | null;
    nextInitiativeId: number | null;
    stages: readonly StageState[];
  },
  place: Place,
): Promise<ReadinessProblem[]> {
  const problems: ReadinessProblem[] = [];
  if (evaluation.stages.length > 0) {
    const definitions = await stageDefinitions(tx, place.department.municipalityId);
    const completed = new Set(
      evaluation.stages.filter((s) => s.state === 'COMPLETED').map((s) => s.kind),
    );
    const open = definitions.filter((d) => d.required && !completed.has(d.kind));
    if (open.length > 0) {
      problems.push({
        code: ErrorCode.EVALUATION_NOT_READY,
        message: `stages not completed: ${open.map((d) => `${d.name} (${d.kind})`).join(', ')}`,
      });
    }
  }
  const { decision, nextInitiativeId } = evaluation;
  if (decision === null) return problems;
  const next = `fiscal year ${place.fiscalYear + 1}`;
  if (CARRIED_ON.has(decision)) {
    const initiative =
      nextInitiativeId === null
        ? null
        : await tx.initiative.findUnique({
            where: { id: nextInitiativeId },
            select: { plan: { select: { fiscalYear: true, departmentId: true } } },
          });
    if (!initiative) {
      problems.push({
        code: ErrorCode.DECISION_INCONSISTENT,
        message: `${DECISION_NAMES[decision]} needs the initiative of ${next} that carries it on (nextInitiative)`,
      });
    } else if (
      initiative.plan.fiscalYear !== place.fiscalYear + 1 ||
      initiative.plan.departmentId !== place.departmentId
    ) {
      const wrong =
        initiative.plan.departmentId !== place.departmentId
          ? 'another department'
          : `fiscal year ${initiative.plan.fiscalYear}`;
      problems.push({
        code: ErrorCode.DECISION_INCONSISTENT,
        message: `${DECISION_NAMES[decision]}: the next initiative must be of the same department's plan for ${next}, not of ${wrong}`,
      });
    }
  } else if (nextInitiativeId !== null) {
    problems.push({
      code: ErrorCode.DECISION_INCONSISTENT,
      message: `${DECISION_NAMES[decision]} ends the initiative: it must not name a next initiative`,
    });
  }
  return problems;
}
