// The record as it stood at a point: rebuilt from the change log, never from the current row.
// Each change record carries its entity's state after the change (snapshot) and who could see
// it then (audienceAfter); the entity's last record at or before the point gives both. The
// viewer sees that state only if that audience includes them (seesAudience in the visibility
// model): the public sees a plan as of a date only if it was public on that date, and then its
// state on that date, which was public; a draft state never reaches them, whatever happened
// since. Records without a snapshot (none are written today) are rebuilt by folding `after`
// values from the entity's creation on.

import type { ChangeRecord, Prisma } from '../../../generated/prisma/client.ts';
import type { Viewer } from '../../auth/viewer.ts';
import type { PrismaClient } from '../../db/client.ts';
import type { FieldChanges } from '../../db/history.ts';
import { ErrorCode, UserInputError } from '../../errors.ts';
import { seesAudience } from '../visibility/visibility.policy.ts';

export type State = Record<string, unknown> & { id: number };

export interface EntityAt {
  state: State;
  /** The entity's last change at or before the point. */
  record: ChangeRecord;
}

export interface PointInput {
  at?: Date | null;
  sequence?: string | null;
}

/** The cursor a point stands for: a change sequence, or the last change made at or before a time. */
export async function resolvePoint(prisma: PrismaClient, point: PointInput): Promise<bigint> {
  if ((point.at == null) === (point.sequence == null)) {
    throw new UserInputError(ErrorCode.BAD_USER_INPUT, 'Give exactly one of "at" and "sequence"', {
      argument: 'point',
    });
  }
  if (point.sequence != null) {
    if (!/^\d{1,19}$/.test(point.sequence)) {
      throw new UserInputError(ErrorCode.INVALID_CURSOR, '"sequence" must be a change sequence');
    }
    return BigInt(point.sequence);
  }
  const last = await prisma.changeRecord.findFirst({
    where: { createdAt: { lte: point.at as Date } },
    orderBy: { id: 'desc' },
    select: { id: true },
  });
  return last?.id ?? 0n;
}

type Tracked = 'DepartmentPlan' | 'Initiative' | 'Evaluation' | 'Target' | 'TargetActual';

/**
 * The states at `cursor` of the entities of one type the records match, that the viewer could
 * see then. Deleted entities and those the viewer could not see are left out.
 */
export async function statesAt(
  prisma: PrismaClient,
  viewer: Viewer,
  entityType: Tracked,
  where: Prisma.ChangeRecordWhereInput,
  cursor: bigint,
): Promise<Map<number, EntityAt>> {
  const records = await prisma.changeRecord.findMany({
    where: { AND: [where, { entityType, id: { lte: cursor } }] },
    orderBy: { id: 'asc' },
  });
  const folded = new Map<number, { state: State | null; record: ChangeRecord }>();
  for (const record of records) {
    const previous = folded.get(record.entityId)?.state ?? null;
    let state: State | null;
    if (record.action === 'DELETE') state = null;
    else if (record.snapshot) state = { ...(record.snapshot as State), id: record.entityId };
    else {
      state = { ...(previous ?? {}), id: record.entityId };
      for (const [field, change] of Object.entries(record.changes as FieldChanges)) {
        state[field] = change.after;
      }
    }
    folded.set(record.entityId, { state, record });
  }
  const visible = new Map<number, EntityAt>();
  for (const [id, { state, record }] of folded) {
    if (state && seesAudience(viewer, record.audienceAfter, record)) {
      visible.set(id, { state, record });
    }
  }
  return visible;
}

export async function entityAt(
  prisma: PrismaClient,
  viewer: Viewer,
  entityType: Tracked,
  id: number,
  cursor: bigint,
): Promise<EntityAt | null> {
  return (await statesAt(prisma, viewer, entityType, { entityId: id }, cursor)).get(id) ?? null;
}

export interface TargetAt extends EntityAt {
  /** Its actuals then, oldest measurement first. */
  actuals: EntityAt[];
}

export interface InitiativeAt extends EntityAt {
  evaluation: EntityAt | null;
  /** Its targets then (指標と目標値), in the order they were set. */
  targets: TargetAt[];
}

/** The targets (with their actuals) at the cursor of these initiatives, by initiative. */
async function targetsAt(
  prisma: PrismaClient,
  viewer: Viewer,
  place: Prisma.ChangeRecordWhereInput,
  initiativeIds: ReadonlySet<number>,
  cursor: bigint,
): Promise<Map<number, TargetAt[]>> {
  const targets = [...(await statesAt(prisma, viewer, 'Target', place, cursor)).values()].filter(
    ({ state }) => initiativeIds.has(state.initiativeId as number),
  );
  const actuals = [...(await statesAt(prisma, viewer, 'TargetActual', place, cursor)).values()];
  const byInitiative = new Map<number, TargetAt[]>();
  for (const target of targets.sort((a, b) => a.state.id - b.state.id)) {
    const own = actuals
      .filter(({ state }) => state.targetId === target.state.id)
      .sort((a, b) => String(a.state.measuredOn).localeCompare(String(b.state.measuredOn)));
    const key = target.state.initiativeId as number;
    byInitiative.set(key, [...(byInitiative.get(key) ?? []), { ...target, actuals: own }]);
  }
  return byInitiative;
}

export interface PlanAt extends EntityAt {
  initiatives: InitiativeAt[];
}

/** A plan at the cursor with its initiatives (in their order then) and their evaluations. */
export async function planAt(
  prisma: PrismaClient,
  viewer: Viewer,
  id: number,
  cursor: bigint,
): Promise<PlanAt | null> {
  const plan = await entityAt(prisma, viewer, 'DepartmentPlan', id, cursor);
  if (!plan) return null;
  // Records carry their entity's place: the plan's department and year find its contents.
  const place = {
    departmentId: plan.record.departmentId,
    fiscalYear: plan.record.fiscalYear,
  };
  const initiatives = [
    ...(await statesAt(prisma, viewer, 'Initiative', place, cursor)).values(),
  ].filter(({ state }) => state.planId === id);
  const ids = new Set(initiatives.map(({ state }) => state.id));
  const targets = await targetsAt(prisma, viewer, place, ids, cursor);
  const evaluations = new Map<number, EntityAt>();
  for (const evaluation of (await statesAt(prisma, viewer, 'Evaluation', place, cursor)).values()) {
    const initiativeId = evaluation.state.initiativeId as number;
    if (ids.has(initiativeId)) evaluations.set(initiativeId, evaluation);
  }
  return {
    ...plan,
    initiatives: initiatives
      .sort((a, b) => (a.state.position as number) - (b.state.position as number))
      .map((initiative) => ({
        ...initiative,
        evaluation: evaluations.get(initiative.state.id) ?? null,
        targets: targets.get(initiative.state.id) ?? [],
      })),
  };
}

export async function initiativeAt(
  prisma: PrismaClient,
  viewer: Viewer,
  id: number,
  cursor: bigint,
): Promise<InitiativeAt | null> {
  const initiative = await entityAt(prisma, viewer, 'Initiative', id, cursor);
  if (!initiative) return null;
  const place = {
    departmentId: initiative.record.departmentId,
    fiscalYear: initiative.record.fiscalYear,
  };
  const evaluations = await statesAt(prisma, viewer, 'Evaluation', place, cursor);
  const evaluation = [...evaluations.values()].find(({ state }) => state.initiativeId === id);
  const targets = await targetsAt(prisma, viewer, place, new Set([id]), cursor);
  return { ...initiative, evaluation: evaluation ?? null, targets: targets.get(id) ?? [] };
}

// ---- Differences between two points ----

export interface FieldDiff {
  entityType: string;
  entityId: number;
  field: string;
  before: unknown;
  after: unknown;
}

/** Fields never worth a line of their own: identity, and links already implied by nesting. */
const SKIPPED = new Set(['id', 'planId', 'initiativeId', 'targetId', 'departmentId', 'fiscalYear']);

function diffStates(
  entityType: string,
  entityId: number,
  before: State | null,
  after: State | null,
): FieldDiff[] {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const diffs: FieldDiff[] = [];
  for (const field of fields) {
    if (SKIPPED.has(field)) continue;
    const a = before?.[field] ?? null;
    const b = after?.[field] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      diffs.push({ entityType, entityId, field, before: a, after: b });
    }
  }
  return diffs;
}

type Tree = { type: string; id: number; state: State; children: Tree[] };

function treeOf(
  type: string,
  entity: EntityAt & {
    evaluation?: EntityAt | null;
    initiatives?: InitiativeAt[];
    targets?: TargetAt[];
    actuals?: EntityAt[];
  },
): Tree {
  const children: Tree[] = [];
  for (const initiative of entity.initiatives ?? [])
    children.push(treeOf('Initiative', initiative));
  if (entity.evaluation) children.push(treeOf('Evaluation', entity.evaluation));
  for (const target of entity.targets ?? []) children.push(treeOf('Target', target));
  for (const actual of entity.actuals ?? []) children.push(treeOf('TargetActual', actual));
  return { type, id: entity.state.id, state: entity.state, children };
}

/** Field by field, parent first, then what it contains (in the later point's order). */
export function diffTrees(before: Tree | null, after: Tree | null): FieldDiff[] {
  const head = after ?? before;
  if (!head) return [];
  const diffs = diffStates(head.type, head.id, before?.state ?? null, after?.state ?? null);
  const key = (tree: Tree) => `${tree.type}:${tree.id}`;
  const beforeChildren = new Map((before?.children ?? []).map((c) => [key(c), c]));
  const seen = new Set<string>();
  for (const child of after?.children ?? []) {
    seen.add(key(child));
    diffs.push(...diffTrees(beforeChildren.get(key(child)) ?? null, child));
  }
  for (const child of before?.children ?? []) {
    if (!seen.has(key(child))) diffs.push(...diffTrees(child, null));
  }
  return diffs;
}

export { treeOf };
