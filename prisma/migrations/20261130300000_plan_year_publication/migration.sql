-- CreateTable
CREATE TABLE "PlanYear" (
    "id" SERIAL NOT NULL,
    "municipalityId" INTEGER NOT NULL,
    "fiscalYear" INTEGER NOT NULL,
    "fullTextMedia" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "fullTextUrl" TEXT,
    "bookletDistributedAt" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "bookletReadableAt" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "evaluationReportsOnFiscalYear" INTEGER,
    "evaluationWhitePaperTitle" TEXT,
    "evaluationPublication" VARCHAR(10),
    "evaluationMedia" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PlanYear_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PlanYear_municipalityId_fiscalYear_key" ON "PlanYear"("municipalityId", "fiscalYear");

-- AddForeignKey
ALTER TABLE "PlanYear" ADD CONSTRAINT "PlanYear_municipalityId_fkey" FOREIGN KEY ("municipalityId") REFERENCES "Municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Written by hand: what Prisma cannot express.
ALTER TABLE "PlanYear" ADD CONSTRAINT "PlanYear_fiscalYear_range" CHECK ("fiscalYear" BETWEEN 1886 AND 2100);
ALTER TABLE "PlanYear" ADD CONSTRAINT "PlanYear_evaluationReportsOnFiscalYear_range" CHECK ("evaluationReportsOnFiscalYear" IS NULL OR "evaluationReportsOnFiscalYear" BETWEEN 1886 AND 2100);
ALTER TABLE "PlanYear" ADD CONSTRAINT "PlanYear_evaluationPublication_format" CHECK ("evaluationPublication" IS NULL OR "evaluationPublication" ~ '^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$');
