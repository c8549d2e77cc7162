
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "AddInitiativeResult": [
      "AddInitiativeSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "AddTargetResult": [
      "AddTargetSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "AnswerFeedbackResult": [
      "AnswerFeedbackSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError",
      "VersionConflictError"
    ],
    "ApproveFeedbackResult": [
      "ApproveFeedbackSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "CompleteEvaluationStageResult": [
      "CompleteEvaluationStageSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError",
      "VersionConflictError"
    ],
    "CreateDepartmentResult": [
      "CreateDepartmentSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "CreateMunicipalityResult": [
      "CreateMunicipalitySuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "CreatePlanResult": [
      "CreatePlanSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "CreateWebhookEndpointResult": [
      "CreateWebhookEndpointSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "CreateWhitePaperResult": [
      "CreateWhitePaperSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "DeleteDepartmentResult": [
      "DeleteDepartmentSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError",
      "VersionConflictError"
    ],
    "DeleteEvaluationResult": [
      "DeleteEvaluationSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError",
      "VersionConflictError"
    ],
    "DeleteFeedbackAnswerResult": [
      "DeleteFeedbackAnswerSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError",
      "VersionConflictError"
    ],
    "DeleteFeedbackResult": [
      "DeleteFeedbackSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "DeleteMunicipalityResult": [
      "DeleteMunicipalitySuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError",
      "VersionConflictError"
    ],
    "DeletePlanResult": [
      "DeletePlanSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError",
      "VersionConflictError"
    ],
    "DeleteWebhookEndpointResult": [
      "DeleteWebhookEndpointSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "DeleteWhitePaperResult": [
      "DeleteWhitePaperSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError",
      "VersionConflictError"
    ],
    "Error": [
      "ForbiddenError",
      "NotFoundError",
      "RateLimitedError",
      "ValidationError",
      "VersionConflictError"
    ],
    "ImportFileResult": [
      "ForbiddenError",
      "ImportFileSuccess",
      "NotFoundError",
      "ValidationError"
    ],
    "Node": [
      "Department",
      "DepartmentPlan",
      "Evaluation",
      "Feedback",
      "FeedbackAnswer",
      "Initiative",
      "Municipality",
      "Target",
      "TargetActual",
      "WhitePaper"
    ],
    "PublishEvaluationResult": [
      "ForbiddenError",
      "NotFoundError",
      "PublishEvaluationSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "PublishFeedbackAnswerResult": [
      "ForbiddenError",
      "NotFoundError",
      "PublishFeedbackAnswerSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "PublishPlanResult": [
      "ForbiddenError",
      "NotFoundError",
      "PublishPlanSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "PublishWhitePaperResult": [
      "ForbiddenError",
      "NotFoundError",
      "PublishWhitePaperSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "RecordEvaluationResult": [
      "ForbiddenError",
      "NotFoundError",
      "RecordEvaluationSuccess",
      "ValidationError"
    ],
    "RecordEvaluationStageResult": [
      "ForbiddenError",
      "NotFoundError",
      "RecordEvaluationStageSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "RecordReorganisationResult": [
      "ForbiddenError",
      "NotFoundError",
      "RecordReorganisationSuccess",
      "ValidationError"
    ],
    "RecordTargetActualResult": [
      "ForbiddenError",
      "NotFoundError",
      "RecordTargetActualSuccess",
      "ValidationError"
    ],
    "RedeliverWebhookResult": [
      "ForbiddenError",
      "NotFoundError",
      "RedeliverWebhookSuccess",
      "ValidationError"
    ],
    "RejectFeedbackResult": [
      "ForbiddenError",
      "NotFoundError",
      "RejectFeedbackSuccess",
      "ValidationError"
    ],
    "RemoveInitiativeResult": [
      "ForbiddenError",
      "NotFoundError",
      "RemoveInitiativeSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "RemoveTargetActualResult": [
      "ForbiddenError",
      "NotFoundError",
      "RemoveTargetActualSuccess",
      "ValidationError"
    ],
    "RemoveTargetResult": [
      "ForbiddenError",
      "NotFoundError",
      "RemoveTargetSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "ReorderInitiativesResult": [
      "ForbiddenError",
      "NotFoundError",
      "ReorderInitiativesSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "ReturnEvaluationStageResult": [
      "ForbiddenError",
      "NotFoundError",
      "ReturnEvaluationStageSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "RotateWebhookSecretResult": [
      "ForbiddenError",
      "NotFoundError",
      "RotateWebhookSecretSuccess",
      "ValidationError"
    ],
    "SetEvaluationStagesResult": [
      "ForbiddenError",
      "NotFoundError",
      "SetEvaluationStagesSuccess",
      "ValidationError"
    ],
    "SetReportingCalendarResult": [
      "ForbiddenError",
      "NotFoundError",
      "SetReportingCalendarSuccess",
      "ValidationError"
    ],
    "SetStatusRulesResult": [
      "ForbiddenError",
      "NotFoundError",
      "SetStatusRulesSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "SubmitFeedbackResult": [
      "ForbiddenError",
      "NotFoundError",
      "RateLimitedError",
      "SubmitFeedbackSuccess",
      "ValidationError"
    ],
    "UnpublishEvaluationResult": [
      "ForbiddenError",
      "NotFoundError",
      "UnpublishEvaluationSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UnpublishFeedbackAnswerResult": [
      "ForbiddenError",
      "NotFoundError",
      "UnpublishFeedbackAnswerSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UnpublishPlanResult": [
      "ForbiddenError",
      "NotFoundError",
      "UnpublishPlanSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UnpublishWhitePaperResult": [
      "ForbiddenError",
      "NotFoundError",
      "UnpublishWhitePaperSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UpdateDepartmentResult": [
      "ForbiddenError",
      "NotFoundError",
      "UpdateDepartmentSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UpdateEvaluationResult": [
      "ForbiddenError",
      "NotFoundError",
      "UpdateEvaluationSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UpdateInitiativeResult": [
      "ForbiddenError",
      "NotFoundError",
      "UpdateInitiativeSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UpdateMunicipalityResult": [
      "ForbiddenError",
      "NotFoundError",
      "UpdateMunicipalitySuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UpdatePlanResult": [
      "ForbiddenError",
      "NotFoundError",
      "UpdatePlanSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UpdateTargetResult": [
      "ForbiddenError",
      "NotFoundError",
      "UpdateTargetSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UpdateWebhookEndpointResult": [
      "ForbiddenError",
      "NotFoundError",
      "UpdateWebhookEndpointSuccess",
      "ValidationError"
    ],
    "UpdateWhitePaperResult": [
      "ForbiddenError",
      "NotFoundError",
      "UpdateWhitePaperSuccess",
      "ValidationError",
      "VersionConflictError"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "AddInitiativeResult": [
      "AddInitiativeSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "AddTargetResult": [
      "AddTargetSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "AnswerFeedbackResult": [
      "AnswerFeedbackSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError",
      "VersionConflictError"
    ],
    "ApproveFeedbackResult": [
      "ApproveFeedbackSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "CompleteEvaluationStageResult": [
      "CompleteEvaluationStageSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError",
      "VersionConflictError"
    ],
    "CreateDepartmentResult": [
      "CreateDepartmentSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "CreateMunicipalityResult": [
      "CreateMunicipalitySuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "CreatePlanResult": [
      "CreatePlanSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "CreateWebhookEndpointResult": [
      "CreateWebhookEndpointSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "CreateWhitePaperResult": [
      "CreateWhitePaperSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "DeleteDepartmentResult": [
      "DeleteDepartmentSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError",
      "VersionConflictError"
    ],
    "DeleteEvaluationResult": [
      "DeleteEvaluationSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError",
      "VersionConflictError"
    ],
    "DeleteFeedbackAnswerResult": [
      "DeleteFeedbackAnswerSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError",
      "VersionConflictError"
    ],
    "DeleteFeedbackResult": [
      "DeleteFeedbackSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "DeleteMunicipalityResult": [
      "DeleteMunicipalitySuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError",
      "VersionConflictError"
    ],
    "DeletePlanResult": [
      "DeletePlanSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError",
      "VersionConflictError"
    ],
    "DeleteWebhookEndpointResult": [
      "DeleteWebhookEndpointSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError"
    ],
    "DeleteWhitePaperResult": [
      "DeleteWhitePaperSuccess",
      "ForbiddenError",
      "NotFoundError",
      "ValidationError",
      "VersionConflictError"
    ],
    "Error": [
      "ForbiddenError",
      "NotFoundError",
      "RateLimitedError",
      "ValidationError",
      "VersionConflictError"
    ],
    "ImportFileResult": [
      "ForbiddenError",
      "ImportFileSuccess",
      "NotFoundError",
      "ValidationError"
    ],
    "Node": [
      "Department",
      "DepartmentPlan",
      "Evaluation",
      "Feedback",
      "FeedbackAnswer",
      "Initiative",
      "Municipality",
      "Target",
      "TargetActual",
      "WhitePaper"
    ],
    "PublishEvaluationResult": [
      "ForbiddenError",
      "NotFoundError",
      "PublishEvaluationSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "PublishFeedbackAnswerResult": [
      "ForbiddenError",
      "NotFoundError",
      "PublishFeedbackAnswerSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "PublishPlanResult": [
      "ForbiddenError",
      "NotFoundError",
      "PublishPlanSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "PublishWhitePaperResult": [
      "ForbiddenError",
      "NotFoundError",
      "PublishWhitePaperSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "RecordEvaluationResult": [
      "ForbiddenError",
      "NotFoundError",
      "RecordEvaluationSuccess",
      "ValidationError"
    ],
    "RecordEvaluationStageResult": [
      "ForbiddenError",
      "NotFoundError",
      "RecordEvaluationStageSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "RecordReorganisationResult": [
      "ForbiddenError",
      "NotFoundError",
      "RecordReorganisationSuccess",
      "ValidationError"
    ],
    "RecordTargetActualResult": [
      "ForbiddenError",
      "NotFoundError",
      "RecordTargetActualSuccess",
      "ValidationError"
    ],
    "RedeliverWebhookResult": [
      "ForbiddenError",
      "NotFoundError",
      "RedeliverWebhookSuccess",
      "ValidationError"
    ],
    "RejectFeedbackResult": [
      "ForbiddenError",
      "NotFoundError",
      "RejectFeedbackSuccess",
      "ValidationError"
    ],
    "RemoveInitiativeResult": [
      "ForbiddenError",
      "NotFoundError",
      "RemoveInitiativeSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "RemoveTargetActualResult": [
      "ForbiddenError",
      "NotFoundError",
      "RemoveTargetActualSuccess",
      "ValidationError"
    ],
    "RemoveTargetResult": [
      "ForbiddenError",
      "NotFoundError",
      "RemoveTargetSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "ReorderInitiativesResult": [
      "ForbiddenError",
      "NotFoundError",
      "ReorderInitiativesSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "ReturnEvaluationStageResult": [
      "ForbiddenError",
      "NotFoundError",
      "ReturnEvaluationStageSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "RotateWebhookSecretResult": [
      "ForbiddenError",
      "NotFoundError",
      "RotateWebhookSecretSuccess",
      "ValidationError"
    ],
    "SetEvaluationStagesResult": [
      "ForbiddenError",
      "NotFoundError",
      "SetEvaluationStagesSuccess",
      "ValidationError"
    ],
    "SetReportingCalendarResult": [
      "ForbiddenError",
      "NotFoundError",
      "SetReportingCalendarSuccess",
      "ValidationError"
    ],
    "SetStatusRulesResult": [
      "ForbiddenError",
      "NotFoundError",
      "SetStatusRulesSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "SubmitFeedbackResult": [
      "ForbiddenError",
      "NotFoundError",
      "RateLimitedError",
      "SubmitFeedbackSuccess",
      "ValidationError"
    ],
    "UnpublishEvaluationResult": [
      "ForbiddenError",
      "NotFoundError",
      "UnpublishEvaluationSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UnpublishFeedbackAnswerResult": [
      "ForbiddenError",
      "NotFoundError",
      "UnpublishFeedbackAnswerSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UnpublishPlanResult": [
      "ForbiddenError",
      "NotFoundError",
      "UnpublishPlanSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UnpublishWhitePaperResult": [
      "ForbiddenError",
      "NotFoundError",
      "UnpublishWhitePaperSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UpdateDepartmentResult": [
      "ForbiddenError",
      "NotFoundError",
      "UpdateDepartmentSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UpdateEvaluationResult": [
      "ForbiddenError",
      "NotFoundError",
      "UpdateEvaluationSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UpdateInitiativeResult": [
      "ForbiddenError",
      "NotFoundError",
      "UpdateInitiativeSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UpdateMunicipalityResult": [
      "ForbiddenError",
      "NotFoundError",
      "UpdateMunicipalitySuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UpdatePlanResult": [
      "ForbiddenError",
      "NotFoundError",
      "UpdatePlanSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UpdateTargetResult": [
      "ForbiddenError",
      "NotFoundError",
      "UpdateTargetSuccess",
      "ValidationError",
      "VersionConflictError"
    ],
    "UpdateWebhookEndpointResult": [
      "ForbiddenError",
      "NotFoundError",
      "UpdateWebhookEndpointSuccess",
      "ValidationError"
    ],
    "UpdateWhitePaperResult": [
      "ForbiddenError",
      "NotFoundError",
      "UpdateWhitePaperSuccess",
      "ValidationError",
      "VersionConflictError"
    ]
  }
};
      export default result;
    