-- icd10: the ICD-10 code catalog (ehr.icd10_codes, sql/migrations/011_icd10.sql)
-- as the diagnosis pickers and the record read it. Loading it is
-- medsysctl's (sql/import/icd10.sql).

-- name: icd10_search
-- $1 what the user typed: a code or its start, dotted or not ("J45",
-- "j45.9", "E119"), or words in any order, with or without accents
-- ("asma", "diabetes tipo 2", "hipertension"); $2 the user's language
-- ('es' or 'en'). Up to 20 active codes: code matches first, then codes
-- to record before headings, shorter codes first. Columns: code, title in
-- that language (the English one where no Spanish title was loaded),
-- leaf ('t'/'f').
WITH q AS (
    SELECT upper(replace(btrim($1::text), '.', '')) AS key,
           ARRAY(SELECT '%' || replace(replace(replace(w, '\', '\\'), '%', '\%'), '_', '\_') || '%'
                   FROM unnest(string_to_array(ehr.icd10_fold(btrim($1::text)), ' ')) AS w
                  WHERE w <> '') AS patterns
)
SELECT c.code,
       CASE WHEN $2::text = 'en' THEN c.title_en ELSE coalesce(c.title_es, c.title_en) END,
       c.leaf
  FROM ehr.icd10_codes c, q
 WHERE c.active
   AND cardinality(q.patterns) > 0
   AND ((q.key ~ '^[A-Z][0-9A-Z]{0,6}$' AND c.code_key LIKE q.key || '%')
        OR c.search LIKE ALL (q.patterns))
 ORDER BY (q.key ~ '^[A-Z][0-9A-Z]{0,6}$' AND c.code_key LIKE q.key || '%') DESC,
          c.leaf DESC, length(c.code), c.code
 LIMIT 20;

-- name: icd10_get
-- $1 a code, dotted or not, any case: the row (active or not, so that a
-- record that used a code a later release dropped still shows it).
-- Columns: code, title_es ('' when none), title_en, leaf, chapter,
-- category, active, source.
SELECT code, coalesce(title_es, ''), title_en, leaf, chapter, category, active, source
  FROM ehr.icd10_codes
 WHERE code_key = upper(replace(btrim($1::text), '.', ''));
