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
    "query DepartmentPlan($municipality: String!, $department: String!, $fiscalYear: Int!, $first: Int = 100, $after: String) {\n  plan(\n    municipality: $municipality\n    department: $department\n    fiscalYear: $fiscalYear\n  ) {\n    ...PlanFields\n    initiatives(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...InitiativeFields\n        }\n      }\n    }\n  }\n}": typeof types.DepartmentPlanDocument,
    "query FiscalYear($year: Int!) {\n  fiscalYear(year: $year) {\n    ...FiscalYearFields\n  }\n}": typeof types.FiscalYearDocument,
    "fragment FiscalYearFields on FiscalYear {\n  year\n  label\n  labelEn\n  eraYear\n  era {\n    name\n    romaji\n  }\n  startDate\n  endDate\n}\n\nfragment InitiativeFields on Initiative {\n  id\n  version\n  position\n  text\n  isAdministrativeReform\n  footnotes\n  citations\n  evaluation {\n    id\n    rating\n    progressPercent\n    summary\n    decision\n  }\n}\n\nfragment PlanFields on DepartmentPlan {\n  id\n  version\n  status\n  fiscalYear {\n    ...FiscalYearFields\n  }\n  department {\n    id\n    code\n    name\n    nameEn\n  }\n  mission\n  policy\n  staffCount\n  budgetYen\n  publishedAt\n  updatedAt\n}": typeof types.FiscalYearFieldsFragmentDoc,
    "query Plans($fiscalYear: Int!, $municipality: String, $first: Int, $after: String) {\n  plans(\n    filter: {fiscalYear: $fiscalYear, municipality: $municipality}\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...PlanFields\n        initiatives {\n          totalCount\n        }\n      }\n    }\n  }\n}": typeof types.PlansDocument,
    "query SearchInitiatives($search: String, $municipality: String, $department: String, $fiscalYear: Int, $isAdministrativeReform: Boolean, $first: Int, $after: String) {\n  initiatives(\n    filter: {search: $search, municipality: $municipality, department: $department, fiscalYear: $fiscalYear, isAdministrativeReform: $isAdministrativeReform}\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...InitiativeFields\n        plan {\n          id\n          fiscalYear {\n            year\n            label\n          }\n          department {\n            code\n            name\n          }\n        }\n      }\n    }\n  }\n}": typeof types.SearchInitiativesDocument,
};
const documents: Documents = {
    "query DepartmentPlan($municipality: String!, $department: String!, $fiscalYear: Int!, $first: Int = 100, $after: String) {\n  plan(\n    municipality: $municipality\n    department: $department\n    fiscalYear: $fiscalYear\n  ) {\n    ...PlanFields\n    initiatives(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...InitiativeFields\n        }\n      }\n    }\n  }\n}": types.DepartmentPlanDocument,
    "query FiscalYear($year: Int!) {\n  fiscalYear(year: $year) {\n    ...FiscalYearFields\n  }\n}": types.FiscalYearDocument,
    "fragment FiscalYearFields on FiscalYear {\n  year\n  label\n  labelEn\n  eraYear\n  era {\n    name\n    romaji\n  }\n  startDate\n  endDate\n}\n\nfragment InitiativeFields on Initiative {\n  id\n  version\n  position\n  text\n  isAdministrativeReform\n  footnotes\n  citations\n  evaluation {\n    id\n    rating\n    progressPercent\n    summary\n    decision\n  }\n}\n\nfragment PlanFields on DepartmentPlan {\n  id\n  version\n  status\n  fiscalYear {\n    ...FiscalYearFields\n  }\n  department {\n    id\n    code\n    name\n    nameEn\n  }\n  mission\n  policy\n  staffCount\n  budgetYen\n  publishedAt\n  updatedAt\n}": types.FiscalYearFieldsFragmentDoc,
    "query Plans($fiscalYear: Int!, $municipality: String, $first: Int, $after: String) {\n  plans(\n    filter: {fiscalYear: $fiscalYear, municipality: $municipality}\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...PlanFields\n        initiatives {\n          totalCount\n        }\n      }\n    }\n  }\n}": types.PlansDocument,
    "query SearchInitiatives($search: String, $municipality: String, $department: String, $fiscalYear: Int, $isAdministrativeReform: Boolean, $first: Int, $after: String) {\n  initiatives(\n    filter: {search: $search, municipality: $municipality, department: $department, fiscalYear: $fiscalYear, isAdministrativeReform: $isAdministrativeReform}\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...InitiativeFields\n        plan {\n          id\n          fiscalYear {\n            year\n            label\n          }\n          department {\n            code\n            name\n          }\n        }\n      }\n    }\n  }\n}": types.SearchInitiativesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DepartmentPlan($municipality: String!, $department: String!, $fiscalYear: Int!, $first: Int = 100, $after: String) {\n  plan(\n    municipality: $municipality\n    department: $department\n    fiscalYear: $fiscalYear\n  ) {\n    ...PlanFields\n    initiatives(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...InitiativeFields\n        }\n      }\n    }\n  }\n}"): typeof import('./graphql.js').DepartmentPlanDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query FiscalYear($year: Int!) {\n  fiscalYear(year: $year) {\n    ...FiscalYearFields\n  }\n}"): typeof import('./graphql.js').FiscalYearDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment FiscalYearFields on FiscalYear {\n  year\n  label\n  labelEn\n  eraYear\n  era {\n    name\n    romaji\n  }\n  startDate\n  endDate\n}\n\nfragment InitiativeFields on Initiative {\n  id\n  version\n  position\n  text\n  isAdministrativeReform\n  footnotes\n  citations\n  evaluation {\n    id\n    rating\n    progressPercent\n    summary\n    decision\n  }\n}\n\nfragment PlanFields on DepartmentPlan {\n  id\n  version\n  status\n  fiscalYear {\n    ...FiscalYearFields\n  }\n  department {\n    id\n    code\n    name\n    nameEn\n  }\n  mission\n  policy\n  staffCount\n  budgetYen\n  publishedAt\n  updatedAt\n}"): typeof import('./graphql.js').FiscalYearFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Plans($fiscalYear: Int!, $municipality: String, $first: Int, $after: String) {\n  plans(\n    filter: {fiscalYear: $fiscalYear, municipality: $municipality}\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...PlanFields\n        initiatives {\n          totalCount\n        }\n      }\n    }\n  }\n}"): typeof import('./graphql.js').PlansDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SearchInitiatives($search: String, $municipality: String, $department: String, $fiscalYear: Int, $isAdministrativeReform: Boolean, $first: Int, $after: String) {\n  initiatives(\n    filter: {search: $search, municipality: $municipality, department: $department, fiscalYear: $fiscalYear, isAdministrativeReform: $isAdministrativeReform}\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...InitiativeFields\n        plan {\n          id\n          fiscalYear {\n            year\n            label\n          }\n          department {\n            code\n            name\n          }\n        }\n      }\n    }\n  }\n}"): typeof import('./graphql.js').SearchInitiativesDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
