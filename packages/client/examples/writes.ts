import { createClient } from '@hoshin/client';

/** Drafts next year's plan for a department; returns its ID or why it could not. */
export async function draftPlan(url: string, token: string, department: string): Promise<string> {
  // A planning-section token (hsn_…), sent as `Authorization: Bearer …`; a bad one rejects
  // every request with HTTP 401 and the code UNAUTHENTICATED.
  const hoshin = createClient({ url, token });
  const result = await hoshin.createPlan({
    municipality: '132047',
    department,
    fiscalYear: 2013,
    mission: '子どもたちの学びを地域とともに支えます。',
  });
  // The result is a union, told apart by `__typename`; each case has its own fields.
  switch (result.__typename) {
    case 'CreatePlanSuccess':
      return result.plan.id; // a DRAFT, version 1
    case 'ValidationError':
      return `invalid: ${result.issues.map((i) => `${i.path.join('.')} ${i.code}`).join(', ')}`;
    case 'ForbiddenError':
    case 'NotFoundError':
      return `refused: ${result.message}`;
  }
}
