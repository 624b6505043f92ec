-- lab catalog import: the statements of `medsysctl import lab-catalog`
-- (fcgi/ctl/import_lab.c), run as the migration role, which alone may
-- change the lab catalog (024). Parameters come as text in the files'
-- column order; an empty optional column is NULL. Each upsert returns one
-- row, 't' when it inserted and 'f' when it changed a row, and no row
-- when the row held exactly this.

-- name: lab_analyte_kinds
-- Every analyte and its kind, by code in byte order: what the lines of
-- the other files may name (the import checks them line by line).
SELECT code, kind FROM lab.analytes ORDER BY code COLLATE "C";

-- name: lab_analyte_upsert
-- $1 code, $2 name_es, $3 name_en, $4 kind, $5 unit ('' = none),
-- $6 decimals, $7 plausible_low, $8 plausible_high, $9 choices and
-- $10 normal_choices (';'-separated, '' = none), $11 source. An analyte
-- the file lists is active again.
INSERT INTO lab.analytes AS a (code, name_es, name_en, kind, unit, decimals, plausible_low,
                               plausible_high, choices, normal_choices, source)
VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::smallint,
        nullif($7::text, '')::numeric, nullif($8::text, '')::numeric,
        string_to_array(nullif($9::text, ''), ';'), string_to_array(nullif($10::text, ''), ';'),
        $11::text)
ON CONFLICT (code) DO UPDATE
   SET name_es = EXCLUDED.name_es, name_en = EXCLUDED.name_en, kind = EXCLUDED.kind,
       unit = EXCLUDED.unit, decimals = EXCLUDED.decimals,
       plausible_low = EXCLUDED.plausible_low, plausible_high = EXCLUDED.plausible_high,
       choices = EXCLUDED.choices, normal_choices = EXCLUDED.normal_choices,
       source = EXCLUDED.source, active = true, updated_at = now()
 WHERE (a.name_es, a.name_en, a.kind, a.unit, a.decimals, a.plausible_low, a.plausible_high,
        a.choices, a.normal_choices, a.source, a.active)
       IS DISTINCT FROM
       (EXCLUDED.name_es, EXCLUDED.name_en, EXCLUDED.kind, EXCLUDED.unit, EXCLUDED.decimals,
        EXCLUDED.plausible_low, EXCLUDED.plausible_high, EXCLUDED.choices,
        EXCLUDED.normal_choices, EXCLUDED.source, true)
RETURNING (xmax = 0);

-- name: lab_analyte_retire
-- $1 every code the file listed (a text[] literal): the other active
-- analytes become inactive (--retire-missing). Never deleted: results
-- name them. One row per analyte retired.
UPDATE lab.analytes SET active = false, updated_at = now()
 WHERE active AND NOT (code = ANY ($1::text[]))
RETURNING code;

-- name: lab_conversion_upsert
-- $1 analyte ('' = any), $2 from_unit, $3 to_unit, $4 factor, $5 source.
INSERT INTO lab.unit_conversions AS u (analyte, from_unit, to_unit, factor, source)
VALUES (nullif($1::text, ''), $2::text, $3::text, $4::numeric, $5::text)
ON CONFLICT ON CONSTRAINT unit_conversions_key DO UPDATE
   SET factor = EXCLUDED.factor, source = EXCLUDED.source
 WHERE (u.factor, u.source) IS DISTINCT FROM (EXCLUDED.factor, EXCLUDED.source)
RETURNING (xmax = 0);

-- name: lab_conversion_retire
-- $1 every 'analyte|from|to' the file listed: the other conversions are
-- deleted (--retire-missing; a result keeps its value, not the factor).
DELETE FROM lab.unit_conversions
 WHERE NOT ((coalesce(analyte, '') || '|' || from_unit || '|' || to_unit) = ANY ($1::text[]))
RETURNING id;

-- name: lab_panel_upsert
-- $1 code, $2 name_es, $3 name_en, $4 members (';'-separated, in order),
-- $5 source. The panel's members become exactly the list (the old ones
-- are deleted first, in the same statement, so that positions may move).
-- 't' new panel, 'f' panel or members changed, no row: unchanged.
WITH m AS (
    SELECT a AS analyte, p::smallint AS position
      FROM unnest(string_to_array($4::text, ';')) WITH ORDINALITY AS x(a, p)
), same AS (
    SELECT (SELECT coalesce(array_agg(analyte ORDER BY position), '{}') FROM lab.panel_members
             WHERE panel = $1::text)
           = (SELECT array_agg(analyte ORDER BY position) FROM m) AS members
), p AS (
    INSERT INTO lab.panels AS p (code, name_es, name_en, source)
    VALUES ($1::text, $2::text, $3::text, $5::text)
    ON CONFLICT (code) DO UPDATE
       SET name_es = EXCLUDED.name_es, name_en = EXCLUDED.name_en, source = EXCLUDED.source,
           active = true, updated_at = now()
     WHERE (p.name_es, p.name_en, p.source, p.active)
           IS DISTINCT FROM (EXCLUDED.name_es, EXCLUDED.name_en, EXCLUDED.source, true)
    RETURNING (xmax = 0) AS fresh
), gone AS (
    DELETE FROM lab.panel_members WHERE panel = $1::text AND NOT (SELECT members FROM same)
    RETURNING 1
), put AS (
    INSERT INTO lab.panel_members (panel, analyte, position)
    SELECT $1::text, m.analyte, m.position FROM m
     WHERE NOT (SELECT members FROM same) AND (SELECT count(*) FROM gone) >= 0
    RETURNING 1
)
SELECT coalesce((SELECT fresh FROM p), false)
 WHERE EXISTS (SELECT 1 FROM p) OR (SELECT count(*) FROM put) > 0;

-- name: lab_panel_retire
-- $1 every panel code the file listed: the others become inactive.
UPDATE lab.panels SET active = false, updated_at = now()
 WHERE active AND NOT (code = ANY ($1::text[]))
RETURNING code;

-- name: lab_range_upsert
-- $1 analyte, $2 sex, $3 age_min_days, $4 age_max_days ('' = none),
-- $5 low, $6 high, $7 critical_low, $8 critical_high, $9 source. The
-- ranges of that analyte and sex whose age band overlaps this one's and
-- that differ from it are deleted first (same statement), so a file may
-- split or merge bands. 't' new, 'f' replaced others, no row: unchanged.
WITH r AS (
    SELECT $1::text AS analyte, $2::text AS sex, $3::integer AS age_min_days,
           nullif($4::text, '')::integer AS age_max_days, nullif($5::text, '')::numeric AS low,
           nullif($6::text, '')::numeric AS high, nullif($7::text, '')::numeric AS critical_low,
           nullif($8::text, '')::numeric AS critical_high, $9::text AS source
), gone AS (
    DELETE FROM lab.ranges g USING r
     WHERE g.analyte = r.analyte AND g.sex = r.sex
       AND int4range(g.age_min_days, g.age_max_days) && int4range(r.age_min_days, r.age_max_days)
       AND (g.age_min_days, g.age_max_days, g.low, g.high, g.critical_low, g.critical_high, g.source)
           IS DISTINCT FROM
           (r.age_min_days, r.age_max_days, r.low, r.high, r.critical_low, r.critical_high, r.source)
    RETURNING 1
), put AS (
    INSERT INTO lab.ranges (analyte, sex, age_min_days, age_max_days, low, high, critical_low,
                            critical_high, source)
    SELECT * FROM r
     WHERE (SELECT count(*) FROM gone) >= 0
       AND NOT EXISTS (SELECT 1 FROM lab.ranges g
                        WHERE g.analyte = r.analyte AND g.sex = r.sex
                          AND (g.age_min_days, g.age_max_days, g.low, g.high, g.critical_low,
                               g.critical_high, g.source)
                              IS NOT DISTINCT FROM
                              (r.age_min_days, r.age_max_days, r.low, r.high, r.critical_low,
                               r.critical_high, r.source))
    RETURNING 1
)
SELECT (SELECT count(*) FROM gone) = 0 FROM put;

-- name: lab_range_retire
-- $1 every 'analyte|sex|age_min_days' the file listed: the other ranges
-- of the analytes the file names are deleted; with $2 = 'all', those of
-- every analyte (--retire-missing). Nothing refers to a range: a result
-- copies its limits.
DELETE FROM lab.ranges
 WHERE NOT ((analyte || '|' || sex || '|' || age_min_days) = ANY ($1::text[]))
   AND ($2::text = 'all'
        OR analyte IN (SELECT split_part(k, '|', 1) FROM unnest($1::text[]) AS k))
RETURNING id;
