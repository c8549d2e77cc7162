import { createClient, HoshinRequestError } from '@hoshin/client';

/** Looks a department's plan up, telling "no such department" apart from other failures. */
export async function planOrReason(url: string, department: string): Promise<string> {
  const hoshin = createClient({ url });
  try {
    const plan = await hoshin.departmentPlan({
      municipality: '132047',
      department,
      fiscalYear: 2012,
    });
    return plan ? `${plan.initiatives.totalCount} initiatives` : 'no plan that year';
  } catch (error) {
    if (error instanceof HoshinRequestError) {
      if (error.hasCode('DEPARTMENT_NOT_FOUND')) return 'no such department';
      // kind: 'network' | 'timeout' | 'http' | 'graphql' | 'protocol'; status: the HTTP status
      return `failed (${error.kind}, HTTP ${error.status ?? '-'}, ${error.codes.join(',')})`;
    }
    throw error; // an abort from your own signal, for instance
  }
}
