/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query DashboardMunicipalities {\n    municipalities(first: 100) {\n      edges {\n        node {\n          code\n          name\n          prefecture\n          contact {\n            section\n            extension\n          }\n        }\n      }\n    }\n  }\n": typeof types.DashboardMunicipalitiesDocument,
    "\n  query DashboardPlanIndex($municipality: String!) {\n    plans(filter: { municipality: $municipality }, first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          status\n          fiscalYear {\n            year\n            label\n            labelEn\n          }\n          department {\n            code\n            name\n            nameEn\n          }\n        }\n      }\n    }\n  }\n": typeof types.DashboardPlanIndexDocument,
    "\n  query DashboardPlansInFull($municipality: String!, $fiscalYear: Int, $department: String) {\n    plans(\n      filter: { municipality: $municipality, fiscalYear: $fiscalYear, department: $department }\n      first: 40\n    ) {\n      edges {\n        node {\n          id\n          version\n          status\n          fiscalYear {\n            year\n            label\n            labelEn\n          }\n          department {\n            code\n            name\n            nameEn\n          }\n          mission\n          policy\n          staffCount\n          budgetYen\n          updatedAt\n          initiatives(first: 50) {\n            totalCount\n            edges {\n              node {\n                id\n                version\n                position\n                text\n                isAdministrativeReform\n                footnotes\n                evaluation {\n                  rating\n                  progressPercent\n                  summary\n                  decision\n                  nextInitiative {\n                    id\n                  }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.DashboardPlansInFullDocument,
    "\n  query DashboardLatestChangeCursor {\n    latestChangeCursor\n  }\n": typeof types.DashboardLatestChangeCursorDocument,
    "\n  mutation DashboardUnpublishPlan($input: PlanVersionInput!) {\n    unpublishPlan(input: $input) {\n      __typename\n      ... on UnpublishPlanSuccess {\n        plan {\n          id\n          version\n          status\n        }\n      }\n      ... on Error {\n        message\n      }\n      ... on VersionConflictError {\n        expectedVersion\n        currentVersion\n      }\n    }\n  }\n": typeof types.DashboardUnpublishPlanDocument,
    "\n  mutation DashboardUpdateInitiative($input: UpdateInitiativeInput!) {\n    updateInitiative(input: $input) {\n      __typename\n      ... on UpdateInitiativeSuccess {\n        initiative {\n          id\n          version\n          text\n        }\n      }\n      ... on Error {\n        message\n      }\n      ... on ValidationError {\n        issues {\n          path\n          code\n          message\n        }\n      }\n      ... on VersionConflictError {\n        expectedVersion\n        currentVersion\n      }\n    }\n  }\n": typeof types.DashboardUpdateInitiativeDocument,
    "\n  query DashboardStaffPlan($municipality: String!, $department: String!, $fiscalYear: Int!) {\n    plan(municipality: $municipality, department: $department, fiscalYear: $fiscalYear) {\n      id\n      version\n      status\n      viewerCanUpdate\n      viewerCanPublish\n      fiscalYear {\n        year\n        label\n        labelEn\n      }\n      department {\n        code\n        name\n        nameEn\n      }\n      mission\n      policy\n      staffCount\n      budgetYen\n      initiatives(first: 50) {\n        edges {\n          node {\n            id\n            version\n            position\n            text\n          }\n        }\n      }\n    }\n  }\n": typeof types.DashboardStaffPlanDocument,
    "\n  query DashboardStaffViewer {\n    viewer {\n      role\n      tokenName\n      department {\n        name\n      }\n    }\n  }\n": typeof types.DashboardStaffViewerDocument,
};
const documents: Documents = {
    "\n  query DashboardMunicipalities {\n    municipalities(first: 100) {\n      edges {\n        node {\n          code\n          name\n          prefecture\n          contact {\n            section\n            extension\n          }\n        }\n      }\n    }\n  }\n": types.DashboardMunicipalitiesDocument,
    "\n  query DashboardPlanIndex($municipality: String!) {\n    plans(filter: { municipality: $municipality }, first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          status\n          fiscalYear {\n            year\n            label\n            labelEn\n          }\n          department {\n            code\n            name\n            nameEn\n          }\n        }\n      }\n    }\n  }\n": types.DashboardPlanIndexDocument,
    "\n  query DashboardPlansInFull($municipality: String!, $fiscalYear: Int, $department: String) {\n    plans(\n      filter: { municipality: $municipality, fiscalYear: $fiscalYear, department: $department }\n      first: 40\n    ) {\n      edges {\n        node {\n          id\n          version\n          status\n          fiscalYear {\n            year\n            label\n            labelEn\n          }\n          department {\n            code\n            name\n            nameEn\n          }\n          mission\n          policy\n          staffCount\n          budgetYen\n          updatedAt\n          initiatives(first: 50) {\n            totalCount\n            edges {\n              node {\n                id\n                version\n                position\n                text\n                isAdministrativeReform\n                footnotes\n                evaluation {\n                  rating\n                  progressPercent\n                  summary\n                  decision\n                  nextInitiative {\n                    id\n                  }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.DashboardPlansInFullDocument,
    "\n  query DashboardLatestChangeCursor {\n    latestChangeCursor\n  }\n": types.DashboardLatestChangeCursorDocument,
    "\n  mutation DashboardUnpublishPlan($input: PlanVersionInput!) {\n    unpublishPlan(input: $input) {\n      __typename\n      ... on UnpublishPlanSuccess {\n        plan {\n          id\n          version\n          status\n        }\n      }\n      ... on Error {\n        message\n      }\n      ... on VersionConflictError {\n        expectedVersion\n        currentVersion\n      }\n    }\n  }\n": types.DashboardUnpublishPlanDocument,
    "\n  mutation DashboardUpdateInitiative($input: UpdateInitiativeInput!) {\n    updateInitiative(input: $input) {\n      __typename\n      ... on UpdateInitiativeSuccess {\n        initiative {\n          id\n          version\n          text\n        }\n      }\n      ... on Error {\n        message\n      }\n      ... on ValidationError {\n        issues {\n          path\n          code\n          message\n        }\n      }\n      ... on VersionConflictError {\n        expectedVersion\n        currentVersion\n      }\n    }\n  }\n": types.DashboardUpdateInitiativeDocument,
    "\n  query DashboardStaffPlan($municipality: String!, $department: String!, $fiscalYear: Int!) {\n    plan(municipality: $municipality, department: $department, fiscalYear: $fiscalYear) {\n      id\n      version\n      status\n      viewerCanUpdate\n      viewerCanPublish\n      fiscalYear {\n        year\n        label\n        labelEn\n      }\n      department {\n        code\n        name\n        nameEn\n      }\n      mission\n      policy\n      staffCount\n      budgetYen\n      initiatives(first: 50) {\n        edges {\n          node {\n            id\n            version\n            position\n            text\n          }\n        }\n      }\n    }\n  }\n": types.DashboardStaffPlanDocument,
    "\n  query DashboardStaffViewer {\n    viewer {\n      role\n      tokenName\n      department {\n        name\n      }\n    }\n  }\n": types.DashboardStaffViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardMunicipalities {\n    municipalities(first: 100) {\n      edges {\n        node {\n          code\n          name\n          prefecture\n          contact {\n            section\n            extension\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').DashboardMunicipalitiesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardPlanIndex($municipality: String!) {\n    plans(filter: { municipality: $municipality }, first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          status\n          fiscalYear {\n            year\n            label\n            labelEn\n          }\n          department {\n            code\n            name\n            nameEn\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').DashboardPlanIndexDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardPlansInFull($municipality: String!, $fiscalYear: Int, $department: String) {\n    plans(\n      filter: { municipality: $municipality, fiscalYear: $fiscalYear, department: $department }\n      first: 40\n    ) {\n      edges {\n        node {\n          id\n          version\n          status\n          fiscalYear {\n            year\n            label\n            labelEn\n          }\n          department {\n            code\n            name\n            nameEn\n          }\n          mission\n          policy\n          staffCount\n          budgetYen\n          updatedAt\n          initiatives(first: 50) {\n            totalCount\n            edges {\n              node {\n                id\n                version\n                position\n                text\n                isAdministrativeReform\n                footnotes\n                evaluation {\n                  rating\n                  progressPercent\n                  summary\n                  decision\n                  nextInitiative {\n                    id\n                  }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').DashboardPlansInFullDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardLatestChangeCursor {\n    latestChangeCursor\n  }\n"): typeof import('./graphql').DashboardLatestChangeCursorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardUnpublishPlan($input: PlanVersionInput!) {\n    unpublishPlan(input: $input) {\n      __typename\n      ... on UnpublishPlanSuccess {\n        plan {\n          id\n          version\n          status\n        }\n      }\n      ... on Error {\n        message\n      }\n      ... on VersionConflictError {\n        expectedVersion\n        currentVersion\n      }\n    }\n  }\n"): typeof import('./graphql').DashboardUnpublishPlanDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardUpdateInitiative($input: UpdateInitiativeInput!) {\n    updateInitiative(input: $input) {\n      __typename\n      ... on UpdateInitiativeSuccess {\n        initiative {\n          id\n          version\n          text\n        }\n      }\n      ... on Error {\n        message\n      }\n      ... on ValidationError {\n        issues {\n          path\n          code\n          message\n        }\n      }\n      ... on VersionConflictError {\n        expectedVersion\n        currentVersion\n      }\n    }\n  }\n"): typeof import('./graphql').DashboardUpdateInitiativeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardStaffPlan($municipality: String!, $department: String!, $fiscalYear: Int!) {\n    plan(municipality: $municipality, department: $department, fiscalYear: $fiscalYear) {\n      id\n      version\n      status\n      viewerCanUpdate\n      viewerCanPublish\n      fiscalYear {\n        year\n        label\n        labelEn\n      }\n      department {\n        code\n        name\n        nameEn\n      }\n      mission\n      policy\n      staffCount\n      budgetYen\n      initiatives(first: 50) {\n        edges {\n          node {\n            id\n            version\n            position\n            text\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').DashboardStaffPlanDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardStaffViewer {\n    viewer {\n      role\n      tokenName\n      department {\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').DashboardStaffViewerDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
