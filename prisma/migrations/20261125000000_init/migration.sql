-- CreateEnum
CREATE TYPE "PublicationStatus" AS ENUM ('DRAFT', 'PUBLISHED');

-- CreateEnum
CREATE TYPE "AchievementRating" AS ENUM ('ACHIEVED', 'MOSTLY_ACHIEVED', 'PARTIALLY_ACHIEVED', 'NOT_ACHIEVED');

-- CreateEnum
CREATE TYPE "NextYearDecision" AS ENUM ('CONTINUE', 'EXPAND', 'REDUCE', 'ABOLISH', 'COMPLETE');

-- CreateEnum
CREATE TYPE "FeedbackStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "ChangeAction" AS ENUM ('CREATE', 'UPDATE', 'DELETE');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'PLANNING', 'EDITOR');

-- CreateTable
CREATE TABLE "Municipality" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(6) NOT NULL,
    "name" TEXT NOT NULL,
    "prefecture" TEXT NOT NULL,
    "contactSection" TEXT,
    "contactExtension" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Municipality_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Department" (
    "id" SERIAL NOT NULL,
    "municipalityId" INTEGER NOT NULL,
    "code" VARCHAR(64) NOT NULL,
    "name" TEXT NOT NULL,
    "nameEn" TEXT,
    "displayOrder" INTEGER NOT NULL,
    "establishedIn" INTEGER,
    "abolishedAfter" INTEGER,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Department_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DepartmentPlan" (
    "id" SERIAL NOT NULL,
    "departmentId" INTEGER NOT NULL,
    "fiscalYear" INTEGER NOT NULL,
    "mission" TEXT,
    "staffCount" INTEGER,
    "budgetYen" BIGINT,
    "policy" TEXT,
    "status" "PublicationStatus" NOT NULL DEFAULT 'DRAFT',
    "publishedAt" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DepartmentPlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Initiative" (
    "id" SERIAL NOT NULL,
    "planId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "isAdministrativeReform" BOOLEAN NOT NULL DEFAULT false,
    "footnotes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "citations" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Initiative_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Evaluation" (
    "id" SERIAL NOT NULL,
    "initiativeId" INTEGER NOT NULL,
    "rating" "AchievementRating" NOT NULL,
    "progressPercent" INTEGER,
    "summary" TEXT NOT NULL,
    "decision" "NextYearDecision",
    "nextInitiativeId" INTEGER,
    "whitePaperId" INTEGER,
    "status" "PublicationStatus" NOT NULL DEFAULT 'DRAFT',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WhitePaper" (
    "id" SERIAL NOT NULL,
    "municipalityId" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "publicationDate" VARCHAR(10) NOT NULL,
    "reportsOnFiscalYear" INTEGER NOT NULL,
    "url" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WhitePaper_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Feedback" (
    "id" SERIAL NOT NULL,
    "planId" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "contactEmail" TEXT,
    "status" "FeedbackStatus" NOT NULL DEFAULT 'PENDING',
    "moderatedAt" TIMESTAMPTZ(3),
    "moderatedBy" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChangeRecord" (
    "id" BIGSERIAL NOT NULL,
    "municipalityId" INTEGER NOT NULL,
    "entityType" VARCHAR(64) NOT NULL,
    "entityId" INTEGER NOT NULL,
    "departmentId" INTEGER,
    "fiscalYear" INTEGER,
    "action" "ChangeAction" NOT NULL,
    "actor" TEXT NOT NULL,
    "changes" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChangeRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" SERIAL NOT NULL,
    "prefix" VARCHAR(16) NOT NULL,
    "secretHash" VARCHAR(64) NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "municipalityId" INTEGER,
    "departmentId" INTEGER,
    "expiresAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "lastUsedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Municipality_code_key" ON "Municipality"("code");

-- CreateIndex
CREATE INDEX "Department_municipalityId_displayOrder_idx" ON "Department"("municipalityId", "displayOrder");

-- CreateIndex
CREATE UNIQUE INDEX "Department_municipalityId_code_key" ON "Department"("municipalityId", "code");

-- CreateIndex
CREATE INDEX "DepartmentPlan_fiscalYear_status_idx" ON "DepartmentPlan"("fiscalYear", "status");

-- CreateIndex
CREATE UNIQUE INDEX "DepartmentPlan_departmentId_fiscalYear_key" ON "DepartmentPlan"("departmentId", "fiscalYear");

-- CreateIndex
CREATE INDEX "Initiative_isAdministrativeReform_idx" ON "Initiative"("isAdministrativeReform");

-- CreateIndex
CREATE UNIQUE INDEX "Initiative_planId_position_key" ON "Initiative"("planId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Evaluation_initiativeId_key" ON "Evaluation"("initiativeId");

-- CreateIndex
CREATE INDEX "Evaluation_nextInitiativeId_idx" ON "Evaluation"("nextInitiativeId");

-- CreateIndex
CREATE INDEX "Evaluation_whitePaperId_idx" ON "Evaluation"("whitePaperId");

-- CreateIndex
CREATE UNIQUE INDEX "WhitePaper_municipalityId_reportsOnFiscalYear_key" ON "WhitePaper"("municipalityId", "reportsOnFiscalYear");

-- CreateIndex
CREATE INDEX "Feedback_planId_status_idx" ON "Feedback"("planId", "status");

-- CreateIndex
CREATE INDEX "ChangeRecord_entityType_entityId_id_idx" ON "ChangeRecord"("entityType", "entityId", "id");

-- CreateIndex
CREATE INDEX "ChangeRecord_municipalityId_id_idx" ON "ChangeRecord"("municipalityId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_prefix_key" ON "ApiToken"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_secretHash_key" ON "ApiToken"("secretHash");

-- AddForeignKey
ALTER TABLE "Department" ADD CONSTRAINT "Department_municipalityId_fkey" FOREIGN KEY ("municipalityId") REFERENCES "Municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DepartmentPlan" ADD CONSTRAINT "DepartmentPlan_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Initiative" ADD CONSTRAINT "Initiative_planId_fkey" FOREIGN KEY ("planId") REFERENCES "DepartmentPlan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evaluation" ADD CONSTRAINT "Evaluation_initiativeId_fkey" FOREIGN KEY ("initiativeId") REFERENCES "Initiative"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evaluation" ADD CONSTRAINT "Evaluation_nextInitiativeId_fkey" FOREIGN KEY ("nextInitiativeId") REFERENCES "Initiative"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evaluation" ADD CONSTRAINT "Evaluation_whitePaperId_fkey" FOREIGN KEY ("whitePaperId") REFERENCES "WhitePaper"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WhitePaper" ADD CONSTRAINT "WhitePaper_municipalityId_fkey" FOREIGN KEY ("municipalityId") REFERENCES "Municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_planId_fkey" FOREIGN KEY ("planId") REFERENCES "DepartmentPlan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChangeRecord" ADD CONSTRAINT "ChangeRecord_municipalityId_fkey" FOREIGN KEY ("municipalityId") REFERENCES "Municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_municipalityId_fkey" FOREIGN KEY ("municipalityId") REFERENCES "Municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Constraints Prisma's schema language cannot express. They keep the data true whatever
-- writes it (the API, a seed, a hand-run SQL statement).
ALTER TABLE "Municipality" ADD CONSTRAINT "Municipality_code_format" CHECK ("code" ~ '^[0-9]{6}$');
ALTER TABLE "Department" ADD CONSTRAINT "Department_code_format" CHECK ("code" ~ '^[a-z][a-z0-9-]*$');
ALTER TABLE "Department" ADD CONSTRAINT "Department_years_ordered" CHECK ("establishedIn" IS NULL OR "abolishedAfter" IS NULL OR "establishedIn" <= "abolishedAfter");
ALTER TABLE "DepartmentPlan" ADD CONSTRAINT "DepartmentPlan_fiscalYear_range" CHECK ("fiscalYear" BETWEEN 1886 AND 2100);
ALTER TABLE "DepartmentPlan" ADD CONSTRAINT "DepartmentPlan_staffCount_nonnegative" CHECK ("staffCount" IS NULL OR "staffCount" >= 0);
ALTER TABLE "DepartmentPlan" ADD CONSTRAINT "DepartmentPlan_budgetYen_nonnegative" CHECK ("budgetYen" IS NULL OR "budgetYen" >= 0);
ALTER TABLE "Initiative" ADD CONSTRAINT "Initiative_position_positive" CHECK ("position" >= 1);
ALTER TABLE "Evaluation" ADD CONSTRAINT "Evaluation_progressPercent_range" CHECK ("progressPercent" IS NULL OR "progressPercent" BETWEEN 0 AND 100);
ALTER TABLE "WhitePaper" ADD CONSTRAINT "WhitePaper_publicationDate_format" CHECK ("publicationDate" ~ '^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$');
ALTER TABLE "WhitePaper" ADD CONSTRAINT "WhitePaper_reportsOnFiscalYear_range" CHECK ("reportsOnFiscalYear" BETWEEN 1886 AND 2100);
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_scope" CHECK (("role" = 'ADMIN' OR "municipalityId" IS NOT NULL) AND ("role" <> 'EDITOR' OR "departmentId" IS NOT NULL));
