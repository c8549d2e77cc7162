// Who may administer a municipality (its record and its departments): admins only. A global
// admin (a token without a municipality) administers every one and alone may add new ones.
import type { Viewer } from '../../auth/viewer.ts';

export function administers(viewer: Viewer, municipalityId: number): boolean {
  return (
    viewer.kind === 'token' &&
    viewer.role === 'ADMIN' &&
    (viewer.municipalityId === null || viewer.municipalityId === municipalityId)
  );
}

export function isGlobalAdmin(viewer: Viewer): boolean {
  return viewer.kind === 'token' && viewer.role === 'ADMIN' && viewer.municipalityId === null;
}
