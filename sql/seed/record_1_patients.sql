-- Demo data for script/server only: patients with years of medical
-- history (problems, allergies, medication, immunizations, family and
-- social history) and past visits with the demo doctor (Dra. Lucía
-- Fernández Ortega), so that she has a care relationship with each. Every
-- patient signs in with the demo patient's password, demo-patient-2026.
-- Safe to load twice: a patient whose record already has entries is left
-- as it is.

-- The ICD-10 codes used below, in case the catalog (data/icd10, `medsysctl
-- import icd10`) is not loaded yet; titles from the WHO ICD-10 and
-- ICD-10-CM tabular lists (Spanish: the CIE-10-ES names).
INSERT INTO ehr.icd10_codes (code, chapter, leaf, title_es, title_en, source) VALUES
    ('I10',   9, true, 'Hipertensión esencial (primaria)', 'Essential (primary) hypertension', 'sql/seed/record_1_patients.sql'),
    ('E11.9', 4, true, 'Diabetes mellitus tipo 2 sin complicaciones', 'Type 2 diabetes mellitus without complications', 'sql/seed/record_1_patients.sql'),
    ('E78.5', 4, true, 'Hiperlipidemia, no especificada', 'Hyperlipidemia, unspecified', 'sql/seed/record_1_patients.sql'),
    ('E03.9', 4, true, 'Hipotiroidismo, no especificado', 'Hypothyroidism, unspecified', 'sql/seed/record_1_patients.sql'),
    ('E66.9', 4, true, 'Obesidad, no especificada', 'Obesity, unspecified', 'sql/seed/record_1_patients.sql'),
    ('J30.1', 10, true, 'Rinitis alérgica debida a polen', 'Allergic rhinitis due to pollen', 'sql/seed/record_1_patients.sql'),
    ('J02.9', 10, true, 'Faringitis aguda, no especificada', 'Acute pharyngitis, unspecified', 'sql/seed/record_1_patients.sql'),
    ('J44.9', 10, true, 'Enfermedad pulmonar obstructiva crónica, no especificada', 'Chronic obstructive pulmonary disease, unspecified', 'sql/seed/record_1_patients.sql'),
    ('K21.9', 11, true, 'Enfermedad por reflujo gastroesofágico sin esofagitis', 'Gastro-esophageal reflux disease without esophagitis', 'sql/seed/record_1_patients.sql'),
    ('F41.1', 5, true, 'Trastorno de ansiedad generalizada', 'Generalized anxiety disorder', 'sql/seed/record_1_patients.sql'),
    ('M17.9', 13, true, 'Artrosis de rodilla, no especificada', 'Osteoarthritis of knee, unspecified', 'sql/seed/record_1_patients.sql'),
    ('N39.0', 14, true, 'Infección del tracto urinario, localización no especificada', 'Urinary tract infection, site not specified', 'sql/seed/record_1_patients.sql'),
    ('I21.9', 9, true, 'Infarto agudo de miocardio, no especificado', 'Acute myocardial infarction, unspecified', 'sql/seed/record_1_patients.sql'),
    ('C18.9', 2, true, 'Neoplasia maligna de colon, no especificada', 'Malignant neoplasm of colon, unspecified', 'sql/seed/record_1_patients.sql')
ON CONFLICT DO NOTHING;

-- The patients (the demo patient Ana Pérez is in demo.sql).
INSERT INTO auth.users (email, full_name, birth_date, language, password_hash, email_verified_at)
SELECT v.email, v.name, v.born::date, 'es', p.password_hash, now()
  FROM (VALUES ('carmen.lopez@demo.medsys',  'María del Carmen López García', '1952-04-12'),
               ('jose.martinez@demo.medsys', 'José Antonio Martínez Sánchez', '1961-09-30'),
               ('lucia.gomez@demo.medsys',   'Lucía Gómez Herrera',           '1994-01-22'),
               ('pablo.ruiz@demo.medsys',    'Pablo Ruiz Delgado',            '1978-07-05')) v(email, name, born)
  CROSS JOIN (SELECT password_hash FROM auth.users WHERE email = 'paciente@demo.medsys') p
ON CONFLICT (email) DO NOTHING;
INSERT INTO auth.user_roles (user_id, role)
SELECT id, 'patient' FROM auth.users
 WHERE email IN ('carmen.lopez@demo.medsys', 'jose.martinez@demo.medsys', 'lucia.gomez@demo.medsys',
                 'pablo.ruiz@demo.medsys')
ON CONFLICT DO NOTHING;

-- Helpers for this file only (pg_temp: gone when the session ends). Each
-- entry is version 1 recorded by the demo doctor at the given time, and
-- moves its list's version like a save through the pages does.
CREATE FUNCTION pg_temp.uid(p_email text) RETURNS bigint LANGUAGE sql AS
$$ SELECT id FROM auth.users WHERE email = p_email $$;

CREATE FUNCTION pg_temp.item(p_patient bigint, p_kind text, p_at timestamptz) RETURNS bigint
LANGUAGE sql AS $$
    INSERT INTO ehr.items (patient_id, kind, created_by, created_at)
    VALUES (p_patient, p_kind, pg_temp.uid('doctora@demo.medsys'), p_at) RETURNING id
$$;

CREATE FUNCTION pg_temp.move(p_patient bigint, p_list text, p_item bigint, p_at timestamptz,
                             p_assertion text DEFAULT 'recorded') RETURNS void
LANGUAGE sql AS $$
    INSERT INTO ehr.list_versions (patient_id, list, version, assertion, item_id, recorded_by, recorded_at)
    SELECT p_patient, p_list, coalesce(max(version), 0) + 1, p_assertion, p_item,
           pg_temp.uid('doctora@demo.medsys'), p_at
      FROM ehr.list_versions WHERE patient_id = p_patient AND list = p_list
$$;

CREATE FUNCTION pg_temp.problem(p bigint, p_code text, p_note text, p_status text, p_onset date,
                                p_resolved date) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE i bigint := pg_temp.item(p, 'problem', p_onset + 1);
BEGIN
    INSERT INTO ehr.problem_versions (item_id, version, code, note, status, onset, resolved_on, recorded_by, recorded_at)
    VALUES (i, 1, p_code, p_note, CASE WHEN p_resolved IS NULL THEN p_status ELSE 'active' END, p_onset, NULL,
            pg_temp.uid('doctora@demo.medsys'), p_onset + 1);
    PERFORM pg_temp.move(p, 'problems', i, p_onset + 1);
    IF p_resolved IS NOT NULL THEN   -- resolved later: a second version says so
        INSERT INTO ehr.problem_versions (item_id, version, code, note, status, onset, resolved_on,
                                          recorded_by, recorded_at, reason)
        VALUES (i, 2, p_code, p_note, p_status, p_onset, p_resolved, pg_temp.uid('doctora@demo.medsys'),
                p_resolved + 1, 'Resuelto en la revisión');
        PERFORM pg_temp.move(p, 'problems', i, p_resolved + 1);
    END IF;
    RETURN i;
END
$$;

CREATE FUNCTION pg_temp.allergy(p bigint, p_substance text, p_type text, p_category text, p_reaction text,
                                p_severity text, p_at date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE i bigint := pg_temp.item(p, 'allergy', p_at);
BEGIN
    INSERT INTO ehr.allergy_versions (item_id, version, substance, type, category, reaction, severity, status,
                                      onset, recorded_by, recorded_at)
    VALUES (i, 1, p_substance, p_type, p_category, p_reaction, p_severity, 'active', NULL,
            pg_temp.uid('doctora@demo.medsys'), p_at);
    PERFORM pg_temp.move(p, 'allergies', i, p_at);
END
$$;

CREATE FUNCTION pg_temp.med(p bigint, p_name text, p_dose text, p_route text, p_from date, p_until date,
                            p_status text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE i bigint := pg_temp.item(p, 'medication', p_from);
BEGIN
    INSERT INTO ehr.medication_versions (item_id, version, name, dose, route, started_on, ended_on, status,
                                         recorded_by, recorded_at)
    VALUES (i, 1, p_name, p_dose, p_route, p_from, p_until, p_status, pg_temp.uid('doctora@demo.medsys'), p_from);
    PERFORM pg_temp.move(p, 'medications', i, p_from);
END
$$;

CREATE FUNCTION pg_temp.vaccine(p bigint, p_vaccine text, p_on date, p_dose int, p_lot text) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO ehr.immunization_versions (item_id, version, vaccine, given_on, dose_number, lot, status,
                                           recorded_by, recorded_at)
    VALUES (pg_temp.item(p, 'immunization', p_on), 1, p_vaccine, p_on, p_dose, p_lot, 'completed',
            pg_temp.uid('doctora@demo.medsys'), p_on)
$$;

CREATE FUNCTION pg_temp.family(p bigint, p_relation text, p_code text, p_condition text) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO ehr.family_versions (item_id, version, relation, code, condition, status, recorded_by, recorded_at)
    VALUES (pg_temp.item(p, 'family', now() - interval '3 years'), 1, p_relation, p_code, p_condition,
            'recorded', pg_temp.uid('doctora@demo.medsys'), now() - interval '3 years')
$$;

CREATE FUNCTION pg_temp.social(p bigint, p_smoking text, p_cigs int, p_alcohol text, p_drinks int, p_note text)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO ehr.social_versions (item_id, version, smoking, cigarettes_day, alcohol, drinks_week, note,
                                     recorded_by, recorded_at)
    VALUES (pg_temp.item(p, 'social', now() - interval '2 years'), 1, p_smoking, p_cigs, p_alcohol, p_drinks,
            p_note, pg_temp.uid('doctora@demo.medsys'), now() - interval '2 years')
$$;

-- Past visits with the demo doctor (completed): months ago, at 10:00.
CREATE FUNCTION pg_temp.visits(p bigint, p_months int[], p_reason text) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, location, reason, status, created_by)
    SELECT d.id, p, t, t + interval '30 minutes', 'in_person', 'Consulta ' || d.id, p_reason, 'completed', p
      FROM clinic.doctors d,
           LATERAL (SELECT ((current_date - make_interval(months => m))::date + time '10:00')
                           AT TIME ZONE 'Europe/Madrid' AS t FROM unnest(p_months) m) s
     WHERE d.licence_number = '28-28-45123'
$$;

DO $$
DECLARE
    ana bigint := pg_temp.uid('paciente@demo.medsys');
    carmen bigint := pg_temp.uid('carmen.lopez@demo.medsys');
    jose bigint := pg_temp.uid('jose.martinez@demo.medsys');
    lucia bigint := pg_temp.uid('lucia.gomez@demo.medsys');
    pablo bigint := pg_temp.uid('pablo.ruiz@demo.medsys');
    i bigint;
BEGIN
    -- Ana Pérez (1985): pollen rhinitis, a sore throat years ago; penicillin allergy.
    IF ana IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ehr.items WHERE patient_id = ana) THEN
        PERFORM pg_temp.problem(ana, 'J30.1', 'Primaveral, peor en abril y mayo', 'active', '2014-04-10', NULL);
        PERFORM pg_temp.problem(ana, 'J02.9', '', 'resolved', '2021-11-03', '2021-11-12');
        PERFORM pg_temp.allergy(ana, 'Penicilina', 'allergy', 'medication', 'Urticaria generalizada', 'moderate', '2009-06-01');
        PERFORM pg_temp.med(ana, 'Cetirizina 10 mg', '1 comprimido al día en primavera', 'oral', '2014-04-10', NULL, 'active');
        PERFORM pg_temp.med(ana, 'Azitromicina 500 mg', '1 al día, 3 días', 'oral', '2021-11-03', '2021-11-06', 'completed');
        PERFORM pg_temp.vaccine(ana, 'Gripe (tetravalente)', '2025-10-20', NULL, 'FLU25-1187');
        PERFORM pg_temp.vaccine(ana, 'Tétanos y difteria (Td)', '2019-03-15', 5, 'TD19-0042');
        PERFORM pg_temp.family(ana, 'mother', 'E03.9', 'Hipotiroidismo');
        PERFORM pg_temp.social(ana, 'never', NULL, 'occasional', 2, '');
        PERFORM pg_temp.visits(ana, ARRAY[14, 6, 1], 'Revisión');
    END IF;

    -- María del Carmen López (1952): hypertension, type 2 diabetes,
    -- cholesterol, knee osteoarthritis; no known allergies.
    IF carmen IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ehr.items WHERE patient_id = carmen) THEN
        i := pg_temp.problem(carmen, 'I10', 'Bien controlada con enalapril', 'active', '2008-02-18', NULL);
        -- a correction: the note was completed a year later
        INSERT INTO ehr.problem_versions (item_id, version, code, note, status, onset, recorded_by, recorded_at, reason)
        VALUES (i, 2, 'I10', 'Bien controlada con enalapril; MAPA normal en 2019', 'active', '2008-02-18',
                pg_temp.uid('doctora@demo.medsys'), '2019-05-06', 'Añado el resultado de la MAPA');
        PERFORM pg_temp.move(carmen, 'problems', i, '2019-05-06');
        PERFORM pg_temp.problem(carmen, 'E11.9', 'HbA1c 6,8 % en la última analítica', 'active', '2012-10-02', NULL);
        PERFORM pg_temp.problem(carmen, 'E78.5', '', 'active', '2012-10-02', NULL);
        PERFORM pg_temp.problem(carmen, 'M17.9', 'Rodilla derecha', 'active', '2018-01-15', NULL);
        PERFORM pg_temp.problem(carmen, 'N39.0', '', 'resolved', '2023-07-20', '2023-07-28');
        PERFORM pg_temp.move(carmen, 'allergies', NULL, '2008-02-18', 'none_known');
        PERFORM pg_temp.med(carmen, 'Enalapril 20 mg', '1 comprimido cada 24 h', 'oral', '2008-02-18', NULL, 'active');
        PERFORM pg_temp.med(carmen, 'Metformina 850 mg', '1 comprimido cada 12 h con las comidas', 'oral', '2012-10-02', NULL, 'active');
        PERFORM pg_temp.med(carmen, 'Atorvastatina 20 mg', '1 comprimido por la noche', 'oral', '2012-10-02', NULL, 'active');
        PERFORM pg_temp.med(carmen, 'Paracetamol 1 g', 'Si dolor, máximo 3 al día', 'oral', '2018-01-15', NULL, 'active');
        PERFORM pg_temp.med(carmen, 'Fosfomicina 3 g', 'Dosis única', 'oral', '2023-07-20', '2023-07-20', 'completed');
        PERFORM pg_temp.vaccine(carmen, 'Gripe (tetravalente)', '2025-10-14', NULL, 'FLU25-0931');
        PERFORM pg_temp.vaccine(carmen, 'Neumococo (VNC20)', '2024-11-05', 1, 'PCV24-5521');
        PERFORM pg_temp.vaccine(carmen, 'COVID-19 (ARNm)', '2025-10-14', 6, 'CV25-7710');
        PERFORM pg_temp.vaccine(carmen, 'Herpes zóster (recombinante)', '2023-03-01', 1, 'HZ23-0310');
        PERFORM pg_temp.vaccine(carmen, 'Herpes zóster (recombinante)', '2023-05-03', 2, 'HZ23-0788');
        PERFORM pg_temp.family(carmen, 'father', 'I21.9', 'Infarto a los 64 años');
        PERFORM pg_temp.family(carmen, 'sibling', 'E11.9', '');
        PERFORM pg_temp.social(carmen, 'never', NULL, 'none', NULL, 'Camina 30 minutos al día');
        PERFORM pg_temp.visits(carmen, ARRAY[16, 12, 9, 6, 3, 1], 'Control de tensión y diabetes');
    END IF;

    -- José Antonio Martínez (1961): COPD, former smoker, reflux; ibuprofen intolerance.
    IF jose IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ehr.items WHERE patient_id = jose) THEN
        PERFORM pg_temp.problem(jose, 'J44.9', 'GOLD 2; espirometría de 2020', 'active', '2020-03-09', NULL);
        PERFORM pg_temp.problem(jose, 'K21.9', '', 'active', '2016-09-12', NULL);
        PERFORM pg_temp.problem(jose, 'E66.9', 'IMC 31', 'active', '2016-09-12', NULL);
        PERFORM pg_temp.allergy(jose, 'Ibuprofeno', 'intolerance', 'medication', 'Epigastralgia intensa', 'mild', '2016-09-12');
        PERFORM pg_temp.allergy(jose, 'Picadura de avispa', 'allergy', 'environment', 'Edema local extenso', 'moderate', '2011-08-02');
        PERFORM pg_temp.med(jose, 'Tiotropio 2,5 microgramos', '2 inhalaciones cada 24 h', 'inhaled', '2020-03-09', NULL, 'active');
        PERFORM pg_temp.med(jose, 'Salbutamol 100 microgramos', '2 inhalaciones si precisa', 'inhaled', '2020-03-09', NULL, 'active');
        PERFORM pg_temp.med(jose, 'Omeprazol 20 mg', '1 cápsula en ayunas', 'oral', '2016-09-12', NULL, 'active');
        PERFORM pg_temp.med(jose, 'Vareniclina 1 mg', '1 comprimido cada 12 h', 'oral', '2019-01-14', '2019-04-14', 'completed');
        PERFORM pg_temp.vaccine(jose, 'Gripe (tetravalente)', '2025-10-21', NULL, 'FLU25-1204');
        PERFORM pg_temp.vaccine(jose, 'Neumococo (VNC20)', '2023-01-17', 1, 'PCV23-1022');
        PERFORM pg_temp.family(jose, 'father', 'C18.9', 'Cáncer de colon a los 70 años');
        PERFORM pg_temp.social(jose, 'former', NULL, 'occasional', 3, 'Fumó 20 cigarrillos al día durante 30 años; lo dejó en 2019');
        PERFORM pg_temp.visits(jose, ARRAY[15, 10, 4, 2], 'Control de EPOC');
    END IF;

    -- Lucía Gómez (1994): anxiety, hypothyroidism; no allergies recorded yet.
    IF lucia IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ehr.items WHERE patient_id = lucia) THEN
        PERFORM pg_temp.problem(lucia, 'F41.1', 'Seguimiento con psicología', 'active', '2022-02-07', NULL);
        PERFORM pg_temp.problem(lucia, 'E03.9', 'Autoinmune (anticuerpos anti-TPO positivos)', 'active', '2019-06-24', NULL);
        PERFORM pg_temp.med(lucia, 'Levotiroxina 75 microgramos', '1 comprimido en ayunas', 'oral', '2019-06-24', NULL, 'active');
        PERFORM pg_temp.med(lucia, 'Sertralina 50 mg', '1 comprimido al día', 'oral', '2022-02-07', '2023-08-01', 'stopped');
        PERFORM pg_temp.vaccine(lucia, 'Virus del papiloma humano (VPH)', '2006-10-10', 1, '');
        PERFORM pg_temp.vaccine(lucia, 'COVID-19 (ARNm)', '2021-07-12', 2, 'CV21-4431');
        PERFORM pg_temp.family(lucia, 'mother', 'E03.9', 'Hipotiroidismo');
        PERFORM pg_temp.social(lucia, 'current', 5, 'occasional', 4, '');
        PERFORM pg_temp.visits(lucia, ARRAY[11, 5], 'Revisión de tiroides');
    END IF;

    -- Pablo Ruiz (1978): high blood pressure found last year; shellfish allergy.
    IF pablo IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ehr.items WHERE patient_id = pablo) THEN
        PERFORM pg_temp.problem(pablo, 'I10', 'Diagnosticada en control laboral', 'active', (current_date - 400), NULL);
        PERFORM pg_temp.problem(pablo, 'E78.5', 'Dieta; sin tratamiento', 'active', (current_date - 400), NULL);
        PERFORM pg_temp.allergy(pablo, 'Marisco (crustáceos)', 'allergy', 'food', 'Angioedema labial', 'severe', '2001-08-15');
        PERFORM pg_temp.med(pablo, 'Amlodipino 5 mg', '1 comprimido al día', 'oral', (current_date - 390), NULL, 'active');
        PERFORM pg_temp.vaccine(pablo, 'Hepatitis B', '1997-09-10', 3, '');
        PERFORM pg_temp.family(pablo, 'father', 'I10', '');
        PERFORM pg_temp.social(pablo, 'current', 10, 'regular', 8, 'Trabajo a turnos');
        PERFORM pg_temp.visits(pablo, ARRAY[13, 12, 7], 'Control de tensión');
    END IF;
END
$$;
