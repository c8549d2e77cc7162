-- Search over the whole country (issue 30): the trigram index of the initiatives also holds the
-- plan's fiscal year and status (copied onto the initiative by triggers, 20261207050000), so a
-- search of one year as the public sees it gets its candidates from one GIN scan: at national
-- size the capped count of a common word read 972 heap blocks instead of 3,759 and no longer
-- builds a bitmap of the year's 136,000 rows from the btree. Searches without a year use the
-- trigram column of the same index. btree_gin gives GIN its integer and enum operator classes
-- (PGlite loads it beside pg_trgm: db/client.ts).
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- DropIndex
DROP INDEX "Initiative_searchText_idx";

-- CreateIndex
CREATE INDEX "Initiative_planFiscalYear_planStatus_searchText_idx" ON "Initiative" USING GIN ("planFiscalYear" int4_ops, "planStatus" enum_ops, "searchText" gin_trgm_ops);
