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

export type AddInitiativeInput = {
  citations?: Array<string> | null | undefined;
  footnotes?: Array<string> | null | undefined;
  /** ☞ 行革推進事業; false when absent. */
  isAdministrativeReform?: boolean | null | undefined;
  plan: string | number;
  /** 1-based; at the end when absent. Later ones move down. */
  position?: number | null | undefined;
  text: string;
};

export type ChangeAction =
  | 'CREATE'
  | 'DELETE'
  | 'UPDATE';

export type CreatePlanInput = {
  budgetYen?: number | null | undefined;
  /** Department code, e.g. kyoiku. */
  department: string;
  fiscalYear: number;
  mission?: string | null | undefined;
  /** National code, e.g. 132047. */
  municipality: string;
  policy?: string | null | undefined;
  staffCount?: number | null | undefined;
};

export type FeedbackStatus =
  /** Public. */
  | 'APPROVED'
  /** Waiting for moderation; not public. */
  | 'PENDING'
  /** Never shown. */
  | 'REJECTED';

/** What a change means to you, the subscriber. */
export type LiveEventKind =
  /** The record became visible to you (created, or published): its whole state. */
  | 'ENTERED'
  /** The record is no longer visible to you (unpublished or deleted): drop it. */
  | 'LEFT'
  /** A record you could see, and still can, changed. */
  | 'MODIFIED';

export type LiveFilter = {
  /** Department code (needs municipality). */
  department?: string | null | undefined;
  fiscalYear?: number | null | undefined;
  /** National code, e.g. 132047. */
  municipality?: string | null | undefined;
};

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

export type PlanVersionInput = {
  /** The version you read. */
  expectedVersion: number;
  id: string | number;
};

export type PublicationStatus =
  /** Being written; visible only to its editors. */
  | 'DRAFT'
  /** Public. */
  | 'PUBLISHED';

export type SubmitFeedbackInput = {
  /** 1 to 2000 characters. */
  body: string;
  /** Optional; seen only by the planning section. */
  contactEmail?: string | null | undefined;
  plan: string | number;
};

/** Fields left out stay as they are; null clears one. */
export type UpdatePlanInput = {
  budgetYen?: number | null | undefined;
  /** The version you read. */
  expectedVersion: number;
  id: string | number;
  mission?: string | null | undefined;
  policy?: string | null | undefined;
  staffCount?: number | null | undefined;
};

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

export type ChangeFieldsFragment = { sequence: string, action: ChangeAction, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> };

type ErrorFields_ForbiddenError_Fragment = { __typename: 'ForbiddenError', message: string };

type ErrorFields_NotFoundError_Fragment = { __typename: 'NotFoundError', entityType: string, id: string, message: string };

type ErrorFields_RateLimitedError_Fragment = { __typename: 'RateLimitedError', retryAfterSeconds: number, message: string };

type ErrorFields_ValidationError_Fragment = { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> };

type ErrorFields_VersionConflictError_Fragment = { __typename: 'VersionConflictError', entityType: string, expectedVersion: number, currentVersion: number, message: string };

export type ErrorFieldsFragment =
  | ErrorFields_ForbiddenError_Fragment
  | ErrorFields_NotFoundError_Fragment
  | ErrorFields_RateLimitedError_Fragment
  | ErrorFields_ValidationError_Fragment
  | ErrorFields_VersionConflictError_Fragment
;

export type HistoryQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type HistoryQuery = { node:
    | { __typename: 'Department', id: string, history: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { sequence: string, action: ChangeAction, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> } }> } }
    | { __typename: 'DepartmentPlan', id: string, history: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { sequence: string, action: ChangeAction, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> } }> } }
    | { __typename: 'Evaluation', id: string, history: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { sequence: string, action: ChangeAction, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> } }> } }
    | { __typename: 'Feedback', id: string }
    | { __typename: 'Initiative', id: string, history: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { sequence: string, action: ChangeAction, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> } }> } }
    | { __typename: 'Municipality', id: string, history: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { sequence: string, action: ChangeAction, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> } }> } }
    | { __typename: 'WhitePaper', id: string, history: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { sequence: string, action: ChangeAction, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> } }> } }
   | null };

export type PlanChangesSubscriptionVariables = Exact<{
  filter?: LiveFilter | null | undefined;
  after?: string | null | undefined;
}>;


export type PlanChangesSubscription = { planChanged: { cursor: string, kind: LiveEventKind, id: string, at: string, change: { sequence: string, action: ChangeAction, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> }, plan: { id: string, version: number, status: PublicationStatus, mission: string | null, policy: string | null, staffCount: number | null, budgetYen: number | null, publishedAt: string | null, fiscalYear: { year: number }, department: { id: string, code: string, name: string } } | null } };

export type InitiativeChangesSubscriptionVariables = Exact<{
  filter?: LiveFilter | null | undefined;
  after?: string | null | undefined;
}>;


export type InitiativeChangesSubscription = { initiativeChanged: { cursor: string, kind: LiveEventKind, id: string, at: string, change: { sequence: string, action: ChangeAction, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> }, initiative: { id: string, planId: string, version: number, position: number, text: string, isAdministrativeReform: boolean, footnotes: Array<string>, citations: Array<string> } | null } };

export type EvaluationChangesSubscriptionVariables = Exact<{
  filter?: LiveFilter | null | undefined;
  after?: string | null | undefined;
}>;


export type EvaluationChangesSubscription = { evaluationChanged: { cursor: string, kind: LiveEventKind, id: string, at: string, change: { sequence: string, action: ChangeAction, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> }, evaluation: { id: string, version: number, status: PublicationStatus, rating: AchievementRating, progressPercent: number | null, summary: string, decision: NextYearDecision | null, initiativeId: string } | null } };

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

export type CreatePlanMutationVariables = Exact<{
  input: CreatePlanInput;
}>;


export type CreatePlanMutation = { createPlan:
    | { __typename: 'CreatePlanSuccess', plan: { id: string, version: number, status: PublicationStatus, mission: string | null, policy: string | null, staffCount: number | null, budgetYen: number | null, publishedAt: string | null, updatedAt: string, fiscalYear: { year: number, label: string, labelEn: string, eraYear: number, startDate: string, endDate: string, era: { name: string, romaji: string } }, department: { id: string, code: string, name: string, nameEn: string | null } } }
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
   };

export type UpdatePlanMutationVariables = Exact<{
  input: UpdatePlanInput;
}>;


export type UpdatePlanMutation = { updatePlan:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'UpdatePlanSuccess', plan: { id: string, version: number, status: PublicationStatus, mission: string | null, policy: string | null, staffCount: number | null, budgetYen: number | null, publishedAt: string | null, updatedAt: string, fiscalYear: { year: number, label: string, labelEn: string, eraYear: number, startDate: string, endDate: string, era: { name: string, romaji: string } }, department: { id: string, code: string, name: string, nameEn: string | null } } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
    | { __typename: 'VersionConflictError', entityType: string, expectedVersion: number, currentVersion: number, message: string }
   };

export type PublishPlanMutationVariables = Exact<{
  input: PlanVersionInput;
}>;


export type PublishPlanMutation = { publishPlan:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'PublishPlanSuccess', plan: { id: string, version: number, status: PublicationStatus, mission: string | null, policy: string | null, staffCount: number | null, budgetYen: number | null, publishedAt: string | null, updatedAt: string, fiscalYear: { year: number, label: string, labelEn: string, eraYear: number, startDate: string, endDate: string, era: { name: string, romaji: string } }, department: { id: string, code: string, name: string, nameEn: string | null } } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
    | { __typename: 'VersionConflictError', entityType: string, expectedVersion: number, currentVersion: number, message: string }
   };

export type AddInitiativeMutationVariables = Exact<{
  input: AddInitiativeInput;
}>;


export type AddInitiativeMutation = { addInitiative:
    | { __typename: 'AddInitiativeSuccess', initiative: { id: string, version: number, position: number, text: string, isAdministrativeReform: boolean, footnotes: Array<string>, citations: Array<string>, plan: { id: string, version: number }, evaluation: { id: string, rating: AchievementRating, progressPercent: number | null, summary: string, decision: NextYearDecision | null } | null } }
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
   };

export type SubmitFeedbackMutationVariables = Exact<{
  input: SubmitFeedbackInput;
}>;


export type SubmitFeedbackMutation = { submitFeedback:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'RateLimitedError', retryAfterSeconds: number, message: string }
    | { __typename: 'SubmitFeedbackSuccess', feedback: { id: string, status: FeedbackStatus, body: string, submittedAt: string } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
   };

export type YearSummaryQueryVariables = Exact<{
  municipality: string;
  fiscalYear: number;
}>;


export type YearSummaryQuery = { yearSummary: { planCount: number, initiativeCount: number, reformCount: number, reformShare: number, evaluatedCount: number, fiscalYear: { year: number, label: string, labelEn: string, eraYear: number, startDate: string, endDate: string, era: { name: string, romaji: string } }, achievement: Array<{ rating: AchievementRating, count: number }>, byDepartment: Array<{ departmentCode: string, departmentName: string, initiativeCount: number, reformCount: number }> } };

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
export const ChangeFieldsFragmentDoc = new TypedDocumentString(`
    fragment ChangeFields on Change {
  sequence
  action
  actor
  at
  entityType
  entityId
  changes {
    field
    before
    after
  }
}
    `, {"fragmentName":"ChangeFields"}) as unknown as TypedDocumentString<ChangeFieldsFragment, unknown>;
export const ErrorFieldsFragmentDoc = new TypedDocumentString(`
    fragment ErrorFields on Error {
  __typename
  message
  ... on ValidationError {
    issues {
      path
      code
      message
    }
  }
  ... on VersionConflictError {
    entityType
    expectedVersion
    currentVersion
  }
  ... on NotFoundError {
    entityType
    id
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
    `, {"fragmentName":"ErrorFields"}) as unknown as TypedDocumentString<ErrorFieldsFragment, unknown>;
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
export const HistoryDocument = new TypedDocumentString(`
    query History($id: ID!, $first: Int, $after: String) {
  node(id: $id) {
    __typename
    id
    ... on DepartmentPlan {
      history(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            ...ChangeFields
          }
        }
      }
    }
    ... on Initiative {
      history(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            ...ChangeFields
          }
        }
      }
    }
    ... on Evaluation {
      history(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            ...ChangeFields
          }
        }
      }
    }
    ... on Department {
      history(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            ...ChangeFields
          }
        }
      }
    }
    ... on Municipality {
      history(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            ...ChangeFields
          }
        }
      }
    }
    ... on WhitePaper {
      history(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            ...ChangeFields
          }
        }
      }
    }
  }
}
    fragment ChangeFields on Change {
  sequence
  action
  actor
  at
  entityType
  entityId
  changes {
    field
    before
    after
  }
}`, {"hash":"sha256:0a95602bd9f8f93c17944833e8a1d22ca06dd961e300b0222827da27bca33764"}) as unknown as TypedDocumentString<HistoryQuery, HistoryQueryVariables>;
export const PlanChangesDocument = new TypedDocumentString(`
    subscription PlanChanges($filter: LiveFilter, $after: String) {
  planChanged(filter: $filter, after: $after) {
    cursor
    kind
    id
    at
    change {
      ...ChangeFields
    }
    plan {
      id
      version
      status
      fiscalYear {
        year
      }
      department {
        id
        code
        name
      }
      mission
      policy
      staffCount
      budgetYen
      publishedAt
    }
  }
}
    fragment ChangeFields on Change {
  sequence
  action
  actor
  at
  entityType
  entityId
  changes {
    field
    before
    after
  }
}`, {"hash":"sha256:d12410ebfccdb0d13274aa3fac15c584a01a551691a47e2d3444746c034c1940"}) as unknown as TypedDocumentString<PlanChangesSubscription, PlanChangesSubscriptionVariables>;
export const InitiativeChangesDocument = new TypedDocumentString(`
    subscription InitiativeChanges($filter: LiveFilter, $after: String) {
  initiativeChanged(filter: $filter, after: $after) {
    cursor
    kind
    id
    at
    change {
      ...ChangeFields
    }
    initiative {
      id
      planId
      version
      position
      text
      isAdministrativeReform
      footnotes
      citations
    }
  }
}
    fragment ChangeFields on Change {
  sequence
  action
  actor
  at
  entityType
  entityId
  changes {
    field
    before
    after
  }
}`, {"hash":"sha256:deba386bc8a70d993daee8ccc520c3020a20989d2e23a106b1bd9cf0611bc9e7"}) as unknown as TypedDocumentString<InitiativeChangesSubscription, InitiativeChangesSubscriptionVariables>;
export const EvaluationChangesDocument = new TypedDocumentString(`
    subscription EvaluationChanges($filter: LiveFilter, $after: String) {
  evaluationChanged(filter: $filter, after: $after) {
    cursor
    kind
    id
    at
    change {
      ...ChangeFields
    }
    evaluation {
      id
      version
      status
      rating
      progressPercent
      summary
      decision
      initiativeId
    }
  }
}
    fragment ChangeFields on Change {
  sequence
  action
  actor
  at
  entityType
  entityId
  changes {
    field
    before
    after
  }
}`, {"hash":"sha256:d21e9af3f26bed7c75f3332b0232b045231fcbc945d65ecd6da79762b5e7ca40"}) as unknown as TypedDocumentString<EvaluationChangesSubscription, EvaluationChangesSubscriptionVariables>;
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
export const CreatePlanDocument = new TypedDocumentString(`
    mutation CreatePlan($input: CreatePlanInput!) {
  createPlan(input: $input) {
    __typename
    ... on CreatePlanSuccess {
      plan {
        ...PlanFields
      }
    }
    ...ErrorFields
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
}
fragment ErrorFields on Error {
  __typename
  message
  ... on ValidationError {
    issues {
      path
      code
      message
    }
  }
  ... on VersionConflictError {
    entityType
    expectedVersion
    currentVersion
  }
  ... on NotFoundError {
    entityType
    id
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}`, {"hash":"sha256:580643f9cf07ad377c0e46bef8955f7b8a93a76e7e3f880df21afd825aa58541"}) as unknown as TypedDocumentString<CreatePlanMutation, CreatePlanMutationVariables>;
export const UpdatePlanDocument = new TypedDocumentString(`
    mutation UpdatePlan($input: UpdatePlanInput!) {
  updatePlan(input: $input) {
    __typename
    ... on UpdatePlanSuccess {
      plan {
        ...PlanFields
      }
    }
    ...ErrorFields
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
}
fragment ErrorFields on Error {
  __typename
  message
  ... on ValidationError {
    issues {
      path
      code
      message
    }
  }
  ... on VersionConflictError {
    entityType
    expectedVersion
    currentVersion
  }
  ... on NotFoundError {
    entityType
    id
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}`, {"hash":"sha256:5cd2bdbceac3f24cba0a4d355058f4907ec8fa6eff03efb35bcc3c960b88c4d8"}) as unknown as TypedDocumentString<UpdatePlanMutation, UpdatePlanMutationVariables>;
export const PublishPlanDocument = new TypedDocumentString(`
    mutation PublishPlan($input: PlanVersionInput!) {
  publishPlan(input: $input) {
    __typename
    ... on PublishPlanSuccess {
      plan {
        ...PlanFields
      }
    }
    ...ErrorFields
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
}
fragment ErrorFields on Error {
  __typename
  message
  ... on ValidationError {
    issues {
      path
      code
      message
    }
  }
  ... on VersionConflictError {
    entityType
    expectedVersion
    currentVersion
  }
  ... on NotFoundError {
    entityType
    id
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}`, {"hash":"sha256:03de92dafc95507f621fabc747f59a91625e49ebf45719328cdc9cdebd1a24d9"}) as unknown as TypedDocumentString<PublishPlanMutation, PublishPlanMutationVariables>;
export const AddInitiativeDocument = new TypedDocumentString(`
    mutation AddInitiative($input: AddInitiativeInput!) {
  addInitiative(input: $input) {
    __typename
    ... on AddInitiativeSuccess {
      initiative {
        ...InitiativeFields
        plan {
          id
          version
        }
      }
    }
    ...ErrorFields
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
}
fragment ErrorFields on Error {
  __typename
  message
  ... on ValidationError {
    issues {
      path
      code
      message
    }
  }
  ... on VersionConflictError {
    entityType
    expectedVersion
    currentVersion
  }
  ... on NotFoundError {
    entityType
    id
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}`, {"hash":"sha256:a2995035a434ee3a6ed1f48770104e1e189d2af5f2b85f082af04daee0f330b1"}) as unknown as TypedDocumentString<AddInitiativeMutation, AddInitiativeMutationVariables>;
export const SubmitFeedbackDocument = new TypedDocumentString(`
    mutation SubmitFeedback($input: SubmitFeedbackInput!) {
  submitFeedback(input: $input) {
    __typename
    ... on SubmitFeedbackSuccess {
      feedback {
        id
        status
        body
        submittedAt
      }
    }
    ...ErrorFields
  }
}
    fragment ErrorFields on Error {
  __typename
  message
  ... on ValidationError {
    issues {
      path
      code
      message
    }
  }
  ... on VersionConflictError {
    entityType
    expectedVersion
    currentVersion
  }
  ... on NotFoundError {
    entityType
    id
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}`, {"hash":"sha256:76007c3c26dec4011a2afe7e971cb8387d8ebd263f863f2cde23ca68cc7a05d0"}) as unknown as TypedDocumentString<SubmitFeedbackMutation, SubmitFeedbackMutationVariables>;
export const YearSummaryDocument = new TypedDocumentString(`
    query YearSummary($municipality: String!, $fiscalYear: Int!) {
  yearSummary(municipality: $municipality, fiscalYear: $fiscalYear) {
    fiscalYear {
      ...FiscalYearFields
    }
    planCount
    initiativeCount
    reformCount
    reformShare
    evaluatedCount
    achievement {
      rating
      count
    }
    byDepartment {
      departmentCode
      departmentName
      initiativeCount
      reformCount
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
}`, {"hash":"sha256:d24cb15d80f4bad52fa7923093fc17765ebd68b4fcbe56e7e067d0c7f8cd3f37"}) as unknown as TypedDocumentString<YearSummaryQuery, YearSummaryQueryVariables>;