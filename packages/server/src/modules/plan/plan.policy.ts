// Who may change which plans (writes). Who may *see* them is decided in
// modules/visibility/visibility.policy.ts, with everything else about visibility.
import { actsForDepartment, actsForMunicipality, type Viewer } from '../../auth/viewer.ts';

/**
 * May the viewer change this plan's content (fields and initiatives)? Planning staff and
 * admins always; the department's editors only while it is a draft, so a published plan
 * never changes in public without the planning section.
 */
export function canEditPlan(
  viewer: Viewer,
  plan: { status: string; department: { id: number; municipalityId: number } },
): boolean {
  if (!actsForDepartment(viewer, plan.department)) return false;
  return viewer.kind === 'token' && (viewer.role !== 'EDITOR' || plan.status === 'DRAFT');
}

/**
 * May the viewer record or remove a target's actuals (実績) on this plan? Whoever may edit it,
 * and the department's editors on its published plans too: a department reports the year's
 * actuals each spring for the plan as it was published (the targets themselves stay as they
 * are; only the planning section changes a published plan).
 */
export function canRecordActuals(
  viewer: Viewer,
  plan: { department: { id: number; municipalityId: number } },
): boolean {
  return viewer.kind === 'token' && actsForDepartment(viewer, plan.department);
}

/** May the viewer publish or unpublish this plan? The municipality's planning section only. */
export function canPublishPlan(
  viewer: Viewer,
  plan: { department: { municipalityId: number } },
): boolean {
  return actsForMunicipality(viewer, plan.department.municipalityId);
}
