// Deliberately wrong: tests/client/types.test.ts expects exactly these two errors. Not
// included by any tsconfig.
import { createClient } from '@hoshin/client';

const hoshin = createClient({ url: 'http://localhost:4000/graphql' });

export async function wrong() {
  await hoshin.departmentPlan({ municipality: '132047', department: 'kyoiku' });
  const year = await hoshin.fiscalYear({ year: 2012 });
  return year.nope;
}
