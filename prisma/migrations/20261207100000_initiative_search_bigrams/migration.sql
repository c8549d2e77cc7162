-- Search over the whole country (issue 30): a word of two characters (防災, 計画: most Japanese
-- words people type) has no trigram, so the trigram index cannot find it and the count of a
-- common one read the whole table (at national size a parallel scan of 1.36 M rows, 190-250 ms).
-- This index holds the two-character pieces of each initiative's search form, beside
-- its fiscal year: a two-character word is found by its own piece (`hoshin_bigrams(...) @>`,
-- added by graphql/compiled/where.ts beside the LIKE, which stays the rule). Plain GIN over an
-- array (PGlite has it), no extension. The status is left out: its posting list holds nearly
-- every row and doubled the scan (national: 43 ms with it, 22 ms without).
-- Every piece, repeats included: GIN keeps each key of a row once, and @> does not mind them
-- (without DISTINCT the function costs 25 instead of 42 microseconds a row, on every write).
CREATE FUNCTION hoshin_bigrams(input text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT ARRAY(SELECT substr(input, i, 2) FROM generate_series(1, char_length(input) - 1) AS i)
$$;

CREATE INDEX "Initiative_planFiscalYear_searchBigrams_idx" ON "Initiative"
  USING GIN ("planFiscalYear" int4_ops, hoshin_bigrams("searchText") array_ops);
