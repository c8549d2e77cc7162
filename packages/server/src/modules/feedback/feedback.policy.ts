// Who may moderate citizens' opinions and answer them (writes). Who may *see* them and their
// answers is decided in modules/visibility/visibility.policy.ts.
import { actsForMunicipality, type Viewer } from '../../auth/viewer.ts';

/**
 * The municipality's planning section (and its admins) approves, rejects and deletes opinions
 * and writes, publishes and withdraws the city's official answers to them.
 */
export function moderatesFeedback(viewer: Viewer, municipalityId: number): boolean {
  return actsForMunicipality(viewer, municipalityId);
}
