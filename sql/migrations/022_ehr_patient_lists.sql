-- One patient's current list entries, per kind, read through the items
-- index instead of the whole clinic.
--
-- The views of 012 (ehr.problems, ehr.allergies, ...) take the newest
-- version of every item with DISTINCT ON (item_id): a filter on
-- patient_id cannot be pushed below that DISTINCT ON (patient_id is not
-- one of its columns), so "this patient's allergies" through a view
-- computed every patient's first. The FHIR export read six lists that
-- way: its time grew with the clinic, not with the patient. These
-- functions return the same rows as the views for one patient, start
-- from items_patient (patient_id, kind, id), and are plain SQL so that
-- PostgreSQL inlines them into the caller's plan (as ehr.patient_vitals
-- of 014 does).
DO $$
DECLARE
    k record;
BEGIN
    FOR k IN SELECT * FROM (VALUES ('problems', 'problem', 'problem_versions'),
                                   ('allergies', 'allergy', 'allergy_versions'),
                                   ('medications', 'medication', 'medication_versions'),
                                   ('immunizations', 'immunization', 'immunization_versions'),
                                   ('family', 'family', 'family_versions'),
                                   ('social', 'social', 'social_versions')) t(view, kind, versions)
    LOOP
        EXECUTE format(
            'CREATE FUNCTION ehr.%I(p_patient bigint) RETURNS SETOF ehr.%I LANGUAGE sql STABLE AS $f$'
            '    SELECT DISTINCT ON (v.item_id) i.patient_id, i.created_by, i.created_at, v.*'
            '      FROM ehr.items i JOIN ehr.%I v ON v.item_id = i.id'
            '     WHERE i.patient_id = p_patient AND i.kind = %L'
            '     ORDER BY v.item_id, v.version DESC $f$',
            'patient_' || k.view, k.view, k.versions, k.kind);
        EXECUTE format('GRANT EXECUTE ON FUNCTION ehr.%I(bigint) TO medsys_app', 'patient_' || k.view);
    END LOOP;
END
$$;
