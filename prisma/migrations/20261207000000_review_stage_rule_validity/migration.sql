-- AlterEnum
ALTER TYPE "Audience" ADD VALUE 'REVIEW';

-- An evaluation without a result yet (a staged one before its first completed stage) has no
-- summary: its search form is empty.
CREATE OR REPLACE FUNCTION hoshin_evaluation_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchText" := hoshin_search_form(coalesce(NEW.summary, ''));
  RETURN NEW;
END
$$;

-- DropIndex
DROP INDEX "StatusRuleSet_municipalityId_key";

-- AlterTable
ALTER TABLE "Evaluation" ADD COLUMN     "reviewStage" "EvaluationStageKind",
ALTER COLUMN "rating" DROP NOT NULL,
ALTER COLUMN "summary" DROP NOT NULL;

-- AlterTable
ALTER TABLE "StatusRuleSet" ADD COLUMN     "fromFiscalYear" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE UNIQUE INDEX "StatusRuleSet_municipalityId_fromFiscalYear_key" ON "StatusRuleSet"("municipalityId", "fromFiscalYear");

-- Backfill: a staged evaluation with no completed stage has no result yet (it used to show
-- its first stage's working values).
UPDATE "Evaluation" e SET "rating" = NULL, "summary" = NULL, "progressPercent" = NULL
WHERE EXISTS (SELECT 1 FROM "EvaluationStage" s WHERE s."evaluationId" = e.id)
  AND NOT EXISTS (SELECT 1 FROM "EvaluationStage" s WHERE s."evaluationId" = e.id AND s.state = 'COMPLETED');

-- Backfill: evaluations of municipalities on the default stages (自己評価, 一次, 二次 required,
-- then 外部評価 by the committee) whose three required stages are completed.
UPDATE "Evaluation" e SET "reviewStage" = 'EXTERNAL'
WHERE (SELECT count(*) FROM "EvaluationStage" s
       WHERE s."evaluationId" = e.id AND s.state = 'COMPLETED' AND s.kind IN ('SELF', 'FIRST', 'SECOND')) = 3
  AND NOT EXISTS (
    SELECT 1 FROM "EvaluationStageDefinition" d
    JOIN "Department" dep ON dep."municipalityId" = d."municipalityId"
    JOIN "DepartmentPlan" p ON p."departmentId" = dep.id
    JOIN "Initiative" i ON i."planId" = p.id
    WHERE i.id = e."initiativeId");
