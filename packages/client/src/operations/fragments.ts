// Selections shared by the ready-made operations. Fragment masking is off, so every field
// selected here is on the result types of the operations that spread it.
import { graphql } from '../generated/gql.js';

export const FiscalYearFields = graphql(`
  fragment FiscalYearFields on FiscalYear {
    year
    label
    labelEn
    eraYear
    era {
      name
      romaji
    }
    startDate
    endDate
  }
`);

export const InitiativeFields = graphql(`
  fragment InitiativeFields on Initiative {
    id
    version
    position
    text
    isAdministrativeReform
    footnotes
    citations
    evaluation {
      id
      rating
      progressPercent
      summary
      decision
    }
  }
`);

export const PlanFields = graphql(`
  fragment PlanFields on DepartmentPlan {
    id
    version
    status
    fiscalYear {
      ...FiscalYearFields
    }
    department {
      id
      code
      name
      nameEn
    }
    mission
    policy
    staffCount
    budgetYen
    publishedAt
    updatedAt
  }
`);
