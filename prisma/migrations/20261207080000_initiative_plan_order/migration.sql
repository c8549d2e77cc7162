-- Search over the whole country (issue 30): the first page of a searched list in PLAN_ORDER
-- (fiscal year newest first, department display order, plan, position) read in the order of an
-- index, stopping at the page's last match, instead of reading, joining and sorting every match.
-- The plan's departmentOrder (itself the department's displayOrder, copied by
-- 20261201030000_plan_department_order) is copied onto each initiative beside its fiscal year and
-- status, by the same triggers; the application never writes it.
-- AlterTable
ALTER TABLE "Initiative" ADD COLUMN     "planDepartmentOrder" INTEGER NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION hoshin_initiative_plan_copy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT "fiscalYear", status, "departmentOrder"
    INTO NEW."planFiscalYear", NEW."planStatus", NEW."planDepartmentOrder"
    FROM "DepartmentPlan" WHERE id = NEW."planId";
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION hoshin_plan_copy_to_initiatives() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Initiative"
    SET "planFiscalYear" = NEW."fiscalYear", "planStatus" = NEW.status,
        "planDepartmentOrder" = NEW."departmentOrder"
    WHERE "planId" = NEW.id
      AND ("planFiscalYear", "planStatus", "planDepartmentOrder")
        IS DISTINCT FROM (NEW."fiscalYear", NEW.status, NEW."departmentOrder");
  RETURN NULL;
END $$;

-- Also when the department's display order reaches the plan (DepartmentPlan_departmentOrder).
DROP TRIGGER "DepartmentPlan_copyToInitiatives" ON "DepartmentPlan";
CREATE TRIGGER "DepartmentPlan_copyToInitiatives" AFTER UPDATE OF "fiscalYear", status, "departmentOrder" ON "DepartmentPlan"
  FOR EACH ROW WHEN ((OLD."fiscalYear", OLD.status, OLD."departmentOrder") IS DISTINCT FROM (NEW."fiscalYear", NEW.status, NEW."departmentOrder"))
  EXECUTE FUNCTION hoshin_plan_copy_to_initiatives();
ALTER TABLE "DepartmentPlan" ENABLE ALWAYS TRIGGER "DepartmentPlan_copyToInitiatives";

-- Initiatives written before this migration.
UPDATE "Initiative" i SET "planDepartmentOrder" = p."departmentOrder"
  FROM "DepartmentPlan" p WHERE p.id = i."planId" AND i."planDepartmentOrder" <> p."departmentOrder";

-- The status first: the public reads only published plans, and a year of drafts (the newest,
-- typically) would otherwise be read through before the first published match.
-- CreateIndex
CREATE INDEX "Initiative_planStatus_planFiscalYear_planDepartmentOrder_pl_idx" ON "Initiative"("planStatus", "planFiscalYear" DESC, "planDepartmentOrder", "planId", "position");
