-- The change log outlives what it records: a deleted municipality's history (its DELETE
-- record included) stays, as a deleted plan's or department's does (their ids were never
-- foreign keys of the log either).

-- DropForeignKey
ALTER TABLE "ChangeRecord" DROP CONSTRAINT "ChangeRecord_municipalityId_fkey";
