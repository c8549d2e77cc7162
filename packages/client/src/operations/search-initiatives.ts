import { graphql } from '../generated/gql.js';

/**
 * Initiatives across plans matching a text and/or a scope: newest fiscal year first, then
 * department display order, then position. Every variable is optional.
 */
export const SearchInitiativesDocument = graphql(`
  query SearchInitiatives(
    $search: String
    $municipality: String
    $department: String
    $fiscalYear: Int
    $isAdministrativeReform: Boolean
    $first: Int
    $after: String
  ) {
    initiatives(
      filter: {
        search: $search
        municipality: $municipality
        department: $department
        fiscalYear: $fiscalYear
        isAdministrativeReform: $isAdministrativeReform
      }
      first: $first
      after: $after
    ) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...InitiativeFields
          plan {
            id
            fiscalYear {
              year
              label
            }
            department {
              code
              name
            }
          }
        }
      }
    }
  }
`);
