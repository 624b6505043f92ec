-- The prescription catalogs (issue 10; docs/catalogs.md): the formulary
-- (rx.products), the interaction pairs (rx.interactions) and the words
-- people use for drug allergies (rx.allergy_terms). Data, not code: the
-- files under data/formulary/ are loaded by `medsysctl import formulary |
-- interactions | allergy-terms` (sql/import/formulary.sql), run as the
-- migration role; the application only reads them.
--
-- A product is never deleted: a signed prescription names it for ever. A
-- product a newer file drops is marked inactive (only when the import is
-- told to: --retire-missing), so it can no longer be prescribed.

CREATE TABLE rx.products (
    -- The project's stable id: generic name, strength, form, in lowercase
    -- ASCII with dashes ('amoxicillin-500mg-caps'). Prescriptions keep it.
    code        text PRIMARY KEY CHECK (code ~ '^[a-z0-9]+(-[a-z0-9.]+)*$' AND length(code) <= 80),
    -- The WHO ATC code of the product's substance(s): 7 characters, e.g.
    -- J01CA04 (anatomical group, two digits, two letters, two digits).
    atc         text NOT NULL CHECK (atc ~ '^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$'),
    -- Active ingredients by INN, lowercase English ('sulfamethoxazole',
    -- 'trimethoprim'): what allergy and interaction checks compare.
    ingredients text[] NOT NULL CHECK (cardinality(ingredients) BETWEEN 1 AND 6),
    -- Drug classes for class allergies, duplicate therapy and class
    -- interactions ('penicillins', 'nsaids', 'ssri'...); may be empty.
    classes     text[] NOT NULL DEFAULT '{}' CHECK (cardinality(classes) <= 12),
    -- As people read it: generic name, strength and form.
    name_es     text NOT NULL CHECK (length(btrim(name_es)) BETWEEN 1 AND 200),
    name_en     text NOT NULL CHECK (length(btrim(name_en)) BETWEEN 1 AND 200),
    -- Brand names, comma-separated: searched, never shown as the product.
    brands      text NOT NULL DEFAULT '' CHECK (length(brands) <= 400),
    strength    text NOT NULL CHECK (length(btrim(strength)) BETWEEN 1 AND 80),
    dose_form   text NOT NULL CHECK (dose_form ~ '^[a-z][a-z_]*$' AND length(dose_form) <= 40),
    -- The values of ehr.medication_versions.route (012), so that a
    -- prescription's item can become a medication of the record.
    route       text NOT NULL
                CHECK (route IN ('oral', 'topical', 'inhaled', 'subcutaneous', 'intramuscular',
                                 'intravenous', 'ophthalmic', 'nasal', 'rectal', 'vaginal',
                                 'transdermal', 'sublingual', 'other')),
    -- The unit one dose is counted in ('tablet', 'mL', 'puff'...).
    dose_unit   text NOT NULL CHECK (dose_unit ~ '^[a-zA-Z_]+$' AND length(dose_unit) <= 20),
    -- mg of the first ingredient in one dose_unit; NULL where a dose is
    -- not counted in mg (insulin units, vaccines, creams).
    unit_mg     numeric CHECK (unit_mg > 0),
    -- Adult maximum per day in mg of the first ingredient, where well
    -- established; a child's per kg of body weight. NULL: no check.
    max_daily_mg    numeric CHECK (max_daily_mg > 0),
    max_daily_mg_kg numeric CHECK (max_daily_mg_kg > 0),
    pregnancy   text NOT NULL DEFAULT 'unknown'
                CHECK (pregnancy IN ('avoid', 'caution', 'compatible', 'unknown')),
    -- On the WHO Model List of Essential Medicines (2023).
    eml         boolean NOT NULL DEFAULT false,
    -- Where the row's facts come from (data/formulary/README.md).
    source      text NOT NULL CHECK (length(btrim(source)) BETWEEN 1 AND 200),
    active      boolean NOT NULL DEFAULT true,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- What the search matches: the names in both languages, the brands,
    -- the ATC code and the code, folded (lowercase, no accents).
    search      text GENERATED ALWAYS AS
                (ehr.icd10_fold(code || ' ' || atc || ' ' || name_es || ' ' || name_en || ' ' || brands)) STORED
);

CREATE INDEX products_search_trgm ON rx.products USING gin (search public.gin_trgm_ops);
-- "J01C" lists the penicillins: a prefix range on the ATC code.
CREATE INDEX products_atc_prefix ON rx.products (atc text_pattern_ops);
-- The checks ask "which products hold this ingredient / class".
CREATE INDEX products_ingredients ON rx.products USING gin (ingredients);
CREATE INDEX products_classes ON rx.products USING gin (classes);

-- What an interaction or allergy row names: an ingredient (INN, lowercase),
-- 'class:NAME' (a value of rx.products.classes) or 'atc:PREFIX'.
CREATE DOMAIN rx.drug_ref AS text
    CHECK (VALUE ~ '^(class:[a-z0-9_]+|atc:[A-Z][0-9A-Z]{0,6}|[a-z][a-z0-9 -]*[a-z0-9])$'
           AND length(VALUE) <= 80);

CREATE TABLE rx.interactions (
    -- One row per unordered pair: a sorts before b byte by byte (the
    -- import orders them), so (x, y) and (y, x) cannot both exist.
    a         rx.drug_ref NOT NULL,
    b         rx.drug_ref NOT NULL,
    severity  text NOT NULL CHECK (severity IN ('contraindicated', 'major', 'moderate')),
    effect_es text NOT NULL CHECK (length(btrim(effect_es)) BETWEEN 1 AND 300),
    effect_en text NOT NULL CHECK (length(btrim(effect_en)) BETWEEN 1 AND 300),
    source    text NOT NULL CHECK (length(btrim(source)) BETWEEN 1 AND 200),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (a, b),
    CHECK (a::text COLLATE "C" < b::text COLLATE "C")
);
CREATE INDEX interactions_b ON rx.interactions (b);

CREATE TABLE rx.allergy_terms (
    -- Folded like the search (ehr.icd10_fold): 'penicilina', 'aines',
    -- 'sulfa'. An allergy recorded as free text is folded and compared.
    term      text NOT NULL CHECK (length(term) BETWEEN 2 AND 80 AND term = ehr.icd10_fold(term)),
    matches   rx.drug_ref NOT NULL,
    source    text NOT NULL CHECK (length(btrim(source)) BETWEEN 1 AND 200),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (term, matches)
);

-- true when what (an ingredient, 'class:X' or 'atc:PREFIX') names the
-- product p: the one test the allergy, duplicate and interaction checks
-- share. IMMUTABLE: it reads nothing but its arguments.
CREATE FUNCTION rx.product_matches(p rx.products, what text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN CASE
        WHEN starts_with(what, 'class:') THEN substr(what, 7) = ANY (p.classes)
        WHEN starts_with(what, 'atc:') THEN length(what) > 4 AND starts_with(p.atc, substr(what, 5))
        ELSE what = ANY (p.ingredients)
    END;

-- The LIKE patterns of the words of q for a folded search column: each
-- word folded (ehr.icd10_fold) as '%word%' with \ % _ escaped, the longest
-- first (the one a trigram index looks up, the others filter); empty when
-- no word has three letters (shorter ones have no trigram). The ICD-10
-- picker (sql/queries/icd10.sql) and rx.product_search share it.
CREATE FUNCTION ehr.search_patterns(q text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN ARRAY(SELECT '%' || replace(replace(replace(w, '\', '\\'), '%', '\%'), '_', '\_') || '%'
                   FROM unnest(string_to_array(ehr.icd10_fold(btrim(q)), ' ')) AS w
                  WHERE w <> ''
                    AND (SELECT max(length(x)) FROM unnest(string_to_array(ehr.icd10_fold(btrim(q)), ' ')) AS x) >= 3
                  ORDER BY length(w) DESC, w);

-- The active products matching what a doctor typed, best first (pos 1..):
-- the formulary page and the prescribing form's picker share it
-- (sql/queries/formulary.sql). q is an ATC code or its start ("J01C",
-- "j01ca04": those codes, by code), or words in any order, with or without
-- accents, found in either language's name, the brands, the ATC code or
-- the product code ("amoxicilina 500", "ibuprofen", "nolotil"); one word at
-- least three letters long. lang ('es' or 'en') orders names starting
-- with the first word first, then those on the WHO Model List, then
-- alphabetically in that language (accents folded: "cápsula" before
-- "comprimido" whatever the database's collation).
CREATE FUNCTION rx.product_search(q text, lang text, max_rows integer)
    RETURNS TABLE (code text, pos bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    WITH k AS MATERIALIZED (
        SELECT upper(btrim(q)) AS atc, ehr.search_patterns(q) AS patterns,
               split_part(ehr.icd10_fold(btrim(q)), ' ', 1) AS first
    ), hits AS (
        -- an ATC code's start: the prefix index (letters and digits only,
        -- so atc || '~' bounds the range)
        SELECT p.code, true AS by_atc
          FROM k, rx.products p
         WHERE k.atc ~ '^[A-Z][0-9]{2}([A-Z]([A-Z]([0-9]{1,2})?)?)?$'
           AND p.atc ~>=~ k.atc AND p.atc ~<~ (k.atc || '~')
        UNION ALL
        SELECT p.code, false
          FROM k, rx.products p
         WHERE cardinality(k.patterns) > 0
           AND p.search LIKE k.patterns[1] AND p.search LIKE ALL (k.patterns)
    )
    SELECT p.code,
           row_number() OVER (ORDER BY h.by_atc DESC,
                              ehr.icd10_fold(CASE WHEN lang = 'en' THEN p.name_en ELSE p.name_es END)
                                  LIKE (k.first || '%') DESC,
                              p.eml DESC,
                              ehr.icd10_fold(CASE WHEN lang = 'en' THEN p.name_en ELSE p.name_es END),
                              p.code)
      FROM (SELECT hits.code, bool_or(hits.by_atc) AS by_atc FROM hits GROUP BY hits.code) h
      JOIN rx.products p ON p.code = h.code
     CROSS JOIN k
     WHERE p.active
     ORDER BY 2
     LIMIT greatest(least(max_rows, 100), 1)
$$;

-- The catalogs are changed by medsysctl (the migration role) only.
REVOKE ALL ON rx.products, rx.interactions, rx.allergy_terms FROM medsys_app;
GRANT SELECT ON rx.products, rx.interactions, rx.allergy_terms TO medsys_app;
GRANT EXECUTE ON FUNCTION rx.product_matches(rx.products, text) TO medsys_app;
GRANT EXECUTE ON FUNCTION rx.product_search(text, text, integer) TO medsys_app;
GRANT EXECUTE ON FUNCTION ehr.search_patterns(text) TO medsys_app;
