-- The laboratory catalog (issue 11; docs/catalogs.md, docs/lab.md): the
-- analytes a clinic can order and report (by LOINC code, with a UCUM
-- unit), their reference ranges by sex and age band with critical
-- limits, the panels that group them, and the unit conversions an
-- imported result may need. Data, not code: data/lab/*.csv is loaded by
-- `medsysctl import lab-catalog` (sql/import/lab_catalog.sql) as the
-- migration role; the application only reads it.
--
-- The flag of a result (normal, low, high, critical, abnormal) is decided
-- here, by lab.compute_flag, and nowhere else: the results trigger (025),
-- the HL7 import and the pages all ask it, so the rule cannot drift.
--
-- An analyte is never deleted: a result names it for ever. One a newer
-- file drops is marked inactive (--retire-missing) and can no longer be
-- ordered. Ranges are replaced wholesale per analyte by the import: a
-- result copies the limits it was flagged with (025), so nothing refers
-- to a range row.

-- The patient's sex, for reference ranges; NULL = unknown (the flag then
-- uses ranges valid for either sex: lab.compute_flag).
ALTER TABLE auth.users ADD COLUMN sex text CHECK (sex IN ('female', 'male'));

-- ------------------------------------------------------------ analytes

CREATE TABLE lab.analytes (
    -- The LOINC code ('718-7' haemoglobin): digits, a dash, the check digit.
    code            text PRIMARY KEY CHECK (code ~ '^[0-9]{1,7}-[0-9]$'),
    name_es         text NOT NULL CHECK (length(btrim(name_es)) BETWEEN 1 AND 200),
    name_en         text NOT NULL CHECK (length(btrim(name_en)) BETWEEN 1 AND 200),
    -- numeric: a number in unit; coded: one of choices; text: free text
    -- (a microscopy comment).
    kind            text NOT NULL CHECK (kind IN ('numeric', 'text', 'coded')),
    -- The canonical UCUM unit ('g/dL', '10*3/uL', 'mmol/L'); '' for none
    -- (ratios such as the INR, coded and text results). Results are
    -- stored in this unit: other units are converted on entry.
    unit            text NOT NULL DEFAULT '' CHECK (length(unit) <= 40 AND unit !~ '\s'),
    -- Digits after the decimal point when shown (and kept on entry).
    decimals        smallint NOT NULL DEFAULT 0 CHECK (decimals BETWEEN 0 AND 4),
    -- Values outside [plausible_low, plausible_high] cannot be a real
    -- measurement (a typing slip: 1400 for 14.0): entry refuses them.
    plausible_low   numeric,
    plausible_high  numeric,
    -- Coded results: the allowed answers, and those that are normal
    -- (anything else is flagged 'abnormal').
    choices         text[],
    normal_choices  text[],
    source          text NOT NULL CHECK (length(btrim(source)) BETWEEN 1 AND 200),
    active          boolean NOT NULL DEFAULT true,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- What the order form's search matches: code and both names, folded.
    search          text GENERATED ALWAYS AS
                    (ehr.icd10_fold(code || ' ' || name_es || ' ' || name_en)) STORED,
    CHECK (plausible_low IS NULL OR plausible_high IS NULL OR plausible_low < plausible_high),
    CHECK (kind = 'numeric' OR (plausible_low IS NULL AND plausible_high IS NULL)),
    CHECK ((kind = 'coded') = (choices IS NOT NULL)),
    CHECK (choices IS NULL OR cardinality(choices) BETWEEN 2 AND 20),
    CHECK (normal_choices IS NULL OR (kind <> 'numeric' AND cardinality(normal_choices) >= 1)),
    CHECK (choices IS NULL OR normal_choices IS NULL OR normal_choices <@ choices)
);
CREATE INDEX analytes_search_trgm ON lab.analytes USING gin (search public.gin_trgm_ops);

-- ------------------------------------------------------------ ranges

CREATE TABLE lab.ranges (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    analyte         text NOT NULL REFERENCES lab.analytes(code),
    -- 'any' applies to both sexes and to a patient whose sex is unknown.
    sex             text NOT NULL CHECK (sex IN ('female', 'male', 'any')),
    -- Age at collection in days, [age_min_days, age_max_days): the upper
    -- bound excluded, NULL = no upper bound. Days, because newborns'
    -- ranges change within weeks.
    age_min_days    integer NOT NULL DEFAULT 0 CHECK (age_min_days >= 0),
    age_max_days    integer CHECK (age_max_days > age_min_days),
    -- Reference interval; either end may be open (NULL): HDL has no
    -- upper limit, troponin no lower one.
    low             numeric,
    high            numeric,
    -- Critical (panic) limits: a value at or beyond them must reach the
    -- doctor at once (025). NULL: none.
    critical_low    numeric,
    critical_high   numeric,
    source          text NOT NULL CHECK (length(btrim(source)) BETWEEN 1 AND 200),
    CHECK (low IS NOT NULL OR high IS NOT NULL),
    CHECK (low IS NULL OR high IS NULL OR low < high),
    CHECK (critical_low IS NULL OR low IS NULL OR critical_low < low),
    CHECK (critical_high IS NULL OR high IS NULL OR critical_high > high),
    CHECK (critical_low IS NULL OR critical_high IS NULL OR critical_low < critical_high),
    -- One range per analyte, sex and age: a lookup never finds two.
    CONSTRAINT ranges_no_overlap EXCLUDE USING gist
        (analyte WITH =, sex WITH =, int4range(age_min_days, age_max_days) WITH &&)
);

-- ------------------------------------------------------------ panels

CREATE TABLE lab.panels (
    -- The LOINC panel code ('58410-2' CBC panel).
    code        text PRIMARY KEY CHECK (code ~ '^[0-9]{1,7}-[0-9]$'),
    name_es     text NOT NULL CHECK (length(btrim(name_es)) BETWEEN 1 AND 200),
    name_en     text NOT NULL CHECK (length(btrim(name_en)) BETWEEN 1 AND 200),
    source      text NOT NULL CHECK (length(btrim(source)) BETWEEN 1 AND 200),
    active      boolean NOT NULL DEFAULT true,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    search      text GENERATED ALWAYS AS
                (ehr.icd10_fold(code || ' ' || name_es || ' ' || name_en)) STORED
);
CREATE INDEX panels_search_trgm ON lab.panels USING gin (search public.gin_trgm_ops);

CREATE TABLE lab.panel_members (
    panel     text NOT NULL REFERENCES lab.panels(code),
    analyte   text NOT NULL REFERENCES lab.analytes(code),
    -- Order on the form and the report (1, 2, ...).
    position  smallint NOT NULL CHECK (position BETWEEN 1 AND 200),
    PRIMARY KEY (panel, analyte),
    UNIQUE (panel, position)
);
CREATE INDEX panel_members_analyte ON lab.panel_members (analyte);

-- ------------------------------------------------------------ units

-- value_in_to_unit = value_in_from_unit * factor. analyte NULL: any
-- analyte (g/L -> g/dL); otherwise that analyte only (glucose mg/dL ->
-- mmol/L depends on its molar mass). Either direction of a row serves.
CREATE TABLE lab.unit_conversions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    analyte    text REFERENCES lab.analytes(code),
    from_unit  text NOT NULL CHECK (length(from_unit) BETWEEN 1 AND 40 AND from_unit !~ '\s'),
    to_unit    text NOT NULL CHECK (length(to_unit) BETWEEN 1 AND 40 AND to_unit !~ '\s'),
    factor     numeric NOT NULL CHECK (factor > 0),
    source     text NOT NULL CHECK (length(btrim(source)) BETWEEN 1 AND 200),
    CHECK (from_unit <> to_unit),
    CONSTRAINT unit_conversions_key UNIQUE NULLS NOT DISTINCT (analyte, from_unit, to_unit)
);

-- p_value given in p_unit, in the analyte's canonical unit: the same
-- value when the unit is the canonical one, else through the analyte's
-- own conversion (preferred) or a general one, in either direction,
-- rounded to the analyte's decimals + 2 (a division leaves 20 digits).
-- NULL when no conversion is known: the caller refuses the value.
CREATE FUNCTION lab.convert_value(p_analyte text, p_unit text, p_value numeric) RETURNS numeric
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN a.unit = coalesce(p_unit, '') THEN p_value
                ELSE round(p_value * c.mult, a.decimals + 2) END
      FROM lab.analytes a
      LEFT JOIN LATERAL (
          SELECT x.mult FROM (
              SELECT u.factor AS mult, u.analyte IS NULL AS general, 0 AS dir
                FROM lab.unit_conversions u
               WHERE u.from_unit = p_unit AND u.to_unit = a.unit
                 AND (u.analyte = a.code OR u.analyte IS NULL)
              UNION ALL
              SELECT 1 / u.factor, u.analyte IS NULL, 1
                FROM lab.unit_conversions u
               WHERE u.to_unit = p_unit AND u.from_unit = a.unit
                 AND (u.analyte = a.code OR u.analyte IS NULL)) x
           ORDER BY x.general, x.dir LIMIT 1) c ON true
     WHERE a.code = p_analyte AND (a.unit = coalesce(p_unit, '') OR c.mult IS NOT NULL)
$$;

-- ------------------------------------------------------------ the flag

-- The reference range and flag of one result. p_sex 'female', 'male' or
-- NULL (unknown); p_birth the patient's birth date (NULL: unknown); p_at
-- the collection time (NULL: now); p_value for numeric analytes, p_text
-- for coded and text ones. Always one row.
--
-- Which range: the age at collection in whole days (collection date in
-- the clinic's time zone minus the birth date) picks the band with
-- age_min_days <= age < age_max_days. A known sex uses its own row, else
-- the 'any' row. An unknown sex uses the 'any' row, else the union of the
-- female and male rows (the widest interval: flagged only when it would
-- be for both sexes; an open end on either side stays open). An unknown
-- birth date matches only bands covering every age.
--
-- The flag (docs/lab.md, "Flags"): critical_low when value <=
-- critical_low; critical_high when value >= critical_high; else low when
-- value < low; high when value > high; else normal (a value equal to low
-- or high is normal; one equal to a critical limit is critical). Coded
-- and text results: normal when the answer (trimmed, case folded) is one
-- of normal_choices, else abnormal. flag NULL when no range applies or
-- no value is given.
CREATE FUNCTION lab.compute_flag(p_analyte text, p_sex text, p_birth date, p_at timestamptz,
                                 p_value numeric, p_text text)
    RETURNS TABLE (flag text, low numeric, high numeric, critical_low numeric, critical_high numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    a      lab.analytes;
    age    integer;
    r      record;
BEGIN
    SELECT * INTO a FROM lab.analytes WHERE code = p_analyte;
    IF NOT FOUND THEN
        RETURN QUERY SELECT NULL::text, NULL::numeric, NULL::numeric, NULL::numeric, NULL::numeric;
        RETURN;
    END IF;
    IF a.kind <> 'numeric' THEN
        RETURN QUERY SELECT CASE
            WHEN a.normal_choices IS NULL OR nullif(btrim(p_text), '') IS NULL THEN NULL
            WHEN lower(btrim(p_text)) = ANY (SELECT lower(c) FROM unnest(a.normal_choices) c) THEN 'normal'
            ELSE 'abnormal' END, NULL::numeric, NULL::numeric, NULL::numeric, NULL::numeric;
        RETURN;
    END IF;
    age := (coalesce(p_at, now()) AT TIME ZONE
            coalesce((SELECT s.time_zone FROM clinic.settings s WHERE s.id = 1), 'Europe/Madrid'))::date
           - p_birth;
    -- The candidate rows for this age: every band when the age is known,
    -- only all-ages bands when it is not.
    SELECT
        -- the sex's own row, else 'any', else (unknown sex) the union
        CASE WHEN bool_or(g.sex = p_sex) THEN min(g.low) FILTER (WHERE g.sex = p_sex)
             WHEN bool_or(g.sex = 'any') THEN min(g.low) FILTER (WHERE g.sex = 'any')
             WHEN p_sex IS NULL AND count(*) = count(g.low) THEN min(g.low) END AS low,
        CASE WHEN bool_or(g.sex = p_sex) THEN max(g.high) FILTER (WHERE g.sex = p_sex)
             WHEN bool_or(g.sex = 'any') THEN max(g.high) FILTER (WHERE g.sex = 'any')
             WHEN p_sex IS NULL AND count(*) = count(g.high) THEN max(g.high) END AS high,
        CASE WHEN bool_or(g.sex = p_sex) THEN min(g.critical_low) FILTER (WHERE g.sex = p_sex)
             WHEN bool_or(g.sex = 'any') THEN min(g.critical_low) FILTER (WHERE g.sex = 'any')
             WHEN p_sex IS NULL AND count(*) = count(g.critical_low) THEN min(g.critical_low) END AS clow,
        CASE WHEN bool_or(g.sex = p_sex) THEN max(g.critical_high) FILTER (WHERE g.sex = p_sex)
             WHEN bool_or(g.sex = 'any') THEN max(g.critical_high) FILTER (WHERE g.sex = 'any')
             WHEN p_sex IS NULL AND count(*) = count(g.critical_high) THEN max(g.critical_high) END AS chigh,
        bool_or(g.sex = p_sex) OR bool_or(g.sex = 'any') OR (p_sex IS NULL AND count(*) > 0) AS applies
      INTO r
      FROM lab.ranges g
     WHERE g.analyte = p_analyte
       AND (g.sex = 'any' OR g.sex = coalesce(p_sex, g.sex))
       AND CASE WHEN age IS NULL THEN g.age_min_days = 0 AND g.age_max_days IS NULL
                ELSE age >= g.age_min_days AND (g.age_max_days IS NULL OR age < g.age_max_days) END;
    IF NOT coalesce(r.applies, false) THEN
        RETURN QUERY SELECT NULL::text, NULL::numeric, NULL::numeric, NULL::numeric, NULL::numeric;
        RETURN;
    END IF;
    RETURN QUERY SELECT CASE
        WHEN p_value IS NULL THEN NULL
        WHEN p_value <= r.clow THEN 'critical_low'
        WHEN p_value >= r.chigh THEN 'critical_high'
        WHEN p_value < r.low THEN 'low'
        WHEN p_value > r.high THEN 'high'
        ELSE 'normal' END, r.low, r.high, r.clow, r.chigh;
END
$$;

-- The catalogs are changed by medsysctl (the migration role) only.
REVOKE ALL ON lab.analytes, lab.ranges, lab.panels, lab.panel_members, lab.unit_conversions
    FROM medsys_app;
GRANT USAGE ON SCHEMA lab TO medsys_app;
GRANT SELECT ON lab.analytes, lab.ranges, lab.panels, lab.panel_members, lab.unit_conversions
    TO medsys_app;
GRANT EXECUTE ON FUNCTION lab.compute_flag(text, text, date, timestamptz, numeric, text) TO medsys_app;
GRANT EXECUTE ON FUNCTION lab.convert_value(text, text, numeric) TO medsys_app;
