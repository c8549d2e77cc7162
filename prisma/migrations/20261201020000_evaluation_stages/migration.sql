-- CreateEnum
CREATE TYPE "EvaluationStageKind" AS ENUM ('SELF', 'FIRST', 'SECOND', 'EXTERNAL');

-- CreateEnum
CREATE TYPE "EvaluationStageState" AS ENUM ('OPEN', 'COMPLETED');

-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'REVIEWER';

-- AlterTable
ALTER TABLE "WhitePaper" ADD COLUMN     "publishedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "EvaluationStageDefinition" (
    "id" SERIAL NOT NULL,
    "municipalityId" INTEGER NOT NULL,
    "kind" "EvaluationStageKind" NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "required" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "EvaluationStageDefinition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvaluationStage" (
    "id" SERIAL NOT NULL,
    "evaluationId" INTEGER NOT NULL,
    "kind" "EvaluationStageKind" NOT NULL,
    "rating" "AchievementRating",
    "progressPercent" INTEGER,
    "summary" TEXT,
    "state" "EvaluationStageState" NOT NULL DEFAULT 'OPEN',
    "reviewer" TEXT,
    "completedAt" TIMESTAMPTZ(3),
    "returnReason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "EvaluationStage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "EvaluationStageDefinition_municipalityId_kind_key" ON "EvaluationStageDefinition"("municipalityId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "EvaluationStage_evaluationId_kind_key" ON "EvaluationStage"("evaluationId", "kind");

-- AddForeignKey
ALTER TABLE "EvaluationStageDefinition" ADD CONSTRAINT "EvaluationStageDefinition_municipalityId_fkey" FOREIGN KEY ("municipalityId") REFERENCES "Municipality"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvaluationStage" ADD CONSTRAINT "EvaluationStage_evaluationId_fkey" FOREIGN KEY ("evaluationId") REFERENCES "Evaluation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
