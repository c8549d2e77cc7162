-- CreateEnum
CREATE TYPE "TargetDirection" AS ENUM ('AT_LEAST', 'AT_MOST', 'WITHIN_RANGE', 'MILESTONE');

-- CreateTable
CREATE TABLE "Target" (
    "id" SERIAL NOT NULL,
    "initiativeId" INTEGER NOT NULL,
    "indicator" TEXT NOT NULL,
    "unit" TEXT,
    "direction" "TargetDirection" NOT NULL,
    "baseline" DOUBLE PRECISION,
    "targetValue" DOUBLE PRECISION,
    "rangeMin" DOUBLE PRECISION,
    "rangeMax" DOUBLE PRECISION,
    "targetDate" VARCHAR(10),
    "weight" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Target_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TargetActual" (
    "id" SERIAL NOT NULL,
    "targetId" INTEGER NOT NULL,
    "period" TEXT NOT NULL,
    "measuredOn" VARCHAR(10) NOT NULL,
    "value" DOUBLE PRECISION,
    "reachedOn" VARCHAR(10),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TargetActual_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StatusRuleSet" (
    "id" SERIAL NOT NULL,
    "municipalityId" INTEGER NOT NULL,
    "rules" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "StatusRuleSet_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Target_initiativeId_idx" ON "Target"("initiativeId");

-- CreateIndex
CREATE UNIQUE INDEX "TargetActual_targetId_measuredOn_key" ON "TargetActual"("targetId", "measuredOn");

-- CreateIndex
CREATE UNIQUE INDEX "StatusRuleSet_municipalityId_key" ON "StatusRuleSet"("municipalityId");

-- AddForeignKey
ALTER TABLE "Target" ADD CONSTRAINT "Target_initiativeId_fkey" FOREIGN KEY ("initiativeId") REFERENCES "Initiative"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TargetActual" ADD CONSTRAINT "TargetActual_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "Target"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatusRuleSet" ADD CONSTRAINT "StatusRuleSet_municipalityId_fkey" FOREIGN KEY ("municipalityId") REFERENCES "Municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- What Prisma cannot express: weights are positive, ranges ordered.
ALTER TABLE "Target" ADD CONSTRAINT "Target_weight_positive" CHECK ("weight" > 0);
ALTER TABLE "Target" ADD CONSTRAINT "Target_range_ordered" CHECK ("rangeMin" IS NULL OR "rangeMax" IS NULL OR "rangeMin" <= "rangeMax");
