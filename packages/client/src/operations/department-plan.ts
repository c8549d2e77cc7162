import { graphql } from '../generated/gql.js';

/** One department's plan for a fiscal year, with its initiatives in published order. */
export const DepartmentPlanDocument = graphql(`
  query DepartmentPlan(
    $municipality: String!
    $department: String!
    $fiscalYear: Int!
    $first: Int = 100
    $after: String
  ) {
    plan(municipality: $municipality, department: $department, fiscalYear: $fiscalYear) {
      ...PlanFields
      initiatives(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            ...InitiativeFields
          }
        }
      }
    }
  }
`);
