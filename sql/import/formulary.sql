-- formulary import: the statements of `medsysctl import formulary |
-- interactions | allergy-terms` (fcgi/ctl/import_formulary.c), run as the
-- migration role, which alone may change the rx catalogs (018).
-- Parameters come as text in the files' column order; an empty optional
-- column is NULL. Each upsert returns one row, 't' when it inserted and
-- 'f' when it changed a row, and no row when the row held exactly this.

-- name: formulary_upsert
-- $1 code, $2 atc, $3 ingredients (';'-separated), $4 classes (same, may
-- be ''), $5 name_es, $6 name_en, $7 brands, $8 strength, $9 dose_form,
-- $10 route, $11 dose_unit, $12 unit_mg, $13 max_daily_mg,
-- $14 max_daily_mg_kg ('' = none), $15 pregnancy, $16 eml ('yes'/'no'),
-- $17 source. A product the file lists is active again.
INSERT INTO rx.products AS p (code, atc, ingredients, classes, name_es, name_en, brands, strength,
                              dose_form, route, dose_unit, unit_mg, max_daily_mg, max_daily_mg_kg,
                              pregnancy, eml, source)
VALUES ($1::text, $2::text, string_to_array($3::text, ';'),
        coalesce(string_to_array(nullif($4::text, ''), ';'), '{}'), $5::text, $6::text, $7::text,
        $8::text, $9::text, $10::text, $11::text, nullif($12::text, '')::numeric,
        nullif($13::text, '')::numeric, nullif($14::text, '')::numeric, $15::text,
        $16::text = 'yes', $17::text)
ON CONFLICT (code) DO UPDATE
   SET atc = EXCLUDED.atc, ingredients = EXCLUDED.ingredients, classes = EXCLUDED.classes,
       name_es = EXCLUDED.name_es, name_en = EXCLUDED.name_en, brands = EXCLUDED.brands,
       strength = EXCLUDED.strength, dose_form = EXCLUDED.dose_form, route = EXCLUDED.route,
       dose_unit = EXCLUDED.dose_unit, unit_mg = EXCLUDED.unit_mg,
       max_daily_mg = EXCLUDED.max_daily_mg, max_daily_mg_kg = EXCLUDED.max_daily_mg_kg,
       pregnancy = EXCLUDED.pregnancy, eml = EXCLUDED.eml, source = EXCLUDED.source,
       active = true, updated_at = now()
 WHERE (p.atc, p.ingredients, p.classes, p.name_es, p.name_en, p.brands, p.strength, p.dose_form,
        p.route, p.dose_unit, p.unit_mg, p.max_daily_mg, p.max_daily_mg_kg, p.pregnancy, p.eml,
        p.source, p.active)
       IS DISTINCT FROM
       (EXCLUDED.atc, EXCLUDED.ingredients, EXCLUDED.classes, EXCLUDED.name_es, EXCLUDED.name_en,
        EXCLUDED.brands, EXCLUDED.strength, EXCLUDED.dose_form, EXCLUDED.route, EXCLUDED.dose_unit,
        EXCLUDED.unit_mg, EXCLUDED.max_daily_mg, EXCLUDED.max_daily_mg_kg, EXCLUDED.pregnancy,
        EXCLUDED.eml, EXCLUDED.source, true)
RETURNING (xmax = 0);

-- name: formulary_retire
-- $1 every code the file listed (a text[] literal): the other active
-- products become inactive (--retire-missing). Never deleted: signed
-- prescriptions name them. One row per product retired.
UPDATE rx.products SET active = false, updated_at = now()
 WHERE active AND NOT (code = ANY ($1::text[]))
RETURNING code;

-- name: interactions_upsert
-- $1 a, $2 b (in either order: stored with a before b byte by byte),
-- $3 severity, $4 effect_es, $5 effect_en, $6 source.
WITH pair AS (
    SELECT CASE WHEN $1::text COLLATE "C" < $2::text COLLATE "C" THEN $1::text ELSE $2::text END AS a,
           CASE WHEN $1::text COLLATE "C" < $2::text COLLATE "C" THEN $2::text ELSE $1::text END AS b
)
INSERT INTO rx.interactions AS i (a, b, severity, effect_es, effect_en, source)
SELECT pair.a, pair.b, $3::text, $4::text, $5::text, $6::text FROM pair
ON CONFLICT (a, b) DO UPDATE
   SET severity = EXCLUDED.severity, effect_es = EXCLUDED.effect_es,
       effect_en = EXCLUDED.effect_en, source = EXCLUDED.source, updated_at = now()
 WHERE (i.severity, i.effect_es, i.effect_en, i.source)
       IS DISTINCT FROM (EXCLUDED.severity, EXCLUDED.effect_es, EXCLUDED.effect_en, EXCLUDED.source)
RETURNING (xmax = 0);

-- name: interactions_retire
-- $1 every pair the file listed, as 'a|b' in stored order (a text[]
-- literal): the other pairs are deleted (--retire-missing; nothing
-- references a pair: a prescription's warning keeps its own text).
DELETE FROM rx.interactions WHERE NOT ((a || '|' || b) = ANY ($1::text[]))
RETURNING a;

-- name: interactions_unknown
-- The pairs naming an ingredient, class or ATC prefix no product of the
-- formulary has: a misspelling would make the pair never warn. Columns:
-- the name, the pair ('a + b').
SELECT r.what, i.a || ' + ' || i.b
  FROM rx.interactions i, LATERAL (VALUES (i.a::text), (i.b::text)) AS r(what)
 WHERE NOT EXISTS (SELECT 1 FROM rx.products p WHERE rx.product_matches(p, r.what))
 ORDER BY 2, 1;

-- name: allergy_terms_upsert
-- $1 term (folded here: 'Penicilina' is stored as 'penicilina'),
-- $2 matches, $3 source.
INSERT INTO rx.allergy_terms AS t (term, matches, source)
VALUES (ehr.icd10_fold(btrim($1::text)), $2::text, $3::text)
ON CONFLICT (term, matches) DO UPDATE
   SET source = EXCLUDED.source, updated_at = now()
 WHERE t.source IS DISTINCT FROM EXCLUDED.source
RETURNING (xmax = 0);

-- name: allergy_terms_retire
-- $1 every 'term|matches' the file listed (term as written: folded
-- here): the other rows are deleted (--retire-missing).
DELETE FROM rx.allergy_terms
 WHERE NOT ((term || '|' || matches) = ANY (
       ARRAY(SELECT ehr.icd10_fold(split_part(k, '|', 1)) || '|' || split_part(k, '|', 2)
               FROM unnest($1::text[]) AS k)))
RETURNING term;

-- name: allergy_terms_unknown
-- Terms matching nothing of the formulary. Columns: the match, the term.
SELECT t.matches::text, t.term FROM rx.allergy_terms t
 WHERE NOT EXISTS (SELECT 1 FROM rx.products p WHERE rx.product_matches(p, t.matches))
 ORDER BY 1, 2;
