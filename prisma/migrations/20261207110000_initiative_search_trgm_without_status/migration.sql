-- Search over the whole country (issue 30): the trigram index of the initiatives keeps the
-- plan's fiscal year but no longer its status. A GIN scan reads the posting list of every key
-- it is asked, and the status's holds nearly every initiative (1.22 M of 1.36 M published at
-- national size): the capped count of one word over FY2012 as the public asks it took 35-37 ms
-- in its index scan with the status, 13-18 ms without (the same 7,868 candidates; the status
-- is then checked on the 1,001 rows read). As for the two-character index (20261207100000).
-- DropIndex
DROP INDEX "Initiative_planFiscalYear_planStatus_searchText_idx";

-- CreateIndex
CREATE INDEX "Initiative_planFiscalYear_searchText_idx" ON "Initiative" USING GIN ("planFiscalYear" int4_ops, "searchText" gin_trgm_ops);
