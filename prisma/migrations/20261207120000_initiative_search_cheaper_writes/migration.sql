-- Embedded imports (issue 30): an applied import holds PGlite's one connection while it updates
-- its rows, and most of that time went to keeping the search columns, row by row. Profiled on
-- the bench's prefecture PGlite (2,000 initiatives' texts updated in one statement, 0.9-1.3 s):
-- the searchText trigger 170-240 ms (translate() of the 88 katakana scans that list for every
-- character), the two-character index's expression 200-300 ms (hoshin_bigrams: substr() walks
-- the text from its start for every piece), the plan-copy trigger 25-80 ms (a plan read per row,
-- although the row did not move). Same results, less work:

-- Katakana to hiragana by their code points (ァ U+30A1 .. ヶ U+30F6, ヽ ヾ: 0x60 above ぁ .. ゖ,
-- ゝ ゞ, as search-form.ts does), and only for a text that holds one: the same form as the
-- translate() it replaces (the search-form test holds it equal to search-form.ts), about half
-- the time on PGlite.
CREATE OR REPLACE FUNCTION hoshin_search_form(input text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT lower(CASE WHEN n !~ '[ァ-ヶヽヾ]' THEN n ELSE array_to_string(ARRAY(
    SELECT CASE WHEN ascii(c) BETWEEN 12449 AND 12534 OR ascii(c) IN (12541, 12542)
      THEN chr(ascii(c) - 96) ELSE c END
    FROM unnest(string_to_array(n, NULL)) WITH ORDINALITY AS t(c, o) ORDER BY o), '') END
    COLLATE "C")
  FROM normalize(input, NFKC) AS n
$$;

-- Every piece of two characters, in order, repeats included: the same arrays as before (so the
-- index built on it stays valid: a test holds it equal to the pairs of a text's characters),
-- from the text's characters taken once instead of substr() at every offset.
CREATE OR REPLACE FUNCTION hoshin_bigrams(input text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT ARRAY(SELECT a || b FROM unnest(c[1:cardinality(c) - 1], c[2:]) WITH ORDINALITY AS t(a, b, o) ORDER BY o)
  FROM string_to_array(input, NULL) AS c
$$;

-- An initiative's search form, named once: its trigger and an import (which computes the form of
-- its rows before its write transaction, initiative.service.ts prepareInitiativeUpdates) use it.
CREATE FUNCTION hoshin_initiative_search_form(body text, footnotes text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT hoshin_search_form(concat_ws(E'\n', body, array_to_string(footnotes, E'\n')))
$$;

CREATE OR REPLACE FUNCTION hoshin_initiative_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchText" := hoshin_initiative_search_form(NEW.text, NEW.footnotes);
  RETURN NEW;
END
$$;

-- The form is computed on an insert, and on an update whose text or footnotes changed without
-- it (a service's edit) or which changed it alone (nothing else may set it): searchText stays
-- the form of its text and footnotes whatever an UPDATE sets. An update that changes both is
-- an import's, whose form hoshin_initiative_search_form computed before the write (for the row's
-- version the write requires): not computed twice inside the transaction.
DROP TRIGGER "Initiative_searchText" ON "Initiative";
CREATE TRIGGER "Initiative_searchText" BEFORE INSERT ON "Initiative"
  FOR EACH ROW EXECUTE FUNCTION hoshin_initiative_search_text();
CREATE TRIGGER "Initiative_searchText_update" BEFORE UPDATE OF text, footnotes, "searchText" ON "Initiative"
  FOR EACH ROW WHEN (((OLD.text, OLD.footnotes) IS DISTINCT FROM (NEW.text, NEW.footnotes))
    <> (OLD."searchText" IS DISTINCT FROM NEW."searchText"))
  EXECUTE FUNCTION hoshin_initiative_search_text();
ALTER TABLE "Initiative" ENABLE ALWAYS TRIGGER "Initiative_searchText";
ALTER TABLE "Initiative" ENABLE ALWAYS TRIGGER "Initiative_searchText_update";

-- The plan's year, status and order are copied onto an initiative that is inserted or moved
-- (its planId set), or whose copies an UPDATE sets (the plan's own trigger does, and anyone else
-- gets the plan's values back): not on every edit of its text.
DROP TRIGGER "Initiative_planCopy" ON "Initiative";
CREATE TRIGGER "Initiative_planCopy"
  BEFORE INSERT OR UPDATE OF "planId", "planFiscalYear", "planStatus", "planDepartmentOrder"
  ON "Initiative" FOR EACH ROW EXECUTE FUNCTION hoshin_initiative_plan_copy();
ALTER TABLE "Initiative" ENABLE ALWAYS TRIGGER "Initiative_planCopy";

-- A GIN index takes new entries into a pending list, merged into the index when the list
-- outgrows gin_pending_list_limit (4 MB) by the write that outgrows it, inside that write's
-- transaction, or by VACUUM. PGlite has no autovacuum: the bench's prefecture database started
-- with 2.3-2.9 MB pending in each search index, a 2,000-row import adds 2.5-3.6 MB, and its
-- transaction merged both lists (about 0.8 s of its 1.6 s UPDATE at load 12). An import merges
-- what is pending before its transaction and what it left after it, each as a statement of its
-- own (initiative.service.ts mergePendingSearchEntries). Only where no autovacuum runs (PGlite,
-- a server with autovacuum off), which would otherwise merge them in the background, and only
-- indexes the caller owns (as gin_clean_pending_list requires).
CREATE FUNCTION hoshin_merge_pending_gin(tbl regclass) RETURNS bigint
LANGUAGE sql VOLATILE
AS $$
  SELECT coalesce(sum(gin_clean_pending_list(x.indexrelid::regclass)), 0)::bigint
  FROM pg_index x
  JOIN pg_class c ON c.oid = x.indexrelid
  JOIN pg_am a ON a.oid = c.relam
  WHERE x.indrelid = tbl AND a.amname = 'gin' AND pg_has_role(c.relowner, 'USAGE')
    AND NOT EXISTS (SELECT FROM pg_stat_activity WHERE backend_type = 'autovacuum launcher')
$$;
