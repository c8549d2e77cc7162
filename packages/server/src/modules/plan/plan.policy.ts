// Who may see and change which plans. Every read path (root queries, relations, node(id:))
// filters through these, and every write asks them first, so a rule changes in one place.
import { actsForDepartment, type Viewer } from '../../auth/viewer.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Context } from '../../graphql/context.ts';

/**
 * The departments whose unpublished work the viewer may see: null for the public, all
 * departments of their municipality for planning staff and admins, their own for an editor.
 */
export function draftScope(viewer: Viewer): Prisma.DepartmentWhereInput | null {
  if (viewer.kind !== 'token') return null;
  if (viewer.role === 'EDITOR') return { id: viewer.departmentId ?? -1 };
  // An admin of every municipality: any department (a condition every row meets).
  return viewer.municipalityId === null
    ? { id: { gt: 0 } }
    : { municipalityId: viewer.municipalityId };
}

/** Plans the caller may read: published ones, and drafts within their draft scope. */
export function visiblePlans(ctx: Pick<Context, 'viewer'>): Prisma.DepartmentPlanWhereInput {
  const scope = draftScope(ctx.viewer);
  return scope ? { OR: [{ status: 'PUBLISHED' }, { department: scope }] } : { status: 'PUBLISHED' };
}

/** Initiatives are visible exactly when their plan is. */
export function visibleInitiatives(ctx: Pick<Context, 'viewer'>): Prisma.InitiativeWhereInput {
  return { plan: visiblePlans(ctx) };
}

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
