import { graphql } from '../generated/gql.js';

/** The plans of one fiscal year, in department display order, optionally for one municipality. */
export const PlansDocument = graphql(`
  query Plans($fiscalYear: Int!, $municipality: String, $first: Int, $after: String) {
    plans(filter: { fiscalYear: $fiscalYear, municipality: $municipality }, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...PlanFields
          initiatives {
            totalCount
          }
        }
      }
    }
  }
`);
