// Who is calling: anonymous, or the holder of an API token with a role and a scope.
export type Role = 'ADMIN' | 'PLANNING' | 'EDITOR' | 'REVIEWER';

export type Viewer =
  | { kind: 'anonymous' }
  | {
      kind: 'token';
      tokenId: number;
      /** Shown in change records: `token:<prefix> (<name>)`. */
      actor: string;
      /** The office the token acts for (department, section or municipality name). */
      office: string;
      role: Role;
      /** Null only for an ADMIN of every municipality. */
      municipalityId: number | null;
      /** Set for EDITOR tokens. */
      departmentId: number | null;
    };

export const anonymous: Viewer = { kind: 'anonymous' };

/** Who made a change: the token itself, and the office it acts for (what the public sees). */
export interface Actor {
  subject: string;
  office: string;
}

/** The names written to change records for this caller. */
export function actorOf(viewer: Viewer): Actor {
  return viewer.kind === 'token'
    ? { subject: viewer.actor, office: viewer.office }
    : { subject: 'anonymous', office: 'citizen' };
}

/** ADMIN and PLANNING act for a whole municipality (an ADMIN without one, for all). */
export function actsForMunicipality(viewer: Viewer, municipalityId: number): boolean {
  if (viewer.kind !== 'token') return false;
  if (viewer.role === 'ADMIN')
    return viewer.municipalityId === null || viewer.municipalityId === municipalityId;
  return viewer.role === 'PLANNING' && viewer.municipalityId === municipalityId;
}

/** An external evaluation committee's token (REVIEWER) of the municipality. */
export function reviewsForMunicipality(viewer: Viewer, municipalityId: number): boolean {
  return (
    viewer.kind === 'token' &&
    viewer.role === 'REVIEWER' &&
    viewer.municipalityId === municipalityId
  );
}

/** Planning staff of the municipality, admins, and the department's own editors. */
export function actsForDepartment(
  viewer: Viewer,
  department: { id: number; municipalityId: number },
): boolean {
  if (actsForMunicipality(viewer, department.municipalityId)) return true;
  return (
    viewer.kind === 'token' &&
    viewer.role === 'EDITOR' &&
    viewer.municipalityId === department.municipalityId &&
    viewer.departmentId === department.id
  );
}
