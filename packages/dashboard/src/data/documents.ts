// The dashboard's own GraphQL documents: exactly the fields its views show. Typed by its own
// codegen (codegen.ts) and sent with @hoshin/client's request(); the SDK's ready-made
// operations are used where they fit (departmentPlan, yearSummary, updatePlan, publishPlan,
// planChanges, ...).
import { graphql } from '../generated/gql';

export const MunicipalitiesDocument = graphql(`
  query DashboardMunicipalities {
    municipalities(first: 100) {
      edges {
        node {
          code
          name
          prefecture
          contact {
            section
            extension
          }
        }
      }
    }
  }
`);

/** Every plan of a municipality the caller may see: which years and departments exist. */
export const PlanIndexDocument = graphql(`
  query DashboardPlanIndex($municipality: String!) {
    plans(filter: { municipality: $municipality }, first: 100) {
      totalCount
      edges {
        node {
          id
          status
          fiscalYear {
            year
            label
            labelEn
          }
          department {
            code
            name
            nameEn
          }
        }
      }
    }
  }
`);

/** The plans of one year (or one department's across years), laid out as the document. */
export const PlansInFullDocument = graphql(`
  query DashboardPlansInFull($municipality: String!, $fiscalYear: Int, $department: String) {
    plans(
      filter: { municipality: $municipality, fiscalYear: $fiscalYear, department: $department }
      first: 40
    ) {
      edges {
        node {
          id
          version
          status
          fiscalYear {
            year
            label
            labelEn
          }
          department {
            code
            name
            nameEn
          }
          mission
          policy
          staffCount
          budgetYen
          updatedAt
          initiatives(first: 50) {
            totalCount
            edges {
              node {
                id
                version
                position
                text
                isAdministrativeReform
                footnotes
                evaluation {
                  rating
                  progressPercent
                  summary
                  decision
                  nextInitiative {
                    id
                  }
                  whitePaper {
                    title
                    url
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`);

export const LatestChangeCursorDocument = graphql(`
  query DashboardLatestChangeCursor {
    latestChangeCursor
  }
`);

export const UnpublishPlanDocument = graphql(`
  mutation DashboardUnpublishPlan($input: PlanVersionInput!) {
    unpublishPlan(input: $input) {
      __typename
      ... on UnpublishPlanSuccess {
        plan {
          id
          version
          status
        }
      }
      ... on Error {
        message
      }
      ... on VersionConflictError {
        expectedVersion
        currentVersion
      }
    }
  }
`);

export const UpdateInitiativeDocument = graphql(`
  mutation DashboardUpdateInitiative($input: UpdateInitiativeInput!) {
    updateInitiative(input: $input) {
      __typename
      ... on UpdateInitiativeSuccess {
        initiative {
          id
          version
          text
        }
      }
      ... on Error {
        message
      }
      ... on ValidationError {
        issues {
          path
          code
          message
        }
      }
      ... on VersionConflictError {
        expectedVersion
        currentVersion
      }
    }
  }
`);

/** The plan staff mode edits, with what the token may do with it (the server's own rules). */
export const StaffPlanDocument = graphql(`
  query DashboardStaffPlan($municipality: String!, $department: String!, $fiscalYear: Int!) {
    plan(municipality: $municipality, department: $department, fiscalYear: $fiscalYear) {
      id
      version
      status
      viewerCanUpdate
      viewerCanPublish
      fiscalYear {
        year
        label
        labelEn
      }
      department {
        code
        name
        nameEn
      }
      mission
      policy
      staffCount
      budgetYen
      initiatives(first: 50) {
        edges {
          node {
            id
            version
            position
            text
          }
        }
      }
    }
  }
`);

export const StaffViewerDocument = graphql(`
  query DashboardStaffViewer {
    viewer {
      role
      tokenName
      department {
        name
      }
    }
  }
`);

/** The API's own ja/en labels of its enums, shown instead of codes. */
export const LabelsDocument = graphql(`
  query DashboardLabels {
    labels {
      enum
      values {
        value
        label
        labelEn
      }
    }
  }
`);

/** Initiatives matching words (Japanese-aware on the server), with where they matched. */
export const SearchDocument = graphql(`
  query DashboardSearch(
    $municipality: String!
    $search: String
    $fiscalYear: Int
    $reform: Boolean
    $after: String
  ) {
    initiatives(
      filter: {
        municipality: $municipality
        search: $search
        fiscalYear: $fiscalYear
        isAdministrativeReform: $reform
      }
      first: 20
      after: $after
    ) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        matches {
          field
          snippet {
            text
            isMatch
          }
        }
        node {
          id
          text
          isAdministrativeReform
          plan {
            fiscalYear {
              year
              label
              labelEn
            }
            department {
              code
              name
              nameEn
            }
          }
        }
      }
    }
  }
`);

export const SubmitFeedbackDocument = graphql(`
  mutation DashboardSubmitFeedback($input: SubmitFeedbackInput!) {
    submitFeedback(input: $input) {
      __typename
      ... on Error {
        message
      }
      ... on ValidationError {
        issues {
          path
          code
          message
        }
      }
    }
  }
`);

/**
 * The targets of a year's initiatives with their status (a query of its own: with the plans'
 * full text in one query its cost would pass the server's limit).
 */
export const TargetsDocument = graphql(`
  query DashboardTargets($municipality: String!, $fiscalYear: Int, $department: String) {
    initiatives(
      filter: { municipality: $municipality, fiscalYear: $fiscalYear, department: $department }
      first: 100
    ) {
      edges {
        node {
          id
          targets {
            id
            indicator
            unit
            targetValue
            targetDate
            status {
              status
              reason
              values {
                latestValue
                measuredOn
                progressPercent
              }
            }
          }
        }
      }
    }
  }
`);

/**
 * One department across years as the API compares them: initiatives carried on (as last year's
 * evaluation decided: the initiative chains), new and ended, whatever their wording.
 */
export const TimelineDocument = graphql(`
  query DashboardTimeline($municipality: String!, $department: String!, $from: Int!, $to: Int!) {
    departmentTimeline(
      municipality: $municipality
      department: $department
      fiscalYears: { from: $from, to: $to }
    ) {
      fiscalYear {
        year
        label
        labelEn
      }
      plan {
        id
        status
        initiatives(first: 50) {
          edges {
            node {
              ...TimelineInitiative
            }
          }
        }
      }
      carriedOn {
        decision
        from {
          id
          text
        }
        to {
          ...TimelineInitiative
        }
      }
      new {
        ...TimelineInitiative
      }
      ended {
        ...TimelineInitiative
      }
    }
  }

  fragment TimelineInitiative on Initiative {
    id
    text
    isAdministrativeReform
    evaluation {
      rating
    }
  }
`);
