-- formulary: the prescription catalog (rx.products, 018_rx_catalog.sql) as
-- the formulary page and the prescribing form read it. The matching is
-- rx.product_search's (018); loading is medsysctl's (sql/import/formulary.sql).

-- name: formulary_search
-- $1 what the doctor typed (a name in either language, a brand, an ATC
-- code or its start), $2 the page's language ('es' or 'en'). Up to 30
-- active products (a page under 14 KB), best first. Columns: code, name in
-- that language, atc, route, brands, eml ('t'/'f').
SELECT p.code, CASE WHEN $2::text = 'en' THEN p.name_en ELSE p.name_es END, p.atc, p.route,
       p.brands, p.eml
  FROM rx.product_search($1::text, $2::text, 30) s
  JOIN rx.products p USING (code)
 ORDER BY s.pos;

-- name: formulary_pick
-- The prescribing form's picker: $1 what was typed, $2 the language. Up to
-- 20 active products, best first. Columns: code, name in that language,
-- strength, dose_form, route, dose_unit.
SELECT p.code, CASE WHEN $2::text = 'en' THEN p.name_en ELSE p.name_es END, p.strength,
       p.dose_form, p.route, p.dose_unit
  FROM rx.product_search($1::text, $2::text, 20) s
  JOIN rx.products p USING (code)
 ORDER BY s.pos;
