/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** How far an initiative achieved its goal, as the white paper rates it. */
export type AchievementRating =
  /** 達成 (achieved). */
  | 'ACHIEVED'
  /** おおむね達成 (mostly achieved). */
  | 'MOSTLY_ACHIEVED'
  /** 未達成 (not achieved). */
  | 'NOT_ACHIEVED'
  /** 一部達成 (partly achieved). */
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

/** What an API token may do (see the README for the full table). */
export type Role =
  /** Administers one municipality, or every one. */
  | 'ADMIN'
  /** Edits one department's draft plans. */
  | 'EDITOR'
  /** A municipality's planning section: publishes and evaluates. */
  | 'PLANNING'
  /** An external evaluation committee (外部評価委員会) of one municipality: records evaluations' external stage. */
  | 'REVIEWER';

/** A searched field. */
export type SearchField =
  /** The summary of an evaluation (達成状況). */
  | 'EVALUATION_SUMMARY'
  /** A footnote (※) of an initiative; `index` says which. */
  | 'INITIATIVE_FOOTNOTE'
  /** The text of an initiative (個別事業). */
  | 'INITIATIVE_TEXT'
  /** A plan's ① 部の使命・目標に関する認識. */
  | 'PLAN_MISSION'
  /** A plan's ③ 今年度の実施方針. */
  | 'PLAN_POLICY';

export type SubmitFeedbackInput = {
  /** 1 to 2000 characters. */
  body: string;
  /** Optional; seen only by the planning section. */
  contactEmail?: string | null | undefined;
  plan: string | number;
};

export type TargetStatus =
  | 'ACHIEVED'
  | 'AT_RISK'
  | 'NO_DATA'
  | 'OFF_TRACK'
  | 'ON_TRACK';

/** Fields left out (or null) stay as they are. */
export type UpdateInitiativeInput = {
  citations?: Array<string> | null | undefined;
  expectedVersion: number;
  footnotes?: Array<string> | null | undefined;
  id: string | number;
  isAdministrativeReform?: boolean | null | undefined;
  text?: string | null | undefined;
};

export type DashboardMunicipalitiesQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardMunicipalitiesQuery = { municipalities: { edges: Array<{ node: { code: string, name: string, prefecture: string, contact: { section: string, extension: string | null } | null } }> } };

export type DashboardPlanIndexQueryVariables = Exact<{
  municipality: string;
}>;


export type DashboardPlanIndexQuery = { plans: { totalCount: number, edges: Array<{ node: { id: string, status: PublicationStatus, fiscalYear: { year: number, label: string, labelEn: string }, department: { code: string, name: string, nameEn: string | null } } }> } };

export type DashboardPlansInFullQueryVariables = Exact<{
  municipality: string;
  fiscalYear?: number | null | undefined;
  department?: string | null | undefined;
}>;


export type DashboardPlansInFullQuery = { plans: { edges: Array<{ node: { id: string, version: number, status: PublicationStatus, mission: string | null, policy: string | null, staffCount: number | null, budgetYen: number | null, updatedAt: string, fiscalYear: { year: number, label: string, labelEn: string }, department: { code: string, name: string, nameEn: string | null }, initiatives: { totalCount: number, edges: Array<{ node: { id: string, version: number, position: number, text: string, isAdministrativeReform: boolean, footnotes: Array<string>, evaluation: { rating: AchievementRating | null, progressPercent: number | null, summary: string | null, decision: NextYearDecision | null, nextInitiative: { id: string } | null, whitePaper: { title: string, url: string | null } | null } | null } }> } } }> } };

export type DashboardLatestChangeCursorQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardLatestChangeCursorQuery = { latestChangeCursor: string | null };

export type DashboardUnpublishPlanMutationVariables = Exact<{
  input: PlanVersionInput;
}>;


export type DashboardUnpublishPlanMutation = { unpublishPlan:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'UnpublishPlanSuccess', plan: { id: string, version: number, status: PublicationStatus } }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'VersionConflictError', message: string, expectedVersion: number, currentVersion: number }
   };

export type DashboardUpdateInitiativeMutationVariables = Exact<{
  input: UpdateInitiativeInput;
}>;


export type DashboardUpdateInitiativeMutation = { updateInitiative:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'UpdateInitiativeSuccess', initiative: { id: string, version: number, text: string } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
    | { __typename: 'VersionConflictError', message: string, expectedVersion: number, currentVersion: number }
   };

export type DashboardStaffPlanQueryVariables = Exact<{
  municipality: string;
  department: string;
  fiscalYear: number;
}>;


export type DashboardStaffPlanQuery = { plan: { id: string, version: number, status: PublicationStatus, viewerCanUpdate: boolean, viewerCanPublish: boolean, mission: string | null, policy: string | null, staffCount: number | null, budgetYen: number | null, fiscalYear: { year: number, label: string, labelEn: string }, department: { code: string, name: string, nameEn: string | null }, initiatives: { edges: Array<{ node: { id: string, version: number, position: number, text: string } }> } } | null };

export type DashboardStaffViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardStaffViewerQuery = { viewer: { role: Role | null, tokenName: string | null, department: { name: string } | null } };

export type DashboardLabelsQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardLabelsQuery = { labels: Array<{ enum: string, values: Array<{ value: string, label: string, labelEn: string }> }> };

export type DashboardSearchQueryVariables = Exact<{
  municipality: string;
  search?: string | null | undefined;
  fiscalYear?: number | null | undefined;
  reform?: boolean | null | undefined;
  after?: string | null | undefined;
}>;


export type DashboardSearchQuery = { initiatives: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ matches: Array<{ field: SearchField, snippet: Array<{ text: string, isMatch: boolean }> }>, node: { id: string, text: string, isAdministrativeReform: boolean, plan: { fiscalYear: { year: number, label: string, labelEn: string }, department: { code: string, name: string, nameEn: string | null } } } }> } };

export type DashboardSubmitFeedbackMutationVariables = Exact<{
  input: SubmitFeedbackInput;
}>;


export type DashboardSubmitFeedbackMutation = { submitFeedback:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'RateLimitedError', message: string }
    | { __typename: 'SubmitFeedbackSuccess' }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
   };

export type DashboardTargetsQueryVariables = Exact<{
  municipality: string;
  fiscalYear?: number | null | undefined;
  department?: string | null | undefined;
}>;


export type DashboardTargetsQuery = { initiatives: { edges: Array<{ node: { id: string, targets: Array<{ id: string, indicator: string, unit: string | null, targetValue: number | null, targetDate: string | null, status: { status: TargetStatus, reason: string, values: { latestValue: number | null, measuredOn: string | null, progressPercent: number | null } } }> } }> } };

export type DashboardTimelineQueryVariables = Exact<{
  municipality: string;
  department: string;
  from: number;
  to: number;
}>;


export type DashboardTimelineQuery = { departmentTimeline: Array<{ fiscalYear: { year: number, label: string, labelEn: string }, plan: { id: string, status: PublicationStatus, initiatives: { edges: Array<{ node: { id: string, text: string, isAdministrativeReform: boolean, evaluation: { rating: AchievementRating | null } | null } }> } } | null, carriedOn: Array<{ decision: NextYearDecision | null, from: { id: string, text: string }, to: { id: string, text: string, isAdministrativeReform: boolean, evaluation: { rating: AchievementRating | null } | null } }>, new: Array<{ id: string, text: string, isAdministrativeReform: boolean, evaluation: { rating: AchievementRating | null } | null }>, ended: Array<{ id: string, text: string, isAdministrativeReform: boolean, evaluation: { rating: AchievementRating | null } | null }> }> };

export type TimelineInitiativeFragment = { id: string, text: string, isAdministrativeReform: boolean, evaluation: { rating: AchievementRating | null } | null };

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
export const TimelineInitiativeFragmentDoc = new TypedDocumentString(`
    fragment TimelineInitiative on Initiative {
  id
  text
  isAdministrativeReform
  evaluation {
    rating
  }
}
    `, {"fragmentName":"TimelineInitiative"}) as unknown as TypedDocumentString<TimelineInitiativeFragment, unknown>;
export const DashboardMunicipalitiesDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<DashboardMunicipalitiesQuery, DashboardMunicipalitiesQueryVariables>;
export const DashboardPlanIndexDocument = new TypedDocumentString(`
    query DashboardPlanIndex($municipality: String!) {
  plans(filter: {municipality: $municipality}, first: 100) {
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
    `) as unknown as TypedDocumentString<DashboardPlanIndexQuery, DashboardPlanIndexQueryVariables>;
export const DashboardPlansInFullDocument = new TypedDocumentString(`
    query DashboardPlansInFull($municipality: String!, $fiscalYear: Int, $department: String) {
  plans(
    filter: {municipality: $municipality, fiscalYear: $fiscalYear, department: $department}
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
    `) as unknown as TypedDocumentString<DashboardPlansInFullQuery, DashboardPlansInFullQueryVariables>;
export const DashboardLatestChangeCursorDocument = new TypedDocumentString(`
    query DashboardLatestChangeCursor {
  latestChangeCursor
}
    `) as unknown as TypedDocumentString<DashboardLatestChangeCursorQuery, DashboardLatestChangeCursorQueryVariables>;
export const DashboardUnpublishPlanDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<DashboardUnpublishPlanMutation, DashboardUnpublishPlanMutationVariables>;
export const DashboardUpdateInitiativeDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<DashboardUpdateInitiativeMutation, DashboardUpdateInitiativeMutationVariables>;
export const DashboardStaffPlanDocument = new TypedDocumentString(`
    query DashboardStaffPlan($municipality: String!, $department: String!, $fiscalYear: Int!) {
  plan(
    municipality: $municipality
    department: $department
    fiscalYear: $fiscalYear
  ) {
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
    `) as unknown as TypedDocumentString<DashboardStaffPlanQuery, DashboardStaffPlanQueryVariables>;
export const DashboardStaffViewerDocument = new TypedDocumentString(`
    query DashboardStaffViewer {
  viewer {
    role
    tokenName
    department {
      name
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardStaffViewerQuery, DashboardStaffViewerQueryVariables>;
export const DashboardLabelsDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<DashboardLabelsQuery, DashboardLabelsQueryVariables>;
export const DashboardSearchDocument = new TypedDocumentString(`
    query DashboardSearch($municipality: String!, $search: String, $fiscalYear: Int, $reform: Boolean, $after: String) {
  initiatives(
    filter: {municipality: $municipality, search: $search, fiscalYear: $fiscalYear, isAdministrativeReform: $reform}
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
    `) as unknown as TypedDocumentString<DashboardSearchQuery, DashboardSearchQueryVariables>;
export const DashboardSubmitFeedbackDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<DashboardSubmitFeedbackMutation, DashboardSubmitFeedbackMutationVariables>;
export const DashboardTargetsDocument = new TypedDocumentString(`
    query DashboardTargets($municipality: String!, $fiscalYear: Int, $department: String) {
  initiatives(
    filter: {municipality: $municipality, fiscalYear: $fiscalYear, department: $department}
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
    `) as unknown as TypedDocumentString<DashboardTargetsQuery, DashboardTargetsQueryVariables>;
export const DashboardTimelineDocument = new TypedDocumentString(`
    query DashboardTimeline($municipality: String!, $department: String!, $from: Int!, $to: Int!) {
  departmentTimeline(
    municipality: $municipality
    department: $department
    fiscalYears: {from: $from, to: $to}
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
}`) as unknown as TypedDocumentString<DashboardTimelineQuery, DashboardTimelineQueryVariables>;