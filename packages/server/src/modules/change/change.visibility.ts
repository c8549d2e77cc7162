// May this viewer see the record a change is about? Asked for every live event, so it reuses
// the read policies (plan.policy.ts, evaluation.policy.ts) and answers from the current state:
// a record that is (still) visible, or, once deleted, whose plan (or department) is. Handed to
// live/ as the stream's visibility, so the live layer itself knows no domain rule.
import { actsForDepartment, type Viewer } from '../../auth/viewer.ts';
import type { PrismaClient } from '../../db/client.ts';
import type { ChangeRecord } from '../../generated/prisma/client.ts';
import type { StreamVisibility } from '../../live/visibility-memo.ts';
import { visibleEvaluations } from '../evaluation/evaluation.policy.ts';
import { visibleInitiatives, visiblePlans } from '../plan/plan.policy.ts';

export async function isVisibleTo(prisma: PrismaClient, viewer: Viewer, record: ChangeRecord) {
  const ctx = { viewer };
  const id = record.entityId;
  if (record.action !== 'DELETE') {
    switch (record.entityType) {
      case 'DepartmentPlan':
        return (await prisma.departmentPlan.count({ where: { id, AND: [visiblePlans(ctx)] } })) > 0;
      case 'Initiative':
        return (
          (await prisma.initiative.count({ where: { id, AND: [visibleInitiatives(ctx)] } })) > 0
        );
      case 'Evaluation':
        return (
          (await prisma.evaluation.count({ where: { id, AND: [visibleEvaluations(ctx)] } })) > 0
        );
      default:
        return false;
    }
  }
  if (record.departmentId === null) return false;
  if (record.entityType === 'DepartmentPlan') {
    // Only drafts are deleted: those who could see the department's drafts may know.
    return actsForDepartment(viewer, {
      id: record.departmentId,
      municipalityId: record.municipalityId,
    });
  }
  const planWhere = { departmentId: record.departmentId, fiscalYear: record.fiscalYear ?? -1 };
  return (
    (await prisma.departmentPlan.count({ where: { ...planWhere, AND: [visiblePlans(ctx)] } })) > 0
  );
}

/** Everything the read policies look at (see plan.policy.ts draftScope): nothing else. */
export function visibilityClass(viewer: Viewer): string {
  return viewer.kind === 'token'
    ? `${viewer.role}:${viewer.municipalityId ?? '*'}:${viewer.departmentId ?? '*'}`
    : 'anonymous';
}

/** The visibility of a live stream opened by this viewer. */
export function liveVisibility(prisma: PrismaClient, viewer: Viewer): StreamVisibility {
  return {
    key: visibilityClass(viewer),
    isVisible: (record) => isVisibleTo(prisma, viewer, record),
  };
}
