-- CreateEnum
CREATE TYPE "ReportingKind" AS ENUM ('SELF', 'FIRST', 'SECOND', 'EXTERNAL', 'ACTUALS');

-- CreateEnum
CREATE TYPE "ReminderPhase" AS ENUM ('APPROACHING', 'PASSED');

-- CreateTable
CREATE TABLE "ReportingDeadline" (
    "id" SERIAL NOT NULL,
    "municipalityId" INTEGER NOT NULL,
    "fiscalYear" INTEGER NOT NULL,
    "kind" "ReportingKind" NOT NULL,
    "dueOn" VARCHAR(10) NOT NULL,
    "remindDaysBefore" INTEGER NOT NULL DEFAULT 7,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ReportingDeadline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportingReminder" (
    "id" SERIAL NOT NULL,
    "deadlineId" INTEGER NOT NULL,
    "departmentId" INTEGER NOT NULL,
    "phase" "ReminderPhase" NOT NULL,
    "dueOn" VARCHAR(10) NOT NULL,
    "pendingCount" INTEGER NOT NULL,
    "sentAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportingReminder_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReportingDeadline_municipalityId_fiscalYear_kind_key" ON "ReportingDeadline"("municipalityId", "fiscalYear", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "ReportingReminder_deadlineId_departmentId_phase_dueOn_key" ON "ReportingReminder"("deadlineId", "departmentId", "phase", "dueOn");

-- AddForeignKey
ALTER TABLE "ReportingDeadline" ADD CONSTRAINT "ReportingDeadline_municipalityId_fkey" FOREIGN KEY ("municipalityId") REFERENCES "Municipality"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportingReminder" ADD CONSTRAINT "ReportingReminder_deadlineId_fkey" FOREIGN KEY ("deadlineId") REFERENCES "ReportingDeadline"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Checks Prisma cannot express: a calendar day, and a reminder window of up to a year.
ALTER TABLE "ReportingDeadline" ADD CONSTRAINT "ReportingDeadline_dueOn_check"
  CHECK ("dueOn" ~ '^\d{4}-\d{2}-\d{2}$');
ALTER TABLE "ReportingDeadline" ADD CONSTRAINT "ReportingDeadline_remindDaysBefore_check"
  CHECK ("remindDaysBefore" BETWEEN 0 AND 366);
