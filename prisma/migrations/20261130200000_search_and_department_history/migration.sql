-- Search that matches what people type (issue 15): each searchable row keeps its text in one
-- normalised form, and queries are normalised the same way (packages/server/src/modules/search/
-- normalize.ts, which a test holds equal to this function). Stored text is never altered.
--   NFKC: full-width digits and Latin, half-width katakana, ㍻ and the like to their usual form,
--   katakana to hiragana (ァ..ヶ, ヽ, ヾ, ヷ..ヺ have no hiragana and stay),
--   lower case for ASCII only: lower() under the "C" collation, the same on every server locale.
-- pg_trgm GIN indexes serve substring LIKE on the normalised columns (Japanese characters are
-- word characters to pg_trgm in a UTF-8 database, PGlite loads the same extension).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION hoshin_search_form(input text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT lower(translate(normalize(input, NFKC),
    'ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶヽヾ',
    'ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゕゖゝゞ') COLLATE "C")
$$;

-- Fields are joined by a line break: a query word never contains one, so no match spans two.
CREATE FUNCTION hoshin_plan_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchText" := hoshin_search_form(concat_ws(E'\n', NEW.mission, NEW.policy));
  RETURN NEW;
END
$$;

CREATE FUNCTION hoshin_initiative_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchText" := hoshin_search_form(concat_ws(E'\n', NEW.text, array_to_string(NEW.footnotes, E'\n')));
  RETURN NEW;
END
$$;

CREATE FUNCTION hoshin_evaluation_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchText" := hoshin_search_form(NEW.summary);
  RETURN NEW;
END
$$;

-- AlterTable
ALTER TABLE "DepartmentPlan" ADD COLUMN     "searchText" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Evaluation" ADD COLUMN     "searchText" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Initiative" ADD COLUMN     "searchText" TEXT NOT NULL DEFAULT '';

CREATE TRIGGER "DepartmentPlan_searchText" BEFORE INSERT OR UPDATE ON "DepartmentPlan"
  FOR EACH ROW EXECUTE FUNCTION hoshin_plan_search_text();
CREATE TRIGGER "Initiative_searchText" BEFORE INSERT OR UPDATE ON "Initiative"
  FOR EACH ROW EXECUTE FUNCTION hoshin_initiative_search_text();
CREATE TRIGGER "Evaluation_searchText" BEFORE INSERT OR UPDATE ON "Evaluation"
  FOR EACH ROW EXECUTE FUNCTION hoshin_evaluation_search_text();
-- Also under session_replication_role = replica (bulk loads that skip foreign-key checks).
ALTER TABLE "DepartmentPlan" ENABLE ALWAYS TRIGGER "DepartmentPlan_searchText";
ALTER TABLE "Initiative" ENABLE ALWAYS TRIGGER "Initiative_searchText";
ALTER TABLE "Evaluation" ENABLE ALWAYS TRIGGER "Evaluation_searchText";

-- Rows written before this migration: the triggers fill them in.
UPDATE "DepartmentPlan" SET "searchText" = '';
UPDATE "Initiative" SET "searchText" = '';
UPDATE "Evaluation" SET "searchText" = '';

-- CreateIndex
CREATE INDEX "DepartmentPlan_searchText_idx" ON "DepartmentPlan" USING GIN ("searchText" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Evaluation_searchText_idx" ON "Evaluation" USING GIN ("searchText" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Initiative_searchText_idx" ON "Initiative" USING GIN ("searchText" gin_trgm_ops);

-- Departments through time: names up to a fiscal year, and reorganisations (issue 15).
-- CreateEnum
CREATE TYPE "ReorganisationKind" AS ENUM ('SPLIT', 'MERGE', 'TRANSFER');

-- CreateTable
CREATE TABLE "DepartmentFormerName" (
    "id" SERIAL NOT NULL,
    "departmentId" INTEGER NOT NULL,
    "untilFiscalYear" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "nameEn" TEXT,
    "displayOrder" INTEGER NOT NULL,

    CONSTRAINT "DepartmentFormerName_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DepartmentSuccession" (
    "id" SERIAL NOT NULL,
    "predecessorId" INTEGER NOT NULL,
    "successorId" INTEGER NOT NULL,
    "fiscalYear" INTEGER NOT NULL,
    "kind" "ReorganisationKind" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DepartmentSuccession_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DepartmentFormerName_departmentId_untilFiscalYear_key" ON "DepartmentFormerName"("departmentId", "untilFiscalYear");

-- CreateIndex
CREATE INDEX "DepartmentSuccession_successorId_idx" ON "DepartmentSuccession"("successorId");

-- CreateIndex
CREATE UNIQUE INDEX "DepartmentSuccession_predecessorId_successorId_fiscalYear_key" ON "DepartmentSuccession"("predecessorId", "successorId", "fiscalYear");

-- AddForeignKey
ALTER TABLE "DepartmentFormerName" ADD CONSTRAINT "DepartmentFormerName_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DepartmentSuccession" ADD CONSTRAINT "DepartmentSuccession_predecessorId_fkey" FOREIGN KEY ("predecessorId") REFERENCES "Department"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DepartmentSuccession" ADD CONSTRAINT "DepartmentSuccession_successorId_fkey" FOREIGN KEY ("successorId") REFERENCES "Department"("id") ON DELETE CASCADE ON UPDATE CASCADE;
