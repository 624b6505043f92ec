-- The canonical text of a signed visit note and of an addendum, and its
-- SHA-256, in SQL: the same bytes fcgi/lib/notehash.c builds (docs/record.md
-- "Visit notes" defines them; tests/unit/test_notehash.c and the notes
-- integration test check that both agree). The application hashes in C
-- when it signs and recomputes on display; these functions let the demo
-- data, reports and an administrator's query compute or re-check the
-- same hash inside the database.

-- A note: fields in a fixed order, each with its byte length; the
-- diagnosis codes distinct and in byte order.
CREATE FUNCTION ehr.note_canonical(p_encounter bigint, p_subjective text, p_objective text,
                                   p_assessment text, p_codes text[], p_plan text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 'medsys-note-1' || E'\n'
        || 'encounter:' || p_encounter || E'\n'
        || 'subjective:' || octet_length(p_subjective) || E'\n' || p_subjective || E'\n'
        || 'objective:' || octet_length(p_objective) || E'\n' || p_objective || E'\n'
        || 'assessment:' || octet_length(p_assessment) || E'\n' || p_assessment || E'\n'
        || 'diagnoses:' || (SELECT count(DISTINCT c) FROM unnest(p_codes) c) || E'\n'
        || coalesce((SELECT string_agg(c || E'\n', '' ORDER BY c COLLATE "C")
                       FROM (SELECT DISTINCT c FROM unnest(p_codes) c) d), '')
        || 'plan:' || octet_length(p_plan) || E'\n' || p_plan || E'\n'
$$;

-- The hash of one saved draft version of a note, as its signature stores it.
CREATE FUNCTION ehr.note_version_hash(p_encounter bigint, p_version integer)
RETURNS bytea LANGUAGE sql STABLE AS $$
    SELECT sha256(convert_to(ehr.note_canonical(v.encounter_id, v.subjective, v.objective, v.assessment,
                  ARRAY(SELECT d.code FROM ehr.note_diagnoses d
                         WHERE d.encounter_id = v.encounter_id AND d.version = v.version),
                  v.plan), 'UTF8'))
      FROM ehr.note_versions v
     WHERE v.encounter_id = p_encounter AND v.version = p_version
$$;

-- An addendum, chained to the signed note's hash.
CREATE FUNCTION ehr.addendum_canonical(p_encounter bigint, p_note_hash bytea, p_body text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 'medsys-addendum-1' || E'\n'
        || 'encounter:' || p_encounter || E'\n'
        || 'note:' || encode(p_note_hash, 'hex') || E'\n'
        || 'body:' || octet_length(p_body) || E'\n' || p_body || E'\n'
$$;

CREATE FUNCTION ehr.addendum_hash(p_encounter bigint, p_note_hash bytea, p_body text)
RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT sha256(convert_to(ehr.addendum_canonical(p_encounter, p_note_hash, p_body), 'UTF8'))
$$;

-- The version of each encounter's note that pages show: the signed one,
-- else the newest draft (NULL: nothing saved yet).
CREATE VIEW ehr.note_current AS
    SELECT e.id AS encounter_id, e.patient_id, s.encounter_id IS NOT NULL AS signed,
           coalesce(s.version, (SELECT max(v.version) FROM ehr.note_versions v
                                 WHERE v.encounter_id = e.id)) AS version
      FROM ehr.encounters e
      LEFT JOIN ehr.note_signatures s ON s.encounter_id = e.id;

GRANT SELECT ON ehr.note_current TO medsys_app;
GRANT EXECUTE ON FUNCTION ehr.note_canonical(bigint, text, text, text, text[], text),
                          ehr.note_version_hash(bigint, integer),
                          ehr.addendum_canonical(bigint, bytea, text),
                          ehr.addendum_hash(bigint, bytea, text) TO medsys_app;
