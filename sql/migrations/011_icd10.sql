-- The ICD-10 code catalog (ehr.icd10_codes): data/icd10/ loaded by
-- `medsysctl import icd10` (docs/catalogs.md). The record's problem list and
-- visit diagnoses reference it. Codes are never deleted: a code a record
-- uses must stay readable; one a release drops can be marked inactive.

-- Trigram indexes for the picker's "words anywhere in the title" search,
-- and accent folding so that "hipertension" finds "hipertensión". Both are
-- in postgresql-contrib and trusted: the database owner may create them.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;

-- Lowercase without accents, for search. IMMUTABLE so that a stored
-- column can use it: it names the unaccent dictionary explicitly, so no
-- search_path change alters what it returns.
CREATE FUNCTION ehr.icd10_fold(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, t));

CREATE TABLE ehr.icd10_codes (
    code      text PRIMARY KEY
              CHECK (code ~ '^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$'),
    -- The code without its dot, as typed in a hurry ("J459") and as the
    -- CMS files write it.
    code_key  text GENERATED ALWAYS AS (replace(code, '.', '')) STORED UNIQUE,
    -- The three-character category ("J45") the code belongs to.
    category  text GENERATED ALWAYS AS (left(code, 3)) STORED,
    chapter   smallint NOT NULL CHECK (chapter BETWEEN 1 AND 22),
    -- 1: a code to record (no subdivisions); 0: a heading.
    leaf      boolean NOT NULL,
    -- NULL until a catalog with Spanish titles gives one (the CMS release
    -- is English only); pages show the English title meanwhile.
    title_es  text CHECK (title_es <> '' AND length(title_es) <= 600),
    title_en  text NOT NULL CHECK (title_en <> '' AND length(title_en) <= 600),
    -- Which file last wrote the row ("data/icd10/primary-care.tsv",
    -- "icd10cm_order_2025.txt", or what --release said).
    source    text NOT NULL CHECK (source <> ''),
    active    boolean NOT NULL DEFAULT true,
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- What the picker searches: the code and both titles, folded.
    search    text GENERATED ALWAYS AS
              (ehr.icd10_fold(code || ' ' || coalesce(title_es, '') || ' ' || title_en)) STORED
);

CREATE INDEX icd10_codes_code_key_prefix ON ehr.icd10_codes (code_key text_pattern_ops);
CREATE INDEX icd10_codes_search_trgm ON ehr.icd10_codes USING gin (search public.gin_trgm_ops);

-- The catalog is changed by medsysctl (the migration role) only: the
-- application reads it.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ehr.icd10_codes FROM medsys_app;
GRANT SELECT ON ehr.icd10_codes TO medsys_app;
GRANT EXECUTE ON FUNCTION ehr.icd10_fold(text) TO medsys_app;
