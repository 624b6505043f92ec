-- Demo visit notes (docs/record.md "Visit notes"): for every completed past
-- appointment of a demo patient (…@demo.medsys) with a doctor who has an
-- account, an encounter with a draft, the final version, coded diagnoses,
-- a signature whose SHA-256 is computed over the canonical text by
-- migration 015's functions (the same bytes the pages recompute), and for
-- one visit in three a signed addendum. Whatever patients and appointments
-- exist (earlier seed files make them); appointments that already have an
-- encounter are left alone, so loading this file again changes nothing.
-- Clinical content is invented, in Spanish, typical of primary care.

-- The diagnoses are codes of the ICD-10 catalog (data/icd10, loaded by
-- `medsysctl import icd10` before the seed files); a code missing from the
-- catalog in use is left out rather than failing the load.

DO $$
DECLARE
    v record;
    enc bigint;
    note_hash bytea;
BEGIN
    FOR v IN
        WITH todo AS (
            SELECT a.id, a.patient_id, a.doctor_id, a.starts_at, a.ends_at, d.user_id AS doctor_user,
                   row_number() OVER (ORDER BY a.starts_at, a.id) AS k
              FROM appt.appointments a
              JOIN auth.users u ON u.id = a.patient_id
              JOIN clinic.doctors d ON d.id = a.doctor_id
             WHERE u.email LIKE '%@demo.medsys' AND a.status = 'completed' AND a.ends_at < now()
               AND d.user_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM ehr.encounters e WHERE e.appointment_id = a.id))
        SELECT todo.*, t.* FROM todo
          JOIN (VALUES
            (0, 'Acude a control de tensión arterial. Refiere buena adherencia al enalapril 10 mg. Sin cefalea ni disnea.',
                'TA 138/86 mmHg (media de dos tomas), FC 72 lpm. Auscultación cardiopulmonar normal. Sin edemas.',
                'Hipertensión arterial esencial con control aceptable.',
                ARRAY['I10'],
                'Mantener enalapril 10 mg cada 24 h. Dieta baja en sal y caminar 30 minutos al día. Analítica con perfil lipídico y creatinina antes del próximo control en 3 meses.',
                'Analítica recibida: creatinina 0,9 mg/dL, potasio 4,3 mmol/L. Sin cambios en el plan.'),
            (1, 'Tos con expectoración blanquecina desde hace 6 días, tras un cuadro catarral. Febrícula los dos primeros días. No fuma.',
                'T 37,2 °C, SatO2 97 %. Roncus dispersos que se modifican con la tos, sin crepitantes. Faringe levemente hiperémica.',
                'Bronquitis aguda de probable origen vírico.',
                ARRAY['J20.9'],
                'Tratamiento sintomático: hidratación, paracetamol 1 g cada 8 h si fiebre o malestar. No precisa antibiótico. Volver si fiebre más de 3 días, disnea o dolor torácico.',
                'Llamada de control a los 7 días: tos en clara mejoría, sin fiebre.'),
            (2, 'Revisión de diabetes tipo 2 y colesterol. Toma metformina 850 mg cada 12 h y atorvastatina 20 mg. Sin hipoglucemias.',
                'Peso 78 kg, IMC 27,6. HbA1c 6,8 %. LDL 96 mg/dL. Pies: pulsos presentes, monofilamento normal.',
                'Diabetes mellitus tipo 2 sin complicaciones, buen control. Hipercolesterolemia en objetivo.',
                ARRAY['E11.9', 'E78.00'],
                'Mantener tratamiento. Consejo dietético y ejercicio. Fondo de ojo anual solicitado. Control en 6 meses con analítica.',
                'Fondo de ojo informado sin retinopatía diabética.'),
            (3, 'Dolor lumbar de 4 días tras cargar peso, sin irradiación a las piernas. Sin alteración de esfínteres ni fiebre.',
                'Contractura paravertebral lumbar derecha. Lasègue negativo bilateral. Fuerza y reflejos conservados.',
                'Lumbalgia mecánica aguda sin signos de alarma.',
                ARRAY['M54.50'],
                'Mantenerse activo, evitar reposo en cama. Ibuprofeno 600 mg cada 8 h con comida durante 5 días y calor local. Revisar si no mejora en 2 semanas.',
                'Corrección: la paciente refiere intolerancia gástrica previa al ibuprofeno; se sustituye por paracetamol 1 g cada 8 h.'),
            (4, 'Nerviosismo, preocupación constante por el trabajo y dificultad para conciliar el sueño desde hace 2 meses. Sin ideas autolíticas.',
                'Consciente y orientada, discurso coherente, ánimo ansioso. GAD-7: 12 puntos.',
                'Trastorno de ansiedad generalizada con insomnio de conciliación.',
                ARRAY['F41.1', 'G47.00'],
                'Higiene del sueño y técnicas de relajación. Derivación a psicología clínica. Valorar tratamiento farmacológico en la próxima visita dentro de 4 semanas.',
                'Cita con psicología clínica asignada para dentro de 3 semanas.'),
            (5, 'Ardor retroesternal después de las comidas y al acostarse, 3-4 veces por semana, desde hace un mes. Sin disfagia ni pérdida de peso.',
                'Abdomen blando, no doloroso, sin masas. Peso estable respecto a la visita anterior.',
                'Enfermedad por reflujo gastroesofágico sin signos de alarma.',
                ARRAY['K21.9'],
                'Medidas posturales, evitar cenas copiosas y alcohol. Omeprazol 20 mg en ayunas durante 4 semanas y revisar.',
                'La paciente comunica mejoría completa a las 2 semanas de tratamiento.')
          ) AS t(i, subjective, objective, assessment, codes, plan, addendum)
            ON t.i = (todo.k % 6)
         ORDER BY todo.k
    LOOP
        INSERT INTO ehr.encounters (patient_id, doctor_id, appointment_id, kind, started_at, created_by, created_at)
        VALUES (v.patient_id, v.doctor_id, v.id, 'appointment', v.starts_at, v.doctor_user, v.starts_at)
        RETURNING id INTO enc;
        -- the draft written during the visit, then the final text
        INSERT INTO ehr.note_versions (encounter_id, version, subjective, saved_by, saved_at)
        VALUES (enc, 1, v.subjective, v.doctor_user, v.starts_at + interval '8 minutes');
        INSERT INTO ehr.note_versions (encounter_id, version, subjective, objective, assessment, plan, saved_by, saved_at)
        VALUES (enc, 2, v.subjective, v.objective, v.assessment, v.plan, v.doctor_user, v.ends_at);
        INSERT INTO ehr.note_diagnoses (encounter_id, version, code)
        SELECT enc, 2, c.code FROM ehr.icd10_codes c WHERE c.code = ANY (v.codes);
        note_hash := ehr.note_version_hash(enc, 2);
        INSERT INTO ehr.note_signatures (encounter_id, version, signed_by, signed_at, content_hash)
        VALUES (enc, 2, v.doctor_user, v.ends_at + interval '2 minutes', note_hash);
        IF v.k % 3 = 0 THEN
            INSERT INTO ehr.note_addenda (encounter_id, body, signed_by, signed_at, content_hash)
            VALUES (enc, v.addendum, v.doctor_user, v.ends_at + interval '3 days',
                    ehr.addendum_hash(enc, note_hash, v.addendum));
        END IF;
    END LOOP;
END
$$;
