/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AchievementRating =
  | 'ACHIEVED'
  | 'MOSTLY_ACHIEVED'
  | 'NOT_ACHIEVED'
  | 'PARTIALLY_ACHIEVED';

export type NextYearDecision =
  /** 廃止 */
  | 'ABOLISH'
  /** 完了 */
  | 'COMPLETE'
  /** 継続 */
  | 'CONTINUE'
  /** 拡充 */
  | 'EXPAND'
  /** 縮小 */
  | 'REDUCE';

export type PublicationStatus =
  /** Being written; visible only to its editors. */
  | 'DRAFT'
  /** Public. */
  | 'PUBLISHED';

export type DepartmentPlanQueryVariables = Exact<{
  municipality: string;
  department: string;
  fiscalYear: number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DepartmentPlanQuery = { plan: { id: string, version: number, status: PublicationStatus, mission: string | null, policy: string | null, staffCount: number | null, budgetYen: number | null, publishedAt: string | null, updatedAt: string, initiatives: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, version: number, position: number, text: string, isAdministrativeReform: boolean, footnotes: Array<string>, citations: Array<string>, evaluation: { id: string, rating: AchievementRating, progressPercent: number | null, summary: string, decision: NextYearDecision | null } | null } }> }, fiscalYear: { year: number, label: string, labelEn: string, eraYear: number, startDate: string, endDate: string, era: { name: string, romaji: string } }, department: { id: string, code: string, name: string, nameEn: string | null } } | null };

export type FiscalYearQueryVariables = Exact<{
  year: number;
}>;


export type FiscalYearQuery = { fiscalYear: { year: number, label: string, labelEn: string, eraYear: number, startDate: string, endDate: string, era: { name: string, romaji: string } } };

export type FiscalYearFieldsFragment = { year: number, label: string, labelEn: string, eraYear: number, startDate: string, endDate: string, era: { name: string, romaji: string } };

export type InitiativeFieldsFragment = { id: string, version: number, position: number, text: string, isAdministrativeReform: boolean, footnotes: Array<string>, citations: Array<string>, evaluation: { id: string, rating: AchievementRating, progressPercent: number | null, summary: string, decision: NextYearDecision | null } | null };

export type PlanFieldsFragment = { id: string, version: number, status: PublicationStatus, mission: string | null, policy: string | null, staffCount: number | null, budgetYen: number | null, publishedAt: string | null, updatedAt: string, fiscalYear: { year: number, label: string, labelEn: string, eraYear: number, startDate: string, endDate: string, era: { name: string, romaji: string } }, department: { id: string, code: string, name: string, nameEn: string | null } };

export type PlansQueryVariables = Exact<{
  fiscalYear: number;
  municipality?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type PlansQuery = { plans: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, version: number, status: PublicationStatus, mission: string | null, policy: string | null, staffCount: number | null, budgetYen: number | null, publishedAt: string | null, updatedAt: string, initiatives: { totalCount: number }, fiscalYear: { year: number, label: string, labelEn: string, eraYear: number, startDate: string, endDate: string, era: { name: string, romaji: string } }, department: { id: string, code: string, name: string, nameEn: string | null } } }> } };

export type SearchInitiativesQueryVariables = Exact<{
  search?: string | null | undefined;
  municipality?: string | null | undefined;
  department?: string | null | undefined;
  fiscalYear?: number | null | undefined;
  isAdministrativeReform?: boolean | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type SearchInitiativesQuery = { initiatives: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, version: number, position: number, text: string, isAdministrativeReform: boolean, footnotes: Array<string>, citations: Array<string>, plan: { id: string, fiscalYear: { year: number, label: string }, department: { code: string, name: string } }, evaluation: { id: string, rating: AchievementRating, progressPercent: number | null, summary: string, decision: NextYearDecision | null } | null } }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const InitiativeFieldsFragmentDoc = new TypedDocumentString(`
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
    `, {"fragmentName":"InitiativeFields"}) as unknown as TypedDocumentString<InitiativeFieldsFragment, unknown>;
export const FiscalYearFieldsFragmentDoc = new TypedDocumentString(`
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
    `, {"fragmentName":"FiscalYearFields"}) as unknown as TypedDocumentString<FiscalYearFieldsFragment, unknown>;
export const PlanFieldsFragmentDoc = new TypedDocumentString(`
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
}`, {"fragmentName":"PlanFields"}) as unknown as TypedDocumentString<PlanFieldsFragment, unknown>;
export const DepartmentPlanDocument = new TypedDocumentString(`
    query DepartmentPlan($municipality: String!, $department: String!, $fiscalYear: Int!, $first: Int = 100, $after: String) {
  plan(
    municipality: $municipality
    department: $department
    fiscalYear: $fiscalYear
  ) {
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
}`, {"hash":"sha256:d83b3c136aefde2a6167ae91faa3d6ad116dd7b5f36f09946b914ed12185b788"}) as unknown as TypedDocumentString<DepartmentPlanQuery, DepartmentPlanQueryVariables>;
export const FiscalYearDocument = new TypedDocumentString(`
    query FiscalYear($year: Int!) {
  fiscalYear(year: $year) {
    ...FiscalYearFields
  }
}
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
}`, {"hash":"sha256:99a668e4e0b5d0027146d3bc286a139f761c7db76bace8074b8c06f1740bcbe0"}) as unknown as TypedDocumentString<FiscalYearQuery, FiscalYearQueryVariables>;
export const PlansDocument = new TypedDocumentString(`
    query Plans($fiscalYear: Int!, $municipality: String, $first: Int, $after: String) {
  plans(
    filter: {fiscalYear: $fiscalYear, municipality: $municipality}
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
        ...PlanFields
        initiatives {
          totalCount
        }
      }
    }
  }
}
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
}`, {"hash":"sha256:591f8aa7b7c700a1da63a5659f072eb49e50604715bd81ea44cdcb6a97505cb1"}) as unknown as TypedDocumentString<PlansQuery, PlansQueryVariables>;
export const SearchInitiativesDocument = new TypedDocumentString(`
    query SearchInitiatives($search: String, $municipality: String, $department: String, $fiscalYear: Int, $isAdministrativeReform: Boolean, $first: Int, $after: String) {
  initiatives(
    filter: {search: $search, municipality: $municipality, department: $department, fiscalYear: $fiscalYear, isAdministrativeReform: $isAdministrativeReform}
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
}`, {"hash":"sha256:02291f00da4d3957e6eb6aba22e8ad313cac6a374f0bf1c6e0cfb474c1805f5a"}) as unknown as TypedDocumentString<SearchInitiativesQuery, SearchInitiativesQueryVariables>;