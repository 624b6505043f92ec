-- icd10 import: the statements of `medsysctl import icd10` (fcgi/ctl/import_icd10.c),
-- run as the migration role, which alone may change ehr.icd10_codes.

-- name: icd10_upsert
-- $1 code (normalised), $2 title_es (NULL: keep the Spanish title the row
-- has: the CMS release is English only), $3 title_en, $4 leaf, $5 chapter,
-- $6 source. One row back, inserted 't' or 'f', when the row is new or
-- changed; no row when it already held exactly this.
INSERT INTO ehr.icd10_codes AS c (code, title_es, title_en, leaf, chapter, source)
VALUES ($1::text, $2::text, $3::text, $4::boolean, $5::smallint, $6::text)
ON CONFLICT (code) DO UPDATE
   SET title_es = coalesce(EXCLUDED.title_es, c.title_es),
       title_en = EXCLUDED.title_en, leaf = EXCLUDED.leaf, chapter = EXCLUDED.chapter,
       source = EXCLUDED.source, active = true, updated_at = now()
 WHERE (c.title_es, c.title_en, c.leaf, c.chapter, c.source, c.active)
       IS DISTINCT FROM (coalesce(EXCLUDED.title_es, c.title_es), EXCLUDED.title_en,
                         EXCLUDED.leaf, EXCLUDED.chapter, EXCLUDED.source, true)
RETURNING (xmax = 0);

-- name: icd10_count
-- Rows in the catalog, and how many are active.
SELECT count(*), count(*) FILTER (WHERE active) FROM ehr.icd10_codes;
