-- Search over the whole country (issue 30): the plan's fiscal year and publication status,
-- copied onto each of its initiatives by the database, so that a search's candidates are
-- narrowed by year and visibility in the indexes (a bitmap AND of the trigram index and the
-- one below) before any row is read, instead of reading every candidate of every year and
-- joining it to its plan. The application never writes these columns; the plan stays the one
-- source of both facts (visibility.policy.ts reads the copy as the plan's status).
-- AlterTable
ALTER TABLE "Initiative" ADD COLUMN     "planFiscalYear" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "planStatus" "PublicationStatus" NOT NULL DEFAULT 'DRAFT';

-- On every insert and update of an initiative (a move to another plan included): its plan's.
CREATE FUNCTION hoshin_initiative_plan_copy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT "fiscalYear", status INTO NEW."planFiscalYear", NEW."planStatus"
    FROM "DepartmentPlan" WHERE id = NEW."planId";
  RETURN NEW;
END $$;

-- When a plan is published, withdrawn or moved to another year: to each of its initiatives.
CREATE FUNCTION hoshin_plan_copy_to_initiatives() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Initiative" SET "planFiscalYear" = NEW."fiscalYear", "planStatus" = NEW.status
    WHERE "planId" = NEW.id
      AND ("planFiscalYear", "planStatus") IS DISTINCT FROM (NEW."fiscalYear", NEW.status);
  RETURN NULL;
END $$;

CREATE TRIGGER "Initiative_planCopy" BEFORE INSERT OR UPDATE ON "Initiative"
  FOR EACH ROW EXECUTE FUNCTION hoshin_initiative_plan_copy();
CREATE TRIGGER "DepartmentPlan_copyToInitiatives" AFTER UPDATE OF "fiscalYear", status ON "DepartmentPlan"
  FOR EACH ROW WHEN ((OLD."fiscalYear", OLD.status) IS DISTINCT FROM (NEW."fiscalYear", NEW.status))
  EXECUTE FUNCTION hoshin_plan_copy_to_initiatives();
-- Also when data is loaded with session_replication_role = replica (bench/data, restores).
ALTER TABLE "Initiative" ENABLE ALWAYS TRIGGER "Initiative_planCopy";
ALTER TABLE "DepartmentPlan" ENABLE ALWAYS TRIGGER "DepartmentPlan_copyToInitiatives";

-- Initiatives written before this migration.
UPDATE "Initiative" i SET "planFiscalYear" = p."fiscalYear", "planStatus" = p.status
  FROM "DepartmentPlan" p WHERE p.id = i."planId";

-- CreateIndex
CREATE INDEX "Initiative_planFiscalYear_planStatus_idx" ON "Initiative"("planFiscalYear", "planStatus");
