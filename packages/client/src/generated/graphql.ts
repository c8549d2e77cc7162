/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
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

/** AT_LEAST / AT_MOST need targetValue (and usually baseline); WITHIN_RANGE rangeMin and rangeMax; MILESTONE targetDate. */
export type AddTargetInput = {
  baseline?: number | null | undefined;
  direction: TargetDirection;
  /** What is measured. */
  indicator: string;
  initiative: string | number;
  rangeMax?: number | null | undefined;
  rangeMin?: number | null | undefined;
  targetDate?: string | null | undefined;
  targetValue?: number | null | undefined;
  unit?: string | null | undefined;
  /** Share in a roll-up's weighted progress; 1 when absent. */
  weight?: number | null | undefined;
};

/** A point in the history: a time, or a change sequence (exactly one). */
export type AsOfPoint = {
  /** As it stood at this time. */
  at?: string | null | undefined;
  /** As it stood right after this change (a Change.sequence or event cursor). */
  sequence?: string | null | undefined;
};

export type ChangeFilter = {
  actor?: string | null | undefined;
  /** Department code (with municipality). */
  department?: string | null | undefined;
  /** e.g. DepartmentPlan, Initiative, Evaluation. */
  entityType?: string | null | undefined;
  fiscalYear?: number | null | undefined;
  /** National code, e.g. 132047. */
  municipality?: string | null | undefined;
};

export type ChangeKind =
  /** The record was created. */
  | 'CREATE'
  /** The record was deleted. */
  | 'DELETE'
  /** Fields of the record changed (publishing included). */
  | 'UPDATE';

export type CreateDepartmentInput = {
  /** Last fiscal year it existed, once reorganised. */
  abolishedAfter?: number | null | undefined;
  /** Stable code, e.g. kyoiku: lower-case letters, digits, hyphens. Never changes. */
  code: string;
  displayOrder: number;
  /** First fiscal year it existed, when known. */
  establishedIn?: number | null | undefined;
  /** National code, e.g. 132047. */
  municipality: string;
  /** e.g. 教育部 */
  name: string;
  nameEn?: string | null | undefined;
};

export type CreateMunicipalityInput = {
  /** Six-digit national local-government code with its check digit, e.g. 132047. */
  code: string;
  /** 内線, e.g. 2150 */
  contactExtension?: string | null | undefined;
  /** 問い合わせ先, e.g. 企画経営課 */
  contactSection?: string | null | undefined;
  /** e.g. 三鷹市 */
  name: string;
  /** e.g. 東京都; must match the code. */
  prefecture: string;
};

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

export type CreateWebhookEndpointInput = {
  audience?: WebhookAudience | null | undefined;
  description?: string | null | undefined;
  /** Left out or empty: all kinds. */
  eventKinds?: Array<LiveEventKind> | null | undefined;
  events: Array<WebhookEventType>;
  filter?: WebhookFilterInput | null | undefined;
  /** Where to POST; every address of its host must be public (unless the server allows a private range). */
  url: string;
};

export type CreateWhitePaperInput = {
  /** National code, e.g. 132047. */
  municipality: string;
  /** At the precision known: 2012-07 or 2012-07-31. */
  publicationDate: string;
  /** The fiscal year whose achievements it reports, e.g. 2011. */
  reportsOnFiscalYear: number;
  /** e.g. 三鷹市自治体経営白書2012 */
  title: string;
  /** Where it is published (http or https). */
  url?: string | null | undefined;
};

export type EvaluationStageDefinitionInput = {
  kind: EvaluationStageKind;
  /** e.g. 自己評価 */
  name: string;
  required: boolean;
  role: EvaluationStageRole;
};

export type EvaluationStageInput = {
  evaluation: string | number;
  /** The version you read. */
  expectedVersion: number;
  stage: EvaluationStageKind;
};

/** A stage of an evaluation (行政評価), in their usual order. */
export type EvaluationStageKind =
  /** 外部評価: by the external evaluation committee. */
  | 'EXTERNAL'
  /** 一次評価: by the planning section. */
  | 'FIRST'
  /** 二次評価: by the planning section. */
  | 'SECOND'
  /** 自己評価: by the department. */
  | 'SELF';

/** Who works on a stage. */
export type EvaluationStageRole =
  /** The department's editors (planning may act for them). */
  | 'EDITOR'
  /** Planning staff and admins. */
  | 'PLANNING'
  /** The external committee (or planning on its behalf). */
  | 'REVIEWER';

export type EvaluationStageState =
  /** Done: the evaluation shows the last completed stage. */
  | 'COMPLETED'
  /** Being worked on (or sent back). */
  | 'OPEN';

export type EvaluationVersionInput = {
  /** The version you read. */
  expectedVersion: number;
  id: string | number;
};

export type FeedbackStatus =
  /** Public. */
  | 'APPROVED'
  /** Waiting for moderation; not public. */
  | 'PENDING'
  /** Never shown. */
  | 'REJECTED';

/** Several fiscal years: a range (`from`/`to`, both included, either may be left open) or a list (`in`), not both. */
export type FiscalYearRange = {
  /** First year, e.g. 2012. */
  from?: number | null | undefined;
  /** Exactly these years (at most 50). */
  in?: Array<number> | null | undefined;
  /** Last year, included. */
  to?: number | null | undefined;
};

export type InitiativeFilter = {
  /** Department code, e.g. kyoiku. */
  department?: string | null | undefined;
  /** One fiscal year, e.g. 2012 for 平成24年度. */
  fiscalYear?: number | null | undefined;
  /** Several fiscal years; instead of `fiscalYear`. */
  fiscalYears?: FiscalYearRange | null | undefined;
  /** Only ☞ reform projects, or only others. */
  isAdministrativeReform?: boolean | null | undefined;
  /** National code, e.g. 132047. */
  municipality?: string | null | undefined;
  /** Words to find in the text and footnotes, separated by spaces: every word must occur. Insensitive to full-width/half-width forms (NFKC), hiragana/katakana and case; 1 to 100 characters. Edges say where each result matched (`matches`). */
  search?: string | null | undefined;
  /** Only plans in this status. Narrows what the caller may see, never widens it: the public's DRAFT list is empty. */
  status?: PublicationStatus | null | undefined;
};

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

export type ModerateFeedbackInput = {
  id: string | number;
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

export type PlanFilter = {
  /** Department code, e.g. kyoiku. */
  department?: string | null | undefined;
  /** One fiscal year, e.g. 2012 for 平成24年度. */
  fiscalYear?: number | null | undefined;
  /** Several fiscal years; instead of `fiscalYear`. */
  fiscalYears?: FiscalYearRange | null | undefined;
  /** National code, e.g. 132047. */
  municipality?: string | null | undefined;
  /** Only plans in this status. Narrows what the caller may see, never widens it: the public's DRAFT list is empty. */
  status?: PublicationStatus | null | undefined;
};

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

export type PublishWhitePaperInput = {
  /** The version you read. */
  expectedVersion: number;
  id: string | number;
};

export type RecordEvaluationInput = {
  decision?: NextYearDecision | null | undefined;
  initiative: string | number;
  /** A later fiscal year's initiative that carries this one on. */
  nextInitiative?: string | number | null | undefined;
  /** Share of the goal reached, 0 to 100. */
  progressPercent?: number | null | undefined;
  rating: AchievementRating;
  summary: string;
  /** The white paper reporting on the initiative's fiscal year. */
  whitePaper?: string | number | null | undefined;
};

export type RecordEvaluationStageInput = {
  /** The version of the evaluation you read; required once it exists. */
  expectedVersion?: number | null | undefined;
  initiative: string | number;
  /** Share of the goal reached, 0 to 100. */
  progressPercent?: number | null | undefined;
  rating: AchievementRating;
  stage: EvaluationStageKind;
  summary: string;
};

/** One period's actual; recording the same measuredOn again replaces it. MILESTONE targets give reachedOn (or nothing while not reached), the others a value. */
export type RecordTargetActualInput = {
  measuredOn: string;
  /** e.g. 2012年度上半期. */
  period: string;
  reachedOn?: string | null | undefined;
  target: string | number;
  value?: number | null | undefined;
};

export type RedeliverWebhookInput = {
  /** A WebhookDelivery id. */
  delivery: string | number;
};

export type RemoveInitiativeInput = {
  expectedVersion: number;
  id: string | number;
};

export type ReorderInitiativesInput = {
  /** The plan's version you read. */
  expectedVersion: number;
  /** Every initiative of the plan, in the new order. */
  initiatives: Array<string | number>;
  plan: string | number;
};

export type ReturnEvaluationStageInput = {
  evaluation: string | number;
  /** The version you read. */
  expectedVersion: number;
  /** Why it goes back (required). */
  reason: string;
  stage: EvaluationStageKind;
};

export type RotateWebhookSecretInput = {
  id: string | number;
  /** How long the previous secret also signs (0 to 604800). */
  overlapSeconds?: number | null | undefined;
};

export type SetEvaluationStagesInput = {
  /** National code, e.g. 132047. */
  municipality: string;
  /** In order; each kind at most once. */
  stages: Array<EvaluationStageDefinitionInput>;
};

export type SetStatusRulesInput = {
  /** The version of that set you read (0 while there is none). */
  expectedVersion?: number | null | undefined;
  /** The first fiscal year the rules apply to, until a later set’s (absent: the first year that is not closed). A closed year, whose white paper is published, keeps its rules (CLOSED_YEAR). */
  fromFiscalYear?: number | null | undefined;
  /** National code. */
  municipality: string;
  /** In order; the last must be { "always": true }. Null resets to the default. */
  rules?: Array<StatusRuleInput> | null | undefined;
};

export type StatusRuleInput = {
  /** In Japanese (or the city’s words). */
  description: string;
  /** In English. */
  descriptionEn?: string | null | undefined;
  /** e.g. at-risk. */
  id: string;
  status: TargetStatus;
  /** The condition (docs/targets-and-as-of.md), e.g. { "meetsTarget": true }. */
  when: unknown;
};

export type SubmitFeedbackInput = {
  /** 1 to 2000 characters. */
  body: string;
  /** Optional; seen only by the planning section. */
  contactEmail?: string | null | undefined;
  plan: string | number;
};

export type TargetDirection =
  /** Reach at least targetValue (more is better). */
  | 'AT_LEAST'
  /** Come down to at most targetValue (less is better). */
  | 'AT_MOST'
  /** Reach it by targetDate. */
  | 'MILESTONE'
  /** Stay within rangeMin..rangeMax. */
  | 'WITHIN_RANGE';

export type TargetStatus =
  | 'ACHIEVED'
  | 'AT_RISK'
  | 'NO_DATA'
  | 'OFF_TRACK'
  | 'ON_TRACK';

/** Fields left out stay as they are; null clears one. The code never changes. */
export type UpdateDepartmentInput = {
  abolishedAfter?: number | null | undefined;
  displayOrder?: number | null | undefined;
  establishedIn?: number | null | undefined;
  /** The version you read. */
  expectedVersion: number;
  id: string | number;
  name?: string | null | undefined;
  nameEn?: string | null | undefined;
  /** With a new name, English name or display order: the fiscal year they apply from. Earlier years keep the names they had (see Department.nameIn and DepartmentPlan.departmentAsOfYear). Without it, a change corrects every year. */
  renamedFrom?: number | null | undefined;
};

/** Fields left out stay as they are; null clears one. */
export type UpdateEvaluationInput = {
  decision?: NextYearDecision | null | undefined;
  /** The version you read. */
  expectedVersion: number;
  id: string | number;
  nextInitiative?: string | number | null | undefined;
  progressPercent?: number | null | undefined;
  rating?: AchievementRating | null | undefined;
  summary?: string | null | undefined;
  whitePaper?: string | number | null | undefined;
};

/** Fields left out (or null) stay as they are. */
export type UpdateInitiativeInput = {
  citations?: Array<string> | null | undefined;
  expectedVersion: number;
  footnotes?: Array<string> | null | undefined;
  id: string | number;
  isAdministrativeReform?: boolean | null | undefined;
  text?: string | null | undefined;
};

/** Fields left out stay as they are; null clears one. The code never changes. */
export type UpdateMunicipalityInput = {
  contactExtension?: string | null | undefined;
  contactSection?: string | null | undefined;
  /** The version you read. */
  expectedVersion: number;
  id: string | number;
  name?: string | null | undefined;
  prefecture?: string | null | undefined;
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

/** Fields left out stay as they are. */
export type UpdateWebhookEndpointInput = {
  description?: string | null | undefined;
  /** true enables a disabled endpoint (its waiting deliveries resume in order); false disables it. */
  enabled?: boolean | null | undefined;
  eventKinds?: Array<LiveEventKind> | null | undefined;
  events?: Array<WebhookEventType> | null | undefined;
  id: string | number;
  url?: string | null | undefined;
};

/** Fields left out stay as they are; null clears one. */
export type UpdateWhitePaperInput = {
  /** The version you read. */
  expectedVersion: number;
  id: string | number;
  publicationDate?: string | null | undefined;
  reportsOnFiscalYear?: number | null | undefined;
  title?: string | null | undefined;
  url?: string | null | undefined;
};

/** Whose view the events follow. */
export type WebhookAudience =
  /** The public's: published plans and what they contain. */
  | 'PUBLIC'
  /** The registering token's own view (its drafts included). Only that token may manage such an endpoint; revoked, it receives nothing. */
  | 'TOKEN';

export type WebhookDeliveryState =
  /** The receiver answered 2xx. */
  | 'DELIVERED'
  /** Given up: retried for the whole retry period, or its token was revoked. */
  | 'FAILED'
  /** Waiting for its first attempt or a retry (see nextAttemptAt). */
  | 'PENDING';

export type WebhookEndpointIdInput = {
  id: string | number;
};

export type WebhookEndpointState =
  /** Receives deliveries. */
  | 'ACTIVE'
  /** Receives nothing (disabledReason says why); its pending deliveries wait until it is enabled again. */
  | 'DISABLED';

/** Whose changes an endpoint receives (as planChanged, initiativeChanged... deliver them). */
export type WebhookEventType =
  | 'EVALUATION'
  | 'INITIATIVE'
  | 'PLAN'
  | 'REMINDER'
  | 'TARGET'
  | 'TARGET_ACTUAL';

/** Send only changes within these (each left out: any). */
export type WebhookFilterInput = {
  /** Department code (needs municipality). */
  department?: string | null | undefined;
  /** Global ID of one plan, initiative, evaluation, target or actual. */
  entity?: string | number | null | undefined;
  fiscalYear?: number | null | undefined;
  /** National code, e.g. 132047. */
  municipality?: string | null | undefined;
};

export type MunicipalityQueryVariables = Exact<{
  code: string;
}>;


export type MunicipalityQuery = { municipality: { id: string, version: number, code: string, name: string, prefecture: string, contact: { section: string, extension: string | null } | null } };

export type MunicipalitiesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MunicipalitiesQuery = { municipalities: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, version: number, code: string, name: string, prefecture: string, contact: { section: string, extension: string | null } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type DepartmentsQueryVariables = Exact<{
  municipality: string;
  fiscalYear?: number | null | undefined;
}>;


export type DepartmentsQuery = { departments: Array<{ id: string, version: number, code: string, name: string, nameEn: string | null, displayOrder: number, establishedIn: { year: number, label: string } | null, abolishedAfter: { year: number, label: string } | null }> };

export type DepartmentQueryVariables = Exact<{
  municipality: string;
  code: string;
}>;


export type DepartmentQuery = { department: { id: string, version: number, code: string, name: string, nameEn: string | null, displayOrder: number, establishedIn: { year: number, label: string } | null, abolishedAfter: { year: number, label: string } | null } };

export type WhitePapersQueryVariables = Exact<{
  municipality: string;
}>;


export type WhitePapersQuery = { whitePapers: Array<{ id: string, version: number, title: string, url: string | null, publicationDate: string, publishedAt: string | null, reportsOn: { year: number, label: string } }> };

export type InitiativeChainsQueryVariables = Exact<{
  municipality: string;
  department: string;
  fiscalYear: number;
}>;


export type InitiativeChainsQuery = { initiativeChains: Array<{ links: Array<{ fiscalYear: number, decision: NextYearDecision | null, initiative: { id: string, position: number, text: string } }> }> };

export type EvaluationsQueryVariables = Exact<{
  filter?: PlanFilter | null | undefined;
  rating?: AchievementRating | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type EvaluationsQuery = { evaluations: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, version: number, status: PublicationStatus, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, decision: NextYearDecision | null, initiative: { id: string }, nextInitiative: { id: string } | null, whitePaper: { id: string, title: string } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ChangesQueryVariables = Exact<{
  filter?: ChangeFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ChangesQuery = { changes: { edges: Array<{ cursor: string, node: { fiscalYear: number | null, sequence: string, action: ChangeKind, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type PlanFeedbackQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type PlanFeedbackQuery = { node:
    | { __typename: 'Department', id: string }
    | { __typename: 'DepartmentPlan', id: string, feedback: { edges: Array<{ cursor: string, node: { contactEmail: string | null, id: string, status: FeedbackStatus, body: string, submittedAt: string, moderatedAt: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } }
    | { __typename: 'Evaluation', id: string }
    | { __typename: 'Feedback', id: string }
    | { __typename: 'FeedbackAnswer', id: string }
    | { __typename: 'Initiative', id: string }
    | { __typename: 'Municipality', id: string }
    | { __typename: 'Target', id: string }
    | { __typename: 'TargetActual', id: string }
    | { __typename: 'WhitePaper', id: string }
   | null };

export type DepartmentPlanQueryVariables = Exact<{
  municipality: string;
  department: string;
  fiscalYear: number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DepartmentPlanQuery = { plan: { id: string, version: number, status: PublicationStatus, mission: string | null, policy: string | null, staffCount: number | null, budgetYen: number | null, publishedAt: string | null, updatedAt: string, initiatives: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, version: number, position: number, text: string, isAdministrativeReform: boolean, footnotes: Array<string>, citations: Array<string>, evaluation: { id: string, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, decision: NextYearDecision | null } | null } }> }, fiscalYear: { year: number, label: string, labelEn: string, eraYear: number, startDate: string, endDate: string, era: { name: string, romaji: string } }, department: { id: string, code: string, name: string, nameEn: string | null } } | null };

export type FiscalYearQueryVariables = Exact<{
  year: number;
}>;


export type FiscalYearQuery = { fiscalYear: { year: number, label: string, labelEn: string, eraYear: number, startDate: string, endDate: string, era: { name: string, romaji: string } } };

export type FiscalYearFieldsFragment = { year: number, label: string, labelEn: string, eraYear: number, startDate: string, endDate: string, era: { name: string, romaji: string } };

export type InitiativeFieldsFragment = { id: string, version: number, position: number, text: string, isAdministrativeReform: boolean, footnotes: Array<string>, citations: Array<string>, evaluation: { id: string, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, decision: NextYearDecision | null } | null };

export type PlanFieldsFragment = { id: string, version: number, status: PublicationStatus, mission: string | null, policy: string | null, staffCount: number | null, budgetYen: number | null, publishedAt: string | null, updatedAt: string, fiscalYear: { year: number, label: string, labelEn: string, eraYear: number, startDate: string, endDate: string, era: { name: string, romaji: string } }, department: { id: string, code: string, name: string, nameEn: string | null } };

export type ChangeFieldsFragment = { sequence: string, action: ChangeKind, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> };

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

export type DepartmentFieldsFragment = { id: string, version: number, code: string, name: string, nameEn: string | null, displayOrder: number, establishedIn: { year: number, label: string } | null, abolishedAfter: { year: number, label: string } | null };

export type MunicipalityFieldsFragment = { id: string, version: number, code: string, name: string, prefecture: string, contact: { section: string, extension: string | null } | null };

export type WhitePaperFieldsFragment = { id: string, version: number, title: string, url: string | null, publicationDate: string, publishedAt: string | null, reportsOn: { year: number, label: string } };

export type EvaluationStageFieldsFragment = { kind: EvaluationStageKind, state: EvaluationStageState, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, reviewer: string | null, completedAt: string | null, returnReason: string | null };

export type EvaluationFieldsFragment = { id: string, version: number, status: PublicationStatus, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, decision: NextYearDecision | null, initiative: { id: string }, nextInitiative: { id: string } | null, whitePaper: { id: string, title: string } | null };

export type FeedbackFieldsFragment = { id: string, status: FeedbackStatus, body: string, submittedAt: string, moderatedAt: string | null };

export type HistoryQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type HistoryQuery = { node:
    | { __typename: 'Department', id: string, history: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { sequence: string, action: ChangeKind, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> } }> } }
    | { __typename: 'DepartmentPlan', id: string, history: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { sequence: string, action: ChangeKind, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> } }> } }
    | { __typename: 'Evaluation', id: string, history: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { sequence: string, action: ChangeKind, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> } }> } }
    | { __typename: 'Feedback', id: string }
    | { __typename: 'FeedbackAnswer', id: string }
    | { __typename: 'Initiative', id: string, history: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { sequence: string, action: ChangeKind, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> } }> } }
    | { __typename: 'Municipality', id: string, history: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { sequence: string, action: ChangeKind, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> } }> } }
    | { __typename: 'Target', id: string }
    | { __typename: 'TargetActual', id: string }
    | { __typename: 'WhitePaper', id: string, history: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { sequence: string, action: ChangeKind, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> } }> } }
   | null };

export type PlanChangesSubscriptionVariables = Exact<{
  filter?: LiveFilter | null | undefined;
  after?: string | null | undefined;
}>;


export type PlanChangesSubscription = { planChanged: { cursor: string, kind: LiveEventKind, id: string, at: string, change: { sequence: string, action: ChangeKind, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> }, plan: { id: string, version: number, status: PublicationStatus, mission: string | null, policy: string | null, staffCount: number | null, budgetYen: number | null, publishedAt: string | null, fiscalYear: { year: number }, department: { id: string, code: string, name: string } } | null } };

export type InitiativeChangesSubscriptionVariables = Exact<{
  filter?: LiveFilter | null | undefined;
  after?: string | null | undefined;
}>;


export type InitiativeChangesSubscription = { initiativeChanged: { cursor: string, kind: LiveEventKind, id: string, at: string, change: { sequence: string, action: ChangeKind, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> }, initiative: { id: string, planId: string, version: number, position: number, text: string, isAdministrativeReform: boolean, footnotes: Array<string>, citations: Array<string> } | null } };

export type EvaluationChangesSubscriptionVariables = Exact<{
  filter?: LiveFilter | null | undefined;
  after?: string | null | undefined;
}>;


export type EvaluationChangesSubscription = { evaluationChanged: { cursor: string, kind: LiveEventKind, id: string, at: string, change: { sequence: string, action: ChangeKind, actor: string, at: string, entityType: string, entityId: string, changes: Array<{ field: string, before: unknown, after: unknown }> }, evaluation: { id: string, version: number, status: PublicationStatus, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, decision: NextYearDecision | null, initiativeId: string } | null } };

export type LatestChangeCursorQueryVariables = Exact<{ [key: string]: never; }>;


export type LatestChangeCursorQuery = { latestChangeCursor: string | null };

export type DeletePlanMutationVariables = Exact<{
  input: PlanVersionInput;
}>;


export type DeletePlanMutation = { deletePlan:
    | { __typename: 'DeletePlanSuccess', plan: { id: string, version: number, status: PublicationStatus, mission: string | null, policy: string | null, staffCount: number | null, budgetYen: number | null, publishedAt: string | null, updatedAt: string, fiscalYear: { year: number, label: string, labelEn: string, eraYear: number, startDate: string, endDate: string, era: { name: string, romaji: string } }, department: { id: string, code: string, name: string, nameEn: string | null } } }
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
    | { __typename: 'VersionConflictError', entityType: string, expectedVersion: number, currentVersion: number, message: string }
   };

export type UnpublishPlanMutationVariables = Exact<{
  input: PlanVersionInput;
}>;


export type UnpublishPlanMutation = { unpublishPlan:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'UnpublishPlanSuccess', plan: { id: string, version: number, status: PublicationStatus, mission: string | null, policy: string | null, staffCount: number | null, budgetYen: number | null, publishedAt: string | null, updatedAt: string, fiscalYear: { year: number, label: string, labelEn: string, eraYear: number, startDate: string, endDate: string, era: { name: string, romaji: string } }, department: { id: string, code: string, name: string, nameEn: string | null } } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
    | { __typename: 'VersionConflictError', entityType: string, expectedVersion: number, currentVersion: number, message: string }
   };

export type UpdateInitiativeMutationVariables = Exact<{
  input: UpdateInitiativeInput;
}>;


export type UpdateInitiativeMutation = { updateInitiative:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'UpdateInitiativeSuccess', initiative: { id: string, version: number, position: number, text: string, isAdministrativeReform: boolean, footnotes: Array<string>, citations: Array<string>, plan: { id: string, version: number }, evaluation: { id: string, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, decision: NextYearDecision | null } | null } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
    | { __typename: 'VersionConflictError', entityType: string, expectedVersion: number, currentVersion: number, message: string }
   };

export type RemoveInitiativeMutationVariables = Exact<{
  input: RemoveInitiativeInput;
}>;


export type RemoveInitiativeMutation = { removeInitiative:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'RemoveInitiativeSuccess', plan: { id: string, version: number } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
    | { __typename: 'VersionConflictError', entityType: string, expectedVersion: number, currentVersion: number, message: string }
   };

export type ReorderInitiativesMutationVariables = Exact<{
  input: ReorderInitiativesInput;
}>;


export type ReorderInitiativesMutation = { reorderInitiatives:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'ReorderInitiativesSuccess', plan: { id: string, version: number } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
    | { __typename: 'VersionConflictError', entityType: string, expectedVersion: number, currentVersion: number, message: string }
   };

export type RecordEvaluationMutationVariables = Exact<{
  input: RecordEvaluationInput;
}>;


export type RecordEvaluationMutation = { recordEvaluation:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'RecordEvaluationSuccess', evaluation: { id: string, version: number, status: PublicationStatus, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, decision: NextYearDecision | null, initiative: { id: string }, nextInitiative: { id: string } | null, whitePaper: { id: string, title: string } | null } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
   };

export type UpdateEvaluationMutationVariables = Exact<{
  input: UpdateEvaluationInput;
}>;


export type UpdateEvaluationMutation = { updateEvaluation:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'UpdateEvaluationSuccess', evaluation: { id: string, version: number, status: PublicationStatus, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, decision: NextYearDecision | null, initiative: { id: string }, nextInitiative: { id: string } | null, whitePaper: { id: string, title: string } | null } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
    | { __typename: 'VersionConflictError', entityType: string, expectedVersion: number, currentVersion: number, message: string }
   };

export type PublishEvaluationMutationVariables = Exact<{
  input: EvaluationVersionInput;
}>;


export type PublishEvaluationMutation = { publishEvaluation:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'PublishEvaluationSuccess', evaluation: { id: string, version: number, status: PublicationStatus, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, decision: NextYearDecision | null, initiative: { id: string }, nextInitiative: { id: string } | null, whitePaper: { id: string, title: string } | null } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
    | { __typename: 'VersionConflictError', entityType: string, expectedVersion: number, currentVersion: number, message: string }
   };

export type UnpublishEvaluationMutationVariables = Exact<{
  input: EvaluationVersionInput;
}>;


export type UnpublishEvaluationMutation = { unpublishEvaluation:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'UnpublishEvaluationSuccess', evaluation: { id: string, version: number, status: PublicationStatus, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, decision: NextYearDecision | null, initiative: { id: string }, nextInitiative: { id: string } | null, whitePaper: { id: string, title: string } | null } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
    | { __typename: 'VersionConflictError', entityType: string, expectedVersion: number, currentVersion: number, message: string }
   };

export type RecordEvaluationStageMutationVariables = Exact<{
  input: RecordEvaluationStageInput;
}>;


export type RecordEvaluationStageMutation = { recordEvaluationStage:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'RecordEvaluationStageSuccess', evaluation: { id: string, version: number, status: PublicationStatus, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, decision: NextYearDecision | null, stages: Array<{ kind: EvaluationStageKind, state: EvaluationStageState, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, reviewer: string | null, completedAt: string | null, returnReason: string | null }>, initiative: { id: string }, nextInitiative: { id: string } | null, whitePaper: { id: string, title: string } | null } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
    | { __typename: 'VersionConflictError', entityType: string, expectedVersion: number, currentVersion: number, message: string }
   };

export type CompleteEvaluationStageMutationVariables = Exact<{
  input: EvaluationStageInput;
}>;


export type CompleteEvaluationStageMutation = { completeEvaluationStage:
    | { __typename: 'CompleteEvaluationStageSuccess', evaluation: { id: string, version: number, status: PublicationStatus, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, decision: NextYearDecision | null, stages: Array<{ kind: EvaluationStageKind, state: EvaluationStageState, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, reviewer: string | null, completedAt: string | null, returnReason: string | null }>, initiative: { id: string }, nextInitiative: { id: string } | null, whitePaper: { id: string, title: string } | null } }
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
    | { __typename: 'VersionConflictError', entityType: string, expectedVersion: number, currentVersion: number, message: string }
   };

export type ReturnEvaluationStageMutationVariables = Exact<{
  input: ReturnEvaluationStageInput;
}>;


export type ReturnEvaluationStageMutation = { returnEvaluationStage:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'ReturnEvaluationStageSuccess', evaluation: { id: string, version: number, status: PublicationStatus, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, decision: NextYearDecision | null, stages: Array<{ kind: EvaluationStageKind, state: EvaluationStageState, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, reviewer: string | null, completedAt: string | null, returnReason: string | null }>, initiative: { id: string }, nextInitiative: { id: string } | null, whitePaper: { id: string, title: string } | null } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
    | { __typename: 'VersionConflictError', entityType: string, expectedVersion: number, currentVersion: number, message: string }
   };

export type SetEvaluationStagesMutationVariables = Exact<{
  input: SetEvaluationStagesInput;
}>;


export type SetEvaluationStagesMutation = { setEvaluationStages:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'SetEvaluationStagesSuccess', municipality: { id: string, evaluationStages: Array<{ kind: EvaluationStageKind, position: number, name: string, role: EvaluationStageRole, required: boolean }> } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
   };

export type PublishWhitePaperMutationVariables = Exact<{
  input: PublishWhitePaperInput;
}>;


export type PublishWhitePaperMutation = { publishWhitePaper:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'PublishWhitePaperSuccess', whitePaper: { id: string, version: number, title: string, url: string | null, publicationDate: string, publishedAt: string | null, reportsOn: { year: number, label: string } } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
    | { __typename: 'VersionConflictError', entityType: string, expectedVersion: number, currentVersion: number, message: string }
   };

export type ApproveFeedbackMutationVariables = Exact<{
  input: ModerateFeedbackInput;
}>;


export type ApproveFeedbackMutation = { approveFeedback:
    | { __typename: 'ApproveFeedbackSuccess', feedback: { id: string, status: FeedbackStatus, body: string, submittedAt: string, moderatedAt: string | null } }
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
   };

export type RejectFeedbackMutationVariables = Exact<{
  input: ModerateFeedbackInput;
}>;


export type RejectFeedbackMutation = { rejectFeedback:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'RejectFeedbackSuccess', feedback: { id: string, status: FeedbackStatus, body: string, submittedAt: string, moderatedAt: string | null } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
   };

export type CreateDepartmentMutationVariables = Exact<{
  input: CreateDepartmentInput;
}>;


export type CreateDepartmentMutation = { createDepartment:
    | { __typename: 'CreateDepartmentSuccess', department: { id: string, version: number, code: string, name: string, nameEn: string | null, displayOrder: number, establishedIn: { year: number, label: string } | null, abolishedAfter: { year: number, label: string } | null } }
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
   };

export type UpdateDepartmentMutationVariables = Exact<{
  input: UpdateDepartmentInput;
}>;


export type UpdateDepartmentMutation = { updateDepartment:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'UpdateDepartmentSuccess', department: { id: string, version: number, code: string, name: string, nameEn: string | null, displayOrder: number, establishedIn: { year: number, label: string } | null, abolishedAfter: { year: number, label: string } | null } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
    | { __typename: 'VersionConflictError', entityType: string, expectedVersion: number, currentVersion: number, message: string }
   };

export type CreateMunicipalityMutationVariables = Exact<{
  input: CreateMunicipalityInput;
}>;


export type CreateMunicipalityMutation = { createMunicipality:
    | { __typename: 'CreateMunicipalitySuccess', municipality: { id: string, version: number, code: string, name: string, prefecture: string, contact: { section: string, extension: string | null } | null } }
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
   };

export type UpdateMunicipalityMutationVariables = Exact<{
  input: UpdateMunicipalityInput;
}>;


export type UpdateMunicipalityMutation = { updateMunicipality:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'UpdateMunicipalitySuccess', municipality: { id: string, version: number, code: string, name: string, prefecture: string, contact: { section: string, extension: string | null } | null } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
    | { __typename: 'VersionConflictError', entityType: string, expectedVersion: number, currentVersion: number, message: string }
   };

export type CreateWhitePaperMutationVariables = Exact<{
  input: CreateWhitePaperInput;
}>;


export type CreateWhitePaperMutation = { createWhitePaper:
    | { __typename: 'CreateWhitePaperSuccess', whitePaper: { id: string, version: number, title: string, url: string | null, publicationDate: string, publishedAt: string | null, reportsOn: { year: number, label: string } } }
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
   };

export type UpdateWhitePaperMutationVariables = Exact<{
  input: UpdateWhitePaperInput;
}>;


export type UpdateWhitePaperMutation = { updateWhitePaper:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'UpdateWhitePaperSuccess', whitePaper: { id: string, version: number, title: string, url: string | null, publicationDate: string, publishedAt: string | null, reportsOn: { year: number, label: string } } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
    | { __typename: 'VersionConflictError', entityType: string, expectedVersion: number, currentVersion: number, message: string }
   };

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


export type SearchInitiativesQuery = { initiatives: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, version: number, position: number, text: string, isAdministrativeReform: boolean, footnotes: Array<string>, citations: Array<string>, plan: { id: string, fiscalYear: { year: number, label: string }, department: { code: string, name: string } }, evaluation: { id: string, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, decision: NextYearDecision | null } | null } }> } };

export type TargetFieldsFragment = { id: string, indicator: string, unit: string | null, direction: TargetDirection, baseline: number | null, targetValue: number | null, rangeMin: number | null, rangeMax: number | null, targetDate: string | null, weight: number, version: number, actuals: Array<{ id: string, period: string, measuredOn: string, value: number | null, reachedOn: string | null }>, status: { status: TargetStatus, reason: string, rule: { id: string, status: TargetStatus, description: string }, values: { baseline: number | null, targetValue: number | null, latestValue: number | null, latestReachedOn: string | null, latestPeriod: string | null, measuredOn: string | null, progressPercent: number | null, expectedPercent: number | null, gapPoints: number | null } } };

export type StatusRuleSetFieldsFragment = { municipality: string, isDefault: boolean, version: number, rules: Array<{ id: string, status: TargetStatus, description: string, when: unknown }> };

export type InitiativeTargetsQueryVariables = Exact<{
  id: string | number;
}>;


export type InitiativeTargetsQuery = { node:
    | { __typename: 'Department', id: string }
    | { __typename: 'DepartmentPlan', id: string }
    | { __typename: 'Evaluation', id: string }
    | { __typename: 'Feedback', id: string }
    | { __typename: 'FeedbackAnswer', id: string }
    | { __typename: 'Initiative', id: string, targets: Array<{ id: string, indicator: string, unit: string | null, direction: TargetDirection, baseline: number | null, targetValue: number | null, rangeMin: number | null, rangeMax: number | null, targetDate: string | null, weight: number, version: number, actuals: Array<{ id: string, period: string, measuredOn: string, value: number | null, reachedOn: string | null }>, status: { status: TargetStatus, reason: string, rule: { id: string, status: TargetStatus, description: string }, values: { baseline: number | null, targetValue: number | null, latestValue: number | null, latestReachedOn: string | null, latestPeriod: string | null, measuredOn: string | null, progressPercent: number | null, expectedPercent: number | null, gapPoints: number | null } } }> }
    | { __typename: 'Municipality', id: string }
    | { __typename: 'Target', id: string }
    | { __typename: 'TargetActual', id: string }
    | { __typename: 'WhitePaper', id: string }
   | null };

export type StatusRulesQueryVariables = Exact<{
  municipality: string;
}>;


export type StatusRulesQuery = { statusRules: { municipality: string, isDefault: boolean, version: number, rules: Array<{ id: string, status: TargetStatus, description: string, when: unknown }> } };

export type TargetRollupsQueryVariables = Exact<{
  municipality: string;
  fiscalYear: number;
  department?: string | null | undefined;
}>;


export type TargetRollupsQuery = { targetRollups: Array<{ fiscalYear: number, targetCount: number, onTrackShare: number | null, weightedProgressPercent: number | null, department: { code: string, name: string }, statusCounts: Array<{ status: TargetStatus, count: number }> }> };

export type PlanAsOfQueryVariables = Exact<{
  id: string | number;
  point: AsOfPoint;
}>;


export type PlanAsOfQuery = { planAsOf: { point: string, sequence: string, changedAt: string, plan: { id: string, mission: string | null, staffCount: number | null, budgetYen: number | null, policy: string | null, status: PublicationStatus, publishedAt: string | null, version: number }, initiatives: Array<{ initiative: { id: string, position: number, text: string, isAdministrativeReform: boolean, footnotes: Array<string>, citations: Array<string>, version: number }, evaluation: { evaluation: { id: string, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, decision: NextYearDecision | null, status: PublicationStatus, version: number } } | null }> } | null };

export type AsOfDiffQueryVariables = Exact<{
  id: string | number;
  from: AsOfPoint;
  to: AsOfPoint;
}>;


export type AsOfDiffQuery = { asOfDiff: { from: string, to: string, changes: Array<{ entityType: string, entityId: string, field: string, before: unknown, after: unknown }> } };

export type AddTargetMutationVariables = Exact<{
  input: AddTargetInput;
}>;


export type AddTargetMutation = { addTarget:
    | { __typename: 'AddTargetSuccess', target: { id: string, indicator: string, unit: string | null, direction: TargetDirection, baseline: number | null, targetValue: number | null, rangeMin: number | null, rangeMax: number | null, targetDate: string | null, weight: number, version: number, actuals: Array<{ id: string, period: string, measuredOn: string, value: number | null, reachedOn: string | null }>, status: { status: TargetStatus, reason: string, rule: { id: string, status: TargetStatus, description: string }, values: { baseline: number | null, targetValue: number | null, latestValue: number | null, latestReachedOn: string | null, latestPeriod: string | null, measuredOn: string | null, progressPercent: number | null, expectedPercent: number | null, gapPoints: number | null } } } }
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
   };

export type RecordTargetActualMutationVariables = Exact<{
  input: RecordTargetActualInput;
}>;


export type RecordTargetActualMutation = { recordTargetActual:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'RecordTargetActualSuccess', target: { id: string, indicator: string, unit: string | null, direction: TargetDirection, baseline: number | null, targetValue: number | null, rangeMin: number | null, rangeMax: number | null, targetDate: string | null, weight: number, version: number, actuals: Array<{ id: string, period: string, measuredOn: string, value: number | null, reachedOn: string | null }>, status: { status: TargetStatus, reason: string, rule: { id: string, status: TargetStatus, description: string }, values: { baseline: number | null, targetValue: number | null, latestValue: number | null, latestReachedOn: string | null, latestPeriod: string | null, measuredOn: string | null, progressPercent: number | null, expectedPercent: number | null, gapPoints: number | null } } } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
   };

export type SetStatusRulesMutationVariables = Exact<{
  input: SetStatusRulesInput;
}>;


export type SetStatusRulesMutation = { setStatusRules:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'SetStatusRulesSuccess', statusRules: { municipality: string, isDefault: boolean, version: number, rules: Array<{ id: string, status: TargetStatus, description: string, when: unknown }> } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
    | { __typename: 'VersionConflictError', entityType: string, expectedVersion: number, currentVersion: number, message: string }
   };

export type WatchPlansQueryVariables = Exact<{
  filter?: PlanFilter | null | undefined;
  page?: string | null | undefined;
}>;


export type WatchPlansQuery = { liveSnapshot: { cursor: string, query: { plans: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, version: number, status: PublicationStatus, mission: string | null, policy: string | null, staffCount: number | null, budgetYen: number | null, publishedAt: string | null, fiscalYear: { year: number }, department: { id: string, code: string, name: string } } }> } } } };

export type WatchInitiativesQueryVariables = Exact<{
  filter?: InitiativeFilter | null | undefined;
  page?: string | null | undefined;
}>;


export type WatchInitiativesQuery = { liveSnapshot: { cursor: string, query: { initiatives: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, version: number, position: number, text: string, isAdministrativeReform: boolean, footnotes: Array<string>, citations: Array<string>, plan: { id: string } } }> } } } };

export type WatchEvaluationsQueryVariables = Exact<{
  filter?: PlanFilter | null | undefined;
  page?: string | null | undefined;
}>;


export type WatchEvaluationsQuery = { liveSnapshot: { cursor: string, query: { evaluations: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, version: number, status: PublicationStatus, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, decision: NextYearDecision | null, initiative: { id: string } } }> } } } };

export type WebhookEndpointFieldsFragment = { id: string, url: string, description: string, events: Array<WebhookEventType>, eventKinds: Array<LiveEventKind>, audience: WebhookAudience, state: WebhookEndpointState, failingSince: string | null, disabledAt: string | null, disabledReason: string | null, previousSecretValidUntil: string | null, createdAt: string, filter: { municipality: string | null, department: string | null, fiscalYear: number | null, entity: string | null } };

export type WebhookDeliveryFieldsFragment = { id: string, kind: LiveEventKind, cursor: string, state: WebhookDeliveryState, attempts: number, nextAttemptAt: string | null, lastAttemptAt: string | null, responseStatus: number | null, latencyMs: number | null, error: string | null, deliveredAt: string | null, createdAt: string, redeliveryOf: string | null };

export type CreateWebhookEndpointMutationVariables = Exact<{
  input: CreateWebhookEndpointInput;
}>;


export type CreateWebhookEndpointMutation = { createWebhookEndpoint:
    | { __typename: 'CreateWebhookEndpointSuccess', webhook: { secret: string, endpoint: { id: string, url: string, description: string, events: Array<WebhookEventType>, eventKinds: Array<LiveEventKind>, audience: WebhookAudience, state: WebhookEndpointState, failingSince: string | null, disabledAt: string | null, disabledReason: string | null, previousSecretValidUntil: string | null, createdAt: string, filter: { municipality: string | null, department: string | null, fiscalYear: number | null, entity: string | null } } } }
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
   };

export type UpdateWebhookEndpointMutationVariables = Exact<{
  input: UpdateWebhookEndpointInput;
}>;


export type UpdateWebhookEndpointMutation = { updateWebhookEndpoint:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'UpdateWebhookEndpointSuccess', endpoint: { id: string, url: string, description: string, events: Array<WebhookEventType>, eventKinds: Array<LiveEventKind>, audience: WebhookAudience, state: WebhookEndpointState, failingSince: string | null, disabledAt: string | null, disabledReason: string | null, previousSecretValidUntil: string | null, createdAt: string, filter: { municipality: string | null, department: string | null, fiscalYear: number | null, entity: string | null } } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
   };

export type RotateWebhookSecretMutationVariables = Exact<{
  input: RotateWebhookSecretInput;
}>;


export type RotateWebhookSecretMutation = { rotateWebhookSecret:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'RotateWebhookSecretSuccess', webhook: { secret: string, endpoint: { id: string, url: string, description: string, events: Array<WebhookEventType>, eventKinds: Array<LiveEventKind>, audience: WebhookAudience, state: WebhookEndpointState, failingSince: string | null, disabledAt: string | null, disabledReason: string | null, previousSecretValidUntil: string | null, createdAt: string, filter: { municipality: string | null, department: string | null, fiscalYear: number | null, entity: string | null } } } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
   };

export type DeleteWebhookEndpointMutationVariables = Exact<{
  input: WebhookEndpointIdInput;
}>;


export type DeleteWebhookEndpointMutation = { deleteWebhookEndpoint:
    | { __typename: 'DeleteWebhookEndpointSuccess', endpoint: { id: string } }
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
   };

export type RedeliverWebhookMutationVariables = Exact<{
  input: RedeliverWebhookInput;
}>;


export type RedeliverWebhookMutation = { redeliverWebhook:
    | { __typename: 'ForbiddenError', message: string }
    | { __typename: 'NotFoundError', entityType: string, id: string, message: string }
    | { __typename: 'RedeliverWebhookSuccess', delivery: { id: string, kind: LiveEventKind, cursor: string, state: WebhookDeliveryState, attempts: number, nextAttemptAt: string | null, lastAttemptAt: string | null, responseStatus: number | null, latencyMs: number | null, error: string | null, deliveredAt: string | null, createdAt: string, redeliveryOf: string | null } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, code: string, message: string }> }
   };

export type WebhookEndpointsQueryVariables = Exact<{ [key: string]: never; }>;


export type WebhookEndpointsQuery = { webhookEndpoints: Array<{ id: string, url: string, description: string, events: Array<WebhookEventType>, eventKinds: Array<LiveEventKind>, audience: WebhookAudience, state: WebhookEndpointState, failingSince: string | null, disabledAt: string | null, disabledReason: string | null, previousSecretValidUntil: string | null, createdAt: string, filter: { municipality: string | null, department: string | null, fiscalYear: number | null, entity: string | null } }> };

export type WebhookDeliveriesQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  state?: WebhookDeliveryState | null | undefined;
}>;


export type WebhookDeliveriesQuery = { webhookEndpoint: { id: string, state: WebhookEndpointState, disabledReason: string | null, deliveries: Array<{ id: string, kind: LiveEventKind, cursor: string, state: WebhookDeliveryState, attempts: number, nextAttemptAt: string | null, lastAttemptAt: string | null, responseStatus: number | null, latencyMs: number | null, error: string | null, deliveredAt: string | null, createdAt: string, redeliveryOf: string | null }> } | null };

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
    | { __typename: 'AddInitiativeSuccess', initiative: { id: string, version: number, position: number, text: string, isAdministrativeReform: boolean, footnotes: Array<string>, citations: Array<string>, plan: { id: string, version: number }, evaluation: { id: string, rating: AchievementRating | null, progressPercent: number | null, summary: string | null, decision: NextYearDecision | null } | null } }
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
