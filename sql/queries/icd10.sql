-- icd10: the ICD-10 code catalog (ehr.icd10_codes, sql/migrations/011_icd10.sql)
-- as the diagnosis pickers and the record read it. Loading it is
-- medsysctl's (sql/import/icd10.sql).

-- name: icd10_search
-- $1 what the user typed: a code or its start, dotted or not ("J45",
-- "j45.9", "E119"), or words in any order, with or without accents
-- ("asma", "diabetes tipo 2", "hipertension"; one of them at least three
-- letters long); $2 the user's language ('es' or 'en'). Up to 20 active
-- codes: code matches first, then codes to record before headings,
-- shorter codes first. Columns: code, title in
-- that language (the English one where no Spanish title was loaded),
-- leaf ('t'/'f').
WITH q AS MATERIALIZED (
    SELECT upper(replace(btrim($1::text), '.', '')) AS key,
           -- the longest word first: it is the one the index looks up
           -- (ehr.search_patterns, 018_rx_catalog.sql)
           ehr.search_patterns($1::text) AS patterns
), hits AS (
    -- codes starting with what was typed (the code_key index: only
    -- letters and digits there, so key || '~' bounds the range)
    SELECT c.code, true AS by_code
      FROM q, ehr.icd10_codes c
     WHERE q.key ~ '^[A-Z][0-9A-Z]{0,6}$'
       AND c.code_key ~>=~ q.key AND c.code_key ~<~ (q.key || '~')
    UNION ALL
    -- codes whose code or titles hold every word, when one word has
    -- three letters or more (the trigram index finds the longest word's
    -- rows, the others filter them; shorter ones have no trigram)
    SELECT c.code, false
      FROM q, ehr.icd10_codes c
     WHERE cardinality(q.patterns) > 0
       AND c.search LIKE q.patterns[1] AND c.search LIKE ALL (q.patterns)
)
SELECT c.code,
       CASE WHEN $2::text = 'en' THEN c.title_en ELSE coalesce(c.title_es, c.title_en) END,
       c.leaf
  FROM (SELECT code, bool_or(by_code) AS by_code FROM hits GROUP BY code) h
  JOIN ehr.icd10_codes c USING (code)
 WHERE c.active
 ORDER BY h.by_code DESC, c.leaf DESC, length(c.code), c.code
 LIMIT 20;

-- name: icd10_get
-- $1 a code, dotted or not, any case: the row (active or not, so that a
-- record that used a code a later release dropped still shows it).
-- Columns: code, title_es ('' when none), title_en, leaf, chapter,
-- category, active, source.
SELECT code, coalesce(title_es, ''), title_en, leaf, chapter, category, active, source
  FROM ehr.icd10_codes
 WHERE code_key = upper(replace(btrim($1::text), '.', ''));
