-- export: a patient's record as a FHIR R4 Bundle (docs/record.md "FHIR
-- export"), built by PostgreSQL as JSON in one statement: GET
-- /record/export.json and `medsysctl export-fhir` run the same one.
--
-- Every resource has a stable urn:uuid (md5 of its kind and row id) so a
-- second export of the same record names the same resources. Only the
-- current version of each entry is exported (the history stays in the
-- record); entries marked entered in error are exported with that status,
-- as FHIR asks. Codes: ICD-10 (http://hl7.org/fhir/sid/icd-10), LOINC for
-- vital signs with UCUM units (the vital-signs profile's codes), SNOMED CT
-- 716186003 for "no known allergy" (as the International Patient Summary
-- does), HL7 terminology code systems for statuses and categories. Lab
-- results: released ones only, an Observation each (LOINC, UCUM,
-- interpretation, reference range) and a DiagnosticReport per order.

-- name: export_fhir
-- $1 patient's user id, $2 the clinic's base URL (identifier systems).
-- One row, one column: the Bundle (text); no row when $1 is no patient.
WITH
pat AS (
    SELECT u.*, 'urn:uuid:' || md5('patient:' || u.id)::uuid AS urn
      FROM auth.users u
     WHERE u.id = $1::bigint
       AND EXISTS (SELECT 1 FROM auth.user_roles r WHERE r.user_id = u.id AND r.role = 'patient')
),
ts AS (
    SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS now
),
problems AS (
    SELECT p.*, c.title_en, coalesce(CASE WHEN pat.language = 'es' THEN c.title_es END, c.title_en) AS title
      FROM pat, ehr.patient_problems(pat.id) p
      JOIN ehr.icd10_codes c ON c.code = p.code
),
enc AS (
    SELECT e.*, d.display_name, d.licence_number, a.mode,
           s.signed_at, s.version AS signed_version,
           'urn:uuid:' || md5('encounter:' || e.id)::uuid AS urn,
           'urn:uuid:' || md5('practitioner:' || e.doctor_id)::uuid AS doctor_urn
      FROM ehr.encounters e JOIN pat ON pat.id = e.patient_id
      JOIN clinic.doctors d ON d.id = e.doctor_id
      LEFT JOIN appt.appointments a ON a.id = e.appointment_id
      LEFT JOIN ehr.note_signatures s ON s.encounter_id = e.id
),
vit AS (
    -- The patient's readings only (ehr.patient_vitals, migration 014):
    -- the ehr.vitals view would sort every patient's first.
    SELECT v.* FROM pat, ehr.patient_vitals(pat.id) v
),
-- One row per measure of a vital-sign set (BMI when weight and height
-- were measured together).
measures AS (
    SELECT v.item_id, v.taken_at, v.status, m.*
      FROM vit v
     CROSS JOIN LATERAL (VALUES
        ('heart_rate', '8867-4', 'Heart rate', v.heart_rate::numeric, '/min', '/min', 'vital-signs'),
        ('temperature', '8310-5', 'Body temperature', v.temperature, 'Cel', 'Cel', 'vital-signs'),
        ('weight', '29463-7', 'Body weight', v.weight, 'kg', 'kg', 'vital-signs'),
        ('height', '8302-2', 'Body height', v.height, 'cm', 'cm', 'vital-signs'),
        ('bmi', '39156-5', 'Body mass index (BMI) [Ratio]',
         round(v.weight / ((v.height / 100) ^ 2), 1), 'kg/m2', 'kg/m2', 'vital-signs'),
        ('spo2', '2708-6', 'Oxygen saturation in Arterial blood', v.spo2::numeric, '%', '%', 'vital-signs'),
        ('glucose', '2339-0', 'Glucose [Mass/volume] in Blood', v.glucose::numeric, 'mg/dL', 'mg/dL', 'laboratory')
     ) AS m(measure, loinc, display, value, unit, ucum, category)
     WHERE m.value IS NOT NULL
),
-- Released lab results only (lab.released_results, migration 025): per
-- order and analyte the newest released version, reached through the
-- patient's orders (the view's DISTINCT ON is on order and analyte).
labres AS (
    SELECT rr.*, a.name_en, o.order_code, coalesce(o.collected_at, o.created_at) AS taken_at,
           'urn:uuid:' || md5('lab-result:' || rr.order_id || ':' || rr.analyte)::uuid AS urn,
           'urn:uuid:' || md5('lab-report:' || rr.order_id)::uuid AS report_urn,
           CASE WHEN rr.unit <> '' THEN jsonb_build_object('unit', rr.unit,
                'system', 'http://unitsofmeasure.org', 'code', rr.unit) ELSE '{}'::jsonb END AS ucum
      FROM pat
      JOIN lab.orders o ON o.patient_id = pat.id
     CROSS JOIN LATERAL (SELECT * FROM lab.released_results x WHERE x.order_id = o.id) rr
      JOIN lab.analytes a ON a.code = rr.analyte
),
resources AS (
    -- The patient.
    SELECT 0 AS ord, pat.urn AS url, jsonb_strip_nulls(jsonb_build_object(
        'resourceType', 'Patient',
        'identifier', jsonb_build_array(jsonb_build_object(
            'system', $2::text || '/patients', 'value', pat.id::text)),
        'active', pat.disabled_at IS NULL,
        'name', jsonb_build_array(jsonb_build_object('text', pat.full_name)),
        -- A walk-in not yet claimed has no address (migration 027); FHIR
        -- takes no empty array, so no telecom at all then.
        'telecom', nullif(CASE WHEN pat.email IS NOT NULL THEN jsonb_build_array(jsonb_build_object(
                              'system', 'email', 'value', pat.email)) ELSE '[]'::jsonb END
                   || CASE WHEN pat.phone <> '' THEN jsonb_build_array(jsonb_build_object(
                          'system', 'phone', 'value', pat.phone)) ELSE '[]'::jsonb END, '[]'::jsonb),
        'birthDate', to_char(pat.birth_date, 'YYYY-MM-DD'),
        'communication', jsonb_build_array(jsonb_build_object(
            'language', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
                'system', 'urn:ietf:bcp:47', 'code', pat.language))),
            'preferred', true)))) AS res
      FROM pat

    UNION ALL
    -- The doctors of the encounters.
    SELECT DISTINCT ON (enc.doctor_id) 1, enc.doctor_urn, jsonb_build_object(
        'resourceType', 'Practitioner',
        'identifier', jsonb_build_array(jsonb_build_object(
            'system', $2::text || '/licences', 'value', enc.licence_number)),
        'name', jsonb_build_array(jsonb_build_object('text', enc.display_name)))
      FROM enc

    UNION ALL
    -- The problem list.
    SELECT 2, 'urn:uuid:' || md5('problem:' || p.item_id)::uuid, jsonb_strip_nulls(jsonb_build_object(
        'resourceType', 'Condition',
        'meta', jsonb_build_object('versionId', p.version::text),
        'clinicalStatus', CASE WHEN p.status <> 'entered_in_error' THEN jsonb_build_object(
            'coding', jsonb_build_array(jsonb_build_object(
                'system', 'http://terminology.hl7.org/CodeSystem/condition-clinical',
                'code', p.status))) END,
        'verificationStatus', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
            'code', CASE WHEN p.status = 'entered_in_error' THEN 'entered-in-error' ELSE 'confirmed' END))),
        'category', jsonb_build_array(jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://terminology.hl7.org/CodeSystem/condition-category',
            'code', 'problem-list-item')))),
        'code', jsonb_build_object(
            'coding', jsonb_build_array(jsonb_build_object(
                'system', 'http://hl7.org/fhir/sid/icd-10', 'code', p.code, 'display', p.title_en)),
            'text', p.title),
        'subject', jsonb_build_object('reference', (SELECT urn FROM pat)),
        'onsetDateTime', to_char(p.onset, 'YYYY-MM-DD'),
        'abatementDateTime', to_char(p.resolved_on, 'YYYY-MM-DD'),
        'recordedDate', to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        'note', CASE WHEN p.note <> '' THEN jsonb_build_array(jsonb_build_object('text', p.note)) END))
      FROM problems p

    UNION ALL
    -- The diagnoses of signed visit notes.
    SELECT 3, 'urn:uuid:' || md5('diagnosis:' || e.id || ':' || d.code)::uuid, jsonb_build_object(
        'resourceType', 'Condition',
        'verificationStatus', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://terminology.hl7.org/CodeSystem/condition-ver-status', 'code', 'confirmed'))),
        'category', jsonb_build_array(jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://terminology.hl7.org/CodeSystem/condition-category',
            'code', 'encounter-diagnosis')))),
        'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://hl7.org/fhir/sid/icd-10', 'code', d.code, 'display', c.title_en))),
        'subject', jsonb_build_object('reference', (SELECT urn FROM pat)),
        'encounter', jsonb_build_object('reference', e.urn),
        'recordedDate', to_char(e.signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
      FROM enc e
      JOIN ehr.note_diagnoses d ON d.encounter_id = e.id AND d.version = e.signed_version
      JOIN ehr.icd10_codes c ON c.code = d.code

    UNION ALL
    -- Allergies and intolerances.
    SELECT 4, 'urn:uuid:' || md5('allergy:' || a.item_id)::uuid, jsonb_strip_nulls(jsonb_build_object(
        'resourceType', 'AllergyIntolerance',
        'meta', jsonb_build_object('versionId', a.version::text),
        'clinicalStatus', CASE WHEN a.status <> 'entered_in_error' THEN jsonb_build_object(
            'coding', jsonb_build_array(jsonb_build_object(
                'system', 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
                'code', a.status))) END,
        'verificationStatus', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
            'code', CASE WHEN a.status = 'entered_in_error' THEN 'entered-in-error' ELSE 'confirmed' END))),
        'type', a.type,
        'category', CASE WHEN a.category <> 'other' THEN jsonb_build_array(a.category) END,
        'code', jsonb_build_object('text', a.substance),
        'patient', jsonb_build_object('reference', (SELECT urn FROM pat)),
        'onsetDateTime', to_char(a.onset, 'YYYY-MM-DD'),
        'recordedDate', to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        'reaction', CASE WHEN a.reaction <> '' THEN jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
            'manifestation', jsonb_build_array(jsonb_build_object('text', a.reaction)),
            'severity', CASE WHEN a.severity <> 'unknown' THEN a.severity END))) END))
      FROM pat, ehr.patient_allergies(pat.id) a

    UNION ALL
    -- "No known allergies", when that is the allergy list's statement.
    SELECT 4, 'urn:uuid:' || md5('no-known-allergy:' || l.patient_id || ':' || l.version)::uuid,
        jsonb_build_object(
        'resourceType', 'AllergyIntolerance',
        'clinicalStatus', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', 'code', 'active'))),
        'verificationStatus', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
            'code', 'confirmed'))),
        'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://snomed.info/sct', 'code', '716186003', 'display', 'No known allergy'))),
        'patient', jsonb_build_object('reference', (SELECT urn FROM pat)),
        'recordedDate', to_char(l.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
      FROM (SELECT * FROM ehr.list_versions
             WHERE patient_id = $1::bigint AND list = 'allergies'
             ORDER BY version DESC LIMIT 1) l
     WHERE l.assertion = 'none_known'

    UNION ALL
    -- Medications, current and past.
    SELECT 5, 'urn:uuid:' || md5('medication:' || m.item_id)::uuid, jsonb_strip_nulls(jsonb_build_object(
        'resourceType', 'MedicationStatement',
        'meta', jsonb_build_object('versionId', m.version::text),
        'status', replace(m.status, '_', '-'),
        'medicationCodeableConcept', jsonb_build_object('text', m.name),
        'subject', jsonb_build_object('reference', (SELECT urn FROM pat)),
        'effectivePeriod', nullif(jsonb_strip_nulls(jsonb_build_object(
            'start', to_char(m.started_on, 'YYYY-MM-DD'),
            'end', to_char(m.ended_on, 'YYYY-MM-DD'))), '{}'::jsonb),
        'dateAsserted', to_char(m.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        'dosage', jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
            'text', nullif(m.dose, ''),
            'route', jsonb_build_object('text', m.route))))))
      FROM pat, ehr.patient_medications(pat.id) m

    UNION ALL
    -- Immunizations.
    SELECT 6, 'urn:uuid:' || md5('immunization:' || i.item_id)::uuid, jsonb_strip_nulls(jsonb_build_object(
        'resourceType', 'Immunization',
        'meta', jsonb_build_object('versionId', i.version::text),
        'status', replace(i.status, '_', '-'),
        'vaccineCode', jsonb_build_object('text', i.vaccine),
        'patient', jsonb_build_object('reference', (SELECT urn FROM pat)),
        'occurrenceDateTime', to_char(i.given_on, 'YYYY-MM-DD'),
        'recorded', to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        'primarySource', i.created_by IS NOT NULL,
        'lotNumber', nullif(i.lot, ''),
        'protocolApplied', CASE WHEN i.dose_number IS NOT NULL THEN jsonb_build_array(
            jsonb_build_object('doseNumberPositiveInt', i.dose_number)) END))
      FROM pat, ehr.patient_immunizations(pat.id) i

    UNION ALL
    -- Family history.
    SELECT 7, 'urn:uuid:' || md5('family:' || f.item_id)::uuid, jsonb_strip_nulls(jsonb_build_object(
        'resourceType', 'FamilyMemberHistory',
        'meta', jsonb_build_object('versionId', f.version::text),
        'status', CASE WHEN f.status = 'entered_in_error' THEN 'entered-in-error' ELSE 'completed' END,
        'patient', jsonb_build_object('reference', (SELECT urn FROM pat)),
        'relationship', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
            'code', CASE f.relation WHEN 'mother' THEN 'MTH' WHEN 'father' THEN 'FTH'
                    WHEN 'sibling' THEN 'SIB' WHEN 'child' THEN 'CHILD'
                    WHEN 'grandparent' THEN 'GRPRN' ELSE 'FAMMEMB' END))),
        'condition', jsonb_build_array(jsonb_strip_nulls(jsonb_build_object('code', jsonb_strip_nulls(
            jsonb_build_object(
                'coding', CASE WHEN f.code IS NOT NULL THEN jsonb_build_array(jsonb_build_object(
                    'system', 'http://hl7.org/fhir/sid/icd-10', 'code', f.code)) END,
                'text', nullif(f.condition, ''))))))))
      FROM pat, ehr.patient_family(pat.id) f

    UNION ALL
    -- Social history: smoking status as an Observation (LOINC 72166-2).
    SELECT 8, 'urn:uuid:' || md5('smoking:' || s.item_id || ':' || s.version)::uuid, jsonb_build_object(
        'resourceType', 'Observation',
        'status', 'final',
        'category', jsonb_build_array(jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://terminology.hl7.org/CodeSystem/observation-category',
            'code', 'social-history')))),
        'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://loinc.org', 'code', '72166-2', 'display', 'Tobacco smoking status'))),
        'subject', jsonb_build_object('reference', (SELECT urn FROM pat)),
        'effectiveDateTime', to_char(s.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        'valueCodeableConcept', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://snomed.info/sct',
            'code', CASE s.smoking WHEN 'never' THEN '266919005' WHEN 'former' THEN '8517006'
                    WHEN 'current' THEN '77176002' ELSE '266927001' END,
            'display', CASE s.smoking WHEN 'never' THEN 'Never smoked tobacco'
                       WHEN 'former' THEN 'Ex-smoker' WHEN 'current' THEN 'Smoker'
                       ELSE 'Tobacco smoking consumption unknown' END))))
      FROM pat, ehr.patient_social(pat.id) s

    UNION ALL
    -- Vital signs, one Observation per measure (blood pressure: one with
    -- its two components), on the vital-signs profile.
    SELECT 9, 'urn:uuid:' || md5('vital:' || m.item_id || ':' || m.measure)::uuid, jsonb_build_object(
        'resourceType', 'Observation',
        'meta', jsonb_build_object('profile', jsonb_build_array(
            CASE WHEN m.category = 'vital-signs' THEN 'http://hl7.org/fhir/StructureDefinition/vitalsigns'
                 ELSE 'http://hl7.org/fhir/StructureDefinition/Observation' END)),
        'status', CASE WHEN m.status = 'entered_in_error' THEN 'entered-in-error' ELSE 'final' END,
        'category', jsonb_build_array(jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://terminology.hl7.org/CodeSystem/observation-category',
            'code', m.category)))),
        'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://loinc.org', 'code', m.loinc, 'display', m.display))
            || CASE WHEN m.measure = 'spo2' THEN jsonb_build_array(jsonb_build_object(
                   'system', 'http://loinc.org', 'code', '59408-5',
                   'display', 'Oxygen saturation in Arterial blood by Pulse oximetry'))
               ELSE '[]'::jsonb END,
            'text', m.display),
        'subject', jsonb_build_object('reference', (SELECT urn FROM pat)),
        'effectiveDateTime', to_char(m.taken_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        'valueQuantity', jsonb_build_object('value', m.value, 'unit', m.unit,
            'system', 'http://unitsofmeasure.org', 'code', m.ucum))
      FROM measures m

    UNION ALL
    SELECT 9, 'urn:uuid:' || md5('vital:' || v.item_id || ':bp')::uuid, jsonb_build_object(
        'resourceType', 'Observation',
        'meta', jsonb_build_object('profile', jsonb_build_array(
            'http://hl7.org/fhir/StructureDefinition/bp')),
        'status', CASE WHEN v.status = 'entered_in_error' THEN 'entered-in-error' ELSE 'final' END,
        'category', jsonb_build_array(jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://terminology.hl7.org/CodeSystem/observation-category',
            'code', 'vital-signs')))),
        'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://loinc.org', 'code', '85354-9',
            'display', 'Blood pressure panel with all children optional')),
            'text', 'Blood pressure'),
        'subject', jsonb_build_object('reference', (SELECT urn FROM pat)),
        'effectiveDateTime', to_char(v.taken_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        'component', jsonb_build_array(
            jsonb_build_object(
                'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
                    'system', 'http://loinc.org', 'code', '8480-6', 'display', 'Systolic blood pressure'))),
                'valueQuantity', jsonb_build_object('value', v.systolic, 'unit', 'mmHg',
                    'system', 'http://unitsofmeasure.org', 'code', 'mm[Hg]')),
            jsonb_build_object(
                'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
                    'system', 'http://loinc.org', 'code', '8462-4', 'display', 'Diastolic blood pressure'))),
                'valueQuantity', jsonb_build_object('value', v.diastolic, 'unit', 'mmHg',
                    'system', 'http://unitsofmeasure.org', 'code', 'mm[Hg]'))))
      FROM vit v
     WHERE v.systolic IS NOT NULL

    UNION ALL
    -- Lab results: LOINC code, UCUM unit, the flag as the HL7
    -- interpretation, the reference range stored with the result.
    SELECT 12, l.urn, jsonb_strip_nulls(jsonb_build_object(
        'resourceType', 'Observation',
        'status', CASE WHEN l.corrected THEN 'corrected' ELSE 'final' END,
        'category', jsonb_build_array(jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://terminology.hl7.org/CodeSystem/observation-category', 'code', 'laboratory')))),
        'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://loinc.org', 'code', l.analyte, 'display', l.name_en)), 'text', l.name_en),
        'subject', jsonb_build_object('reference', (SELECT urn FROM pat)),
        'effectiveDateTime', to_char(l.taken_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        'issued', to_char(l.released_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        'valueQuantity', CASE WHEN l.value_num IS NOT NULL
                              THEN jsonb_build_object('value', l.value_num) || l.ucum END,
        'valueString', l.value_text,
        'interpretation', CASE WHEN l.flag IS NOT NULL THEN jsonb_build_array(jsonb_build_object(
            'coding', jsonb_build_array(jsonb_build_object(
                'system', 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
                'code', CASE l.flag WHEN 'normal' THEN 'N' WHEN 'low' THEN 'L' WHEN 'high' THEN 'H'
                                    WHEN 'critical_low' THEN 'LL' WHEN 'critical_high' THEN 'HH'
                                    ELSE 'A' END)))) END,
        'referenceRange', CASE WHEN l.ref_low IS NOT NULL OR l.ref_high IS NOT NULL THEN jsonb_build_array(
            jsonb_strip_nulls(jsonb_build_object(
                'low', CASE WHEN l.ref_low IS NOT NULL THEN jsonb_build_object('value', l.ref_low) || l.ucum END,
                'high', CASE WHEN l.ref_high IS NOT NULL THEN jsonb_build_object('value', l.ref_high) || l.ucum END))) END))
      FROM labres l

    UNION ALL
    -- One DiagnosticReport per lab order, listing its results.
    SELECT 13, min(l.report_urn), jsonb_build_object(
        'resourceType', 'DiagnosticReport',
        'identifier', jsonb_build_array(jsonb_build_object(
            'system', $2::text || '/lab-orders', 'value', l.order_code)),
        'status', CASE WHEN bool_or(l.corrected) THEN 'corrected' ELSE 'final' END,
        'category', jsonb_build_array(jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://terminology.hl7.org/CodeSystem/v2-0074', 'code', 'LAB')))),
        'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://loinc.org', 'code', '11502-2', 'display', 'Laboratory report'))),
        'subject', jsonb_build_object('reference', (SELECT urn FROM pat)),
        'effectiveDateTime', to_char(min(l.taken_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        'issued', to_char(max(l.released_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        'result', jsonb_agg(jsonb_build_object('reference', l.urn) ORDER BY l.analyte))
      FROM labres l
     GROUP BY l.order_id, l.order_code

    UNION ALL
    -- Encounters.
    SELECT 10, e.urn, jsonb_build_object(
        'resourceType', 'Encounter',
        'status', CASE WHEN e.signed_at IS NOT NULL THEN 'finished' ELSE 'in-progress' END,
        'class', jsonb_build_object(
            'system', 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
            'code', CASE WHEN e.mode = 'video' THEN 'VR' ELSE 'AMB' END),
        'subject', jsonb_build_object('reference', (SELECT urn FROM pat)),
        'participant', jsonb_build_array(jsonb_build_object(
            'individual', jsonb_build_object('reference', e.doctor_urn))),
        'period', jsonb_build_object(
            'start', to_char(e.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))
      FROM enc e

    UNION ALL
    -- Signed visit notes as Compositions: one section per SOAP part
    -- written, one per addendum. Drafts are never exported.
    SELECT 11, 'urn:uuid:' || md5('note:' || e.id)::uuid, jsonb_strip_nulls(jsonb_build_object(
        'resourceType', 'Composition',
        'status', CASE WHEN EXISTS (SELECT 1 FROM ehr.note_addenda x WHERE x.encounter_id = e.id)
                       THEN 'amended' ELSE 'final' END,
        'type', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://loinc.org', 'code', '11506-3', 'display', 'Progress note'))),
        'subject', jsonb_build_object('reference', (SELECT urn FROM pat)),
        'encounter', jsonb_build_object('reference', e.urn),
        'date', to_char(e.signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        'author', jsonb_build_array(jsonb_build_object('reference', e.doctor_urn)),
        'title', 'Visit note',
        'attester', jsonb_build_array(jsonb_build_object(
            'mode', 'legal',
            'time', to_char(e.signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
            'party', jsonb_build_object('reference', e.doctor_urn))),
        'section', (
            SELECT jsonb_agg(jsonb_build_object(
                       'title', s.title,
                       'text', jsonb_build_object('status', 'generated', 'div',
                           '<div xmlns="http://www.w3.org/1999/xhtml"><p>'
                           || replace(replace(replace(replace(replace(s.body,
                                  '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'),
                                  E'\n', '<br/>')
                           || '</p></div>')) ORDER BY s.n)
              FROM (SELECT 1 AS n, 'Subjective' AS title, nv.subjective AS body
                    UNION ALL SELECT 2, 'Objective', nv.objective
                    UNION ALL SELECT 3, 'Assessment', nv.assessment
                    UNION ALL SELECT 4, 'Plan', nv.plan
                    UNION ALL SELECT 5 + row_number() OVER (ORDER BY x.id),
                                     'Addendum ' || to_char(x.signed_at AT TIME ZONE 'UTC',
                                                            'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                                     x.body
                                FROM ehr.note_addenda x WHERE x.encounter_id = e.id) s
             WHERE btrim(s.body) <> '')))
      FROM enc e
      JOIN ehr.note_versions nv ON nv.encounter_id = e.id AND nv.version = e.signed_version
)
SELECT jsonb_build_object(
           'resourceType', 'Bundle',
           'meta', jsonb_build_object('lastUpdated', ts.now),
           'type', 'collection',
           'timestamp', ts.now,
           'entry', coalesce((SELECT jsonb_agg(jsonb_build_object('fullUrl', r.url, 'resource', r.res)
                                                ORDER BY r.ord, r.url)
                                FROM resources r), '[]'::jsonb))::text
  FROM pat, ts;
