// Visibility recorded at the time: inside the write's transaction, after its work, each
// change record gets the audience of its entity before the change (the audience the log last
// recorded for it), after the change (read from the rows as the transaction now sees them),
// and the entity's state after the change (the snapshot events carry). Nothing later changes
// them, so every later reader judges a change by what was true when it was made.
import { Prisma } from '../../generated/prisma/client.ts';

/** Who could see an entity: nobody (it does not exist), its department's staff, everyone. */
export type Audience = 'NONE' | 'STAFF' | 'REVIEW' | 'PUBLIC';

// The audience of an entity state: the rule of modules/visibility/visibility.policy.ts for
// one row (that module's where builders say the same for queries).

type Status = 'DRAFT' | 'PUBLISHED';

export function planAudience(plan: { status: Status }): Audience {
  return plan.status === 'PUBLISHED' ? 'PUBLIC' : 'STAFF';
}

export function evaluationAudience(
  evaluation: { status: Status; reviewStage?: string | null },
  plan: { status: Status },
): Audience {
  if (plan.status !== 'PUBLISHED') return 'STAFF';
  if (evaluation.status === 'PUBLISHED') return 'PUBLIC';
  // Reached the external committee's stage: the committee reads it too.
  return evaluation.reviewStage != null ? 'REVIEW' : 'STAFF';
}

export function feedbackAudience(
  feedback: { status: 'PENDING' | 'APPROVED' | 'REJECTED' },
  plan: { status: Status },
): Audience {
  return feedback.status === 'APPROVED' && plan.status === 'PUBLISHED' ? 'PUBLIC' : 'STAFF';
}

/** An official answer: public once published, to an opinion the public sees. */
export function feedbackAnswerAudience(
  answer: { status: Status },
  feedback: { status: 'PENDING' | 'APPROVED' | 'REJECTED' },
  plan: { status: Status },
): Audience {
  return answer.status === 'PUBLISHED' && feedbackAudience(feedback, plan) === 'PUBLIC'
    ? 'PUBLIC'
    : 'STAFF';
}

type Tx = Prisma.TransactionClient;

export interface DescribedChange {
  entityType: string;
  entityId: number;
  action: 'CREATE' | 'UPDATE' | 'DELETE';
  /**
   * The entity's row as the write left it, when the write has it whole (an UPDATE's answer):
   * for an entity whose own row says its state (STATE_OF_ROW), taken instead of read again.
   */
  row?: Record<string, unknown>;
}

/** What a change's own moment decides: who may see the entity after it, and its state. */
export interface StateAfter {
  audienceAfter: Audience;
  /** Undefined (stored as NULL) once the entity is gone. */
  snapshot: Prisma.InputJsonValue | undefined;
}

export interface ChangeDescription extends StateAfter {
  audienceBefore: Audience;
}

// Publication facts (PlanYear) say where plans are published: public like the white papers.
// Status rules say how statuses are computed: anyone may read them.
export const ALWAYS_PUBLIC: ReadonlySet<string> = new Set([
  'Municipality',
  'Department',
  'WhitePaper',
  'PlanYear',
  'StatusRuleSet',
]);

interface State {
  audience: Audience;
  snapshot: Record<string, unknown> | null;
}

/** JSON-safe form of a column value (as change records store them). */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  return value ?? null;
}

function snapshotOf(row: Record<string, unknown>, fields: readonly string[]) {
  return Object.fromEntries(fields.map((field) => [field, plain(row[field])]));
}

/**
 * Columns never in a snapshot: kept by triggers (search forms, the department's order), the
 * row's own timestamps (the change record has its time), and what is private to staff (a
 * citizen's contact address, the moderator's name): snapshots are as widely readable as the
 * entity. Every other column of the row is in it, a new one included.
 */
export const NOT_IN_SNAPSHOTS: ReadonlySet<string> = new Set([
  'searchText',
  'departmentOrder',
  'planFiscalYear',
  'planStatus',
  'planDepartmentOrder',
  'createdAt',
  'updatedAt',
  'contactEmail',
  'moderatedBy',
]);

const snapshotFields = (columns: Record<string, string>) =>
  Object.keys(columns).filter((column) => !NOT_IN_SNAPSHOTS.has(column));

/** The columns each entity's snapshot carries: its row's scalar columns but the ones above. */
export const SNAPSHOT_FIELDS = {
  DepartmentPlan: snapshotFields(Prisma.DepartmentPlanScalarFieldEnum),
  Initiative: snapshotFields(Prisma.InitiativeScalarFieldEnum),
  Evaluation: snapshotFields(Prisma.EvaluationScalarFieldEnum),
  Target: snapshotFields(Prisma.TargetScalarFieldEnum),
  TargetActual: snapshotFields(Prisma.TargetActualScalarFieldEnum),
  Feedback: snapshotFields(Prisma.FeedbackScalarFieldEnum),
  ReportingReminder: snapshotFields(Prisma.ReportingReminderScalarFieldEnum),
  FeedbackAnswer: snapshotFields(Prisma.FeedbackAnswerScalarFieldEnum),
} as const;

/**
 * Entities whose state is their own row's: an initiative follows its plan through the copy of
 * the plan's status the row keeps (kept by the database, migration initiative_plan_year_status).
 */
const STATE_OF_ROW: Record<
  string,
  { fields: readonly string[]; state(row: Record<string, unknown>): State }
> = {
  Initiative: {
    fields: [...SNAPSHOT_FIELDS.Initiative, 'planStatus'],
    state: (row) => ({
      audience: planAudience({ status: row.planStatus as Status }),
      snapshot: snapshotOf(row, SNAPSHOT_FIELDS.Initiative),
    }),
  },
};

/** The entities' audiences and snapshots as the transaction sees them now. */
async function statesNow(tx: Tx, type: string, ids: number[]): Promise<Map<number, State>> {
  const states = new Map<number, State>();
  const put = (row: { id: number }, audience: Audience, fields: readonly string[]) =>
    states.set(row.id, { audience, snapshot: snapshotOf(row, fields) });
  if (type === 'DepartmentPlan') {
    for (const row of await tx.departmentPlan.findMany({ where: { id: { in: ids } } })) {
      put(row, planAudience(row), SNAPSHOT_FIELDS.DepartmentPlan);
    }
  } else if (type === 'Initiative') {
    for (const row of await tx.initiative.findMany({ where: { id: { in: ids } } })) {
      states.set(row.id, STATE_OF_ROW.Initiative?.state(row) as State);
    }
  } else if (type === 'Evaluation') {
    const rows = await tx.evaluation.findMany({
      where: { id: { in: ids } },
      include: { initiative: { select: { plan: { select: { status: true } } } } },
    });
    for (const row of rows) {
      put(row, evaluationAudience(row, row.initiative.plan), SNAPSHOT_FIELDS.Evaluation);
    }
  } else if (type === 'Target') {
    // Targets and their actuals follow their initiative, which follows its plan.
    const rows = await tx.target.findMany({
      where: { id: { in: ids } },
      include: { initiative: { select: { plan: { select: { status: true } } } } },
    });
    for (const row of rows) put(row, planAudience(row.initiative.plan), SNAPSHOT_FIELDS.Target);
  } else if (type === 'TargetActual') {
    const rows = await tx.targetActual.findMany({
      where: { id: { in: ids } },
      include: { target: { select: { initiative: { select: { plan: true } } } } },
    });
    for (const row of rows) {
      put(row, planAudience(row.target.initiative.plan), SNAPSHOT_FIELDS.TargetActual);
    }
  } else if (type === 'Feedback') {
    const rows = await tx.feedback.findMany({
      where: { id: { in: ids } },
      include: { plan: { select: { status: true } } },
    });
    for (const row of rows) put(row, feedbackAudience(row, row.plan), SNAPSHOT_FIELDS.Feedback);
  } else if (type === 'ReportingReminder') {
    // A department's pending work: its staff and the planning office see reminders, nobody else.
    const rows = await tx.reportingReminder.findMany({ where: { id: { in: ids } } });
    for (const row of rows) put(row, 'STAFF', SNAPSHOT_FIELDS.ReportingReminder);
  } else if (type === 'FeedbackAnswer') {
    const rows = await tx.feedbackAnswer.findMany({
      where: { id: { in: ids } },
      include: { feedback: { select: { status: true, plan: { select: { status: true } } } } },
    });
    for (const row of rows) {
      const audience = feedbackAnswerAudience(row, row.feedback, row.feedback.plan);
      put(row, audience, SNAPSHOT_FIELDS.FeedbackAnswer);
    }
  } else if (ALWAYS_PUBLIC.has(type)) {
    for (const id of ids) states.set(id, { audience: 'PUBLIC', snapshot: null });
  }
  return states;
}

/** The audience the log last recorded for each entity (its audienceAfter). */
async function lastRecorded(tx: Tx, changes: readonly DescribedChange[]) {
  const byType = new Map<string, number[]>();
  for (const { entityType, entityId } of changes) {
    byType.set(entityType, [...(byType.get(entityType) ?? []), entityId]);
  }
  const rows = await tx.changeRecord.findMany({
    where: { OR: [...byType].map(([entityType, ids]) => ({ entityType, entityId: { in: ids } })) },
    orderBy: [{ entityType: 'asc' }, { entityId: 'asc' }, { id: 'desc' }],
    distinct: ['entityType', 'entityId'],
    select: { entityType: true, entityId: true, audienceAfter: true },
  });
  return new Map(rows.map((row) => [`${row.entityType}:${row.entityId}`, row.audienceAfter]));
}

/** The audiences after, and snapshots, of changes of one write, in order, read now. */
export async function statesAfter(
  tx: Tx,
  changes: readonly DescribedChange[],
): Promise<StateAfter[]> {
  const now = new Map<string, State>();
  // An entity changed once here, whose row the write answered whole: its state from that row.
  const times = new Map<string, number>();
  for (const { entityType, entityId } of changes) {
    const key = `${entityType}:${entityId}`;
    times.set(key, (times.get(key) ?? 0) + 1);
  }
  for (const { entityType, entityId, row } of changes) {
    const ofRow = STATE_OF_ROW[entityType];
    const key = `${entityType}:${entityId}`;
    if (row && ofRow && times.get(key) === 1 && ofRow.fields.every((field) => field in row)) {
      now.set(key, ofRow.state(row));
    }
  }
  const byType = new Map<string, Set<number>>();
  for (const change of changes) {
    if (now.has(`${change.entityType}:${change.entityId}`)) continue;
    if (!byType.has(change.entityType)) byType.set(change.entityType, new Set());
    byType.get(change.entityType)?.add(change.entityId);
  }
  for (const [type, ids] of byType) {
    for (const [id, state] of await statesNow(tx, type, [...ids])) now.set(`${type}:${id}`, state);
  }
  return changes.map((change) => {
    const state =
      change.action === 'DELETE' ? undefined : now.get(`${change.entityType}:${change.entityId}`);
    return {
      audienceAfter: state?.audience ?? 'NONE',
      snapshot: (state?.snapshot ?? undefined) as Prisma.InputJsonValue | undefined,
    };
  });
}

/**
 * The audience before each change, in order: none before a creation, else the audience after
 * the entity's previous change, among these or (for its first here) the last the log holds.
 * Only the log's order matters, so it may be asked any time before the changes are stored, for
 * changes gathered over many moments of one write (an import stores many at once).
 */
export async function audiencesBefore(
  tx: Tx,
  changes: readonly (DescribedChange & { audienceAfter: Audience })[],
): Promise<Audience[]> {
  if (changes.length === 0) return [];
  const previous = await lastRecorded(tx, changes);
  return changes.map((change) => {
    const key = `${change.entityType}:${change.entityId}`;
    const audienceBefore: Audience =
      change.action === 'CREATE' ? 'NONE' : (previous.get(key) ?? fallbackBefore(change));
    previous.set(key, change.audienceAfter);
    return audienceBefore;
  });
}

/**
 * Audiences and snapshots for the changes of one write, in order. Several changes of one
 * entity in one write chain: each one's "before" is the previous one's "after".
 */
export async function describeChanges(
  tx: Tx,
  changes: readonly DescribedChange[],
): Promise<ChangeDescription[]> {
  if (changes.length === 0) return [];
  const states = await statesAfter(tx, changes);
  const after = changes.map((change, index) => ({ ...change, ...(states[index] as StateAfter) }));
  const before = await audiencesBefore(tx, after);
  return after.map(({ audienceAfter, snapshot }, index) => ({
    audienceBefore: before[index] as Audience,
    audienceAfter,
    snapshot,
  }));
}

/** An entity with no record at all (older than the log): public types public, others staff. */
function fallbackBefore(change: DescribedChange): Audience {
  return ALWAYS_PUBLIC.has(change.entityType) ? 'PUBLIC' : 'STAFF';
}
