-- CreateEnum
CREATE TYPE "Audience" AS ENUM ('NONE', 'STAFF', 'PUBLIC');

-- AlterTable
ALTER TABLE "ChangeRecord" ADD COLUMN     "actorOffice" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "audienceAfter" "Audience" NOT NULL DEFAULT 'NONE',
ADD COLUMN     "audienceBefore" "Audience" NOT NULL DEFAULT 'NONE',
ADD COLUMN     "snapshot" JSONB;

-- Records written before audiences were recorded: who could see them then is not known, so
-- they stay with the staff of their department (the public sees no draft-era value by
-- accident). Municipalities, departments and white papers were always public.
UPDATE "ChangeRecord" SET
  "audienceBefore" = CASE WHEN "action" = 'CREATE' THEN 'NONE'::"Audience"
    WHEN "entityType" IN ('Municipality', 'Department', 'WhitePaper') THEN 'PUBLIC'::"Audience"
    ELSE 'STAFF'::"Audience" END,
  "audienceAfter" = CASE WHEN "action" = 'DELETE' THEN 'NONE'::"Audience"
    WHEN "entityType" IN ('Municipality', 'Department', 'WhitePaper') THEN 'PUBLIC'::"Audience"
    ELSE 'STAFF'::"Audience" END,
  "actorOffice" = CASE WHEN "actor" LIKE 'system%' THEN 'system' ELSE 'office' END;
