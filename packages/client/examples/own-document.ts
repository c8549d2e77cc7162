import { createClient } from '@hoshin/client';
import { print } from 'graphql';
// Your codegen's graphql(), generated from @hoshin/client/schema.graphql (see the README).
import { graphql } from './generated/gql.js';

export const DepartmentsOfYear = graphql(`
  query DepartmentsOfYear($municipality: String!, $fiscalYear: Int) {
    departments(municipality: $municipality, fiscalYear: $fiscalYear) {
      code
      name
    }
  }
`);

/** The departments a municipality had in a fiscal year, as "code name" lines. */
export async function departmentsOfYear(url: string, fiscalYear: number): Promise<string[]> {
  // Your codegen's documents are ASTs without their text: `print` (graphql's) turns them
  // into the text request() sends. The package's own documents need no `print`.
  const hoshin = createClient({ url, print });
  // Result and variables are inferred from the document: no type arguments, no casts.
  const { departments } = await hoshin.request(DepartmentsOfYear, {
    municipality: '132047',
    fiscalYear,
  });
  return departments.map((d) => `${d.code} ${d.name}`);
}
