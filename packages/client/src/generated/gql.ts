/* eslint-disable */
import * as types from './graphql.js';



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
    "\n  query DepartmentPlan(\n    $municipality: String!\n    $department: String!\n    $fiscalYear: Int!\n    $first: Int = 100\n    $after: String\n  ) {\n    plan(municipality: $municipality, department: $department, fiscalYear: $fiscalYear) {\n      ...PlanFields\n      initiatives(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            ...InitiativeFields\n          }\n        }\n      }\n    }\n  }\n": typeof types.DepartmentPlanDocument,
    "\n  query FiscalYear($year: Int!) {\n    fiscalYear(year: $year) {\n      ...FiscalYearFields\n    }\n  }\n": typeof types.FiscalYearDocument,
    "\n  fragment FiscalYearFields on FiscalYear {\n    year\n    label\n    labelEn\n    eraYear\n    era {\n      name\n      romaji\n    }\n    startDate\n    endDate\n  }\n": typeof types.FiscalYearFieldsFragmentDoc,
    "\n  fragment InitiativeFields on Initiative {\n    id\n    version\n    position\n    text\n    isAdministrativeReform\n    footnotes\n    citations\n    evaluation {\n      id\n      rating\n      progressPercent\n      summary\n      decision\n    }\n  }\n": typeof types.InitiativeFieldsFragmentDoc,
    "\n  fragment PlanFields on DepartmentPlan {\n    id\n    version\n    status\n    fiscalYear {\n      ...FiscalYearFields\n    }\n    department {\n      id\n      code\n      name\n      nameEn\n    }\n    mission\n    policy\n    staffCount\n    budgetYen\n    publishedAt\n    updatedAt\n  }\n": typeof types.PlanFieldsFragmentDoc,
    "\n  query Plans($fiscalYear: Int!, $municipality: String, $first: Int, $after: String) {\n    plans(filter: { fiscalYear: $fiscalYear, municipality: $municipality }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...PlanFields\n          initiatives {\n            totalCount\n          }\n        }\n      }\n    }\n  }\n": typeof types.PlansDocument,
    "\n  query SearchInitiatives(\n    $search: String\n    $municipality: String\n    $department: String\n    $fiscalYear: Int\n    $isAdministrativeReform: Boolean\n    $first: Int\n    $after: String\n  ) {\n    initiatives(\n      filter: {\n        search: $search\n        municipality: $municipality\n        department: $department\n        fiscalYear: $fiscalYear\n        isAdministrativeReform: $isAdministrativeReform\n      }\n      first: $first\n      after: $after\n    ) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...InitiativeFields\n          plan {\n            id\n            fiscalYear {\n              year\n              label\n            }\n            department {\n              code\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.SearchInitiativesDocument,
};
const documents: Documents = {
    "\n  query DepartmentPlan(\n    $municipality: String!\n    $department: String!\n    $fiscalYear: Int!\n    $first: Int = 100\n    $after: String\n  ) {\n    plan(municipality: $municipality, department: $department, fiscalYear: $fiscalYear) {\n      ...PlanFields\n      initiatives(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            ...InitiativeFields\n          }\n        }\n      }\n    }\n  }\n": types.DepartmentPlanDocument,
    "\n  query FiscalYear($year: Int!) {\n    fiscalYear(year: $year) {\n      ...FiscalYearFields\n    }\n  }\n": types.FiscalYearDocument,
    "\n  fragment FiscalYearFields on FiscalYear {\n    year\n    label\n    labelEn\n    eraYear\n    era {\n      name\n      romaji\n    }\n    startDate\n    endDate\n  }\n": types.FiscalYearFieldsFragmentDoc,
    "\n  fragment InitiativeFields on Initiative {\n    id\n    version\n    position\n    text\n    isAdministrativeReform\n    footnotes\n    citations\n    evaluation {\n      id\n      rating\n      progressPercent\n      summary\n      decision\n    }\n  }\n": types.InitiativeFieldsFragmentDoc,
    "\n  fragment PlanFields on DepartmentPlan {\n    id\n    version\n    status\n    fiscalYear {\n      ...FiscalYearFields\n    }\n    department {\n      id\n      code\n      name\n      nameEn\n    }\n    mission\n    policy\n    staffCount\n    budgetYen\n    publishedAt\n    updatedAt\n  }\n": types.PlanFieldsFragmentDoc,
    "\n  query Plans($fiscalYear: Int!, $municipality: String, $first: Int, $after: String) {\n    plans(filter: { fiscalYear: $fiscalYear, municipality: $municipality }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...PlanFields\n          initiatives {\n            totalCount\n          }\n        }\n      }\n    }\n  }\n": types.PlansDocument,
    "\n  query SearchInitiatives(\n    $search: String\n    $municipality: String\n    $department: String\n    $fiscalYear: Int\n    $isAdministrativeReform: Boolean\n    $first: Int\n    $after: String\n  ) {\n    initiatives(\n      filter: {\n        search: $search\n        municipality: $municipality\n        department: $department\n        fiscalYear: $fiscalYear\n        isAdministrativeReform: $isAdministrativeReform\n      }\n      first: $first\n      after: $after\n    ) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...InitiativeFields\n          plan {\n            id\n            fiscalYear {\n              year\n              label\n            }\n            department {\n              code\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n": types.SearchInitiativesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DepartmentPlan(\n    $municipality: String!\n    $department: String!\n    $fiscalYear: Int!\n    $first: Int = 100\n    $after: String\n  ) {\n    plan(municipality: $municipality, department: $department, fiscalYear: $fiscalYear) {\n      ...PlanFields\n      initiatives(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            ...InitiativeFields\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').DepartmentPlanDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FiscalYear($year: Int!) {\n    fiscalYear(year: $year) {\n      ...FiscalYearFields\n    }\n  }\n"): typeof import('./graphql.js').FiscalYearDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment FiscalYearFields on FiscalYear {\n    year\n    label\n    labelEn\n    eraYear\n    era {\n      name\n      romaji\n    }\n    startDate\n    endDate\n  }\n"): typeof import('./graphql.js').FiscalYearFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InitiativeFields on Initiative {\n    id\n    version\n    position\n    text\n    isAdministrativeReform\n    footnotes\n    citations\n    evaluation {\n      id\n      rating\n      progressPercent\n      summary\n      decision\n    }\n  }\n"): typeof import('./graphql.js').InitiativeFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PlanFields on DepartmentPlan {\n    id\n    version\n    status\n    fiscalYear {\n      ...FiscalYearFields\n    }\n    department {\n      id\n      code\n      name\n      nameEn\n    }\n    mission\n    policy\n    staffCount\n    budgetYen\n    publishedAt\n    updatedAt\n  }\n"): typeof import('./graphql.js').PlanFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Plans($fiscalYear: Int!, $municipality: String, $first: Int, $after: String) {\n    plans(filter: { fiscalYear: $fiscalYear, municipality: $municipality }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...PlanFields\n          initiatives {\n            totalCount\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').PlansDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchInitiatives(\n    $search: String\n    $municipality: String\n    $department: String\n    $fiscalYear: Int\n    $isAdministrativeReform: Boolean\n    $first: Int\n    $after: String\n  ) {\n    initiatives(\n      filter: {\n        search: $search\n        municipality: $municipality\n        department: $department\n        fiscalYear: $fiscalYear\n        isAdministrativeReform: $isAdministrativeReform\n      }\n      first: $first\n      after: $after\n    ) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...InitiativeFields\n          plan {\n            id\n            fiscalYear {\n              year\n              label\n            }\n            department {\n              code\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').SearchInitiativesDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
