-- Demo visit notes (docs/record.md "Visit notes"): for every completed past
-- appointment of a demo patient (…@demo.medsys) with a doctor who has an
-- account, an encounter with a draft, the final version, coded diagnoses,
-- a signature whose SHA-256 is computed over the canonical text by
-- migration 015's functions (the same bytes the pages recompute), and for
-- one visit in three a signed addendum. Whatever patients and appointments
-- exist (earlier seed files make them); appointments that already have an
-- encounter are left alone, so loading this file again changes nothing.
-- Clinical content is invented, in Spanish, typical of primary care; a
-- visit whose reason names a chronic condition (diabetes, tensión, EPOC,
-- tiroides) gets a note about it, any other an acute primary-care visit.

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
                   CASE WHEN a.reason ~* 'diabetes' THEN 'dm'
                        WHEN a.reason ~* 'tensi' THEN 'hta'
                        WHEN a.reason ~* 'epoc' THEN 'epoc'
                        WHEN a.reason ~* 'tiroid' THEN 'tiroides'
                        ELSE 'general' END AS topic
              FROM appt.appointments a
              JOIN auth.users u ON u.id = a.patient_id
              JOIN clinic.doctors d ON d.id = a.doctor_id
             WHERE u.email LIKE '%@demo.medsys' AND a.status = 'completed' AND a.ends_at < now()
               AND d.user_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM ehr.encounters e WHERE e.appointment_id = a.id)),
        numbered AS (
            SELECT todo.*, row_number() OVER (PARTITION BY topic ORDER BY starts_at, id) AS k,
                   row_number() OVER (ORDER BY starts_at, id) AS g
              FROM todo),
        notes (topic, i, subjective, objective, assessment, codes, plan, addendum) AS (VALUES
            ('dm', 0, 'Control de diabetes tipo 2, hipertensión y colesterol. Toma metformina 850 mg cada 12 h, enalapril 10 mg y atorvastatina 20 mg. Sin hipoglucemias. Camina a diario.',
                'TA 134/82 mmHg, FC 74 lpm, peso 71 kg. HbA1c 6,8 %, LDL 92 mg/dL, filtrado glomerular 78 mL/min. Pies: pulsos pedios presentes, monofilamento normal.',
                'Diabetes tipo 2 sin complicaciones, buen control. Hipertensión y dislipemia en objetivo.',
                ARRAY['E11.9', 'I10', 'E78.5'],
                'Mantener tratamiento. Refuerzo de dieta mediterránea. Fondo de ojo anual solicitado. Próximo control en 3 meses con analítica.',
                'Fondo de ojo informado: sin retinopatía diabética.'),
            ('dm', 1, 'Control trimestral. Refiere algún olvido de la dosis de la noche de metformina. Dolor en rodilla derecha al subir escaleras, ya conocido.',
                'TA 142/84 mmHg (media de dos tomas), peso 72 kg. HbA1c 7,1 %. Rodilla derecha con crepitación, sin derrame.',
                'Diabetes tipo 2 con control algo peor por falta de adherencia. Tensión ligeramente por encima del objetivo.',
                ARRAY['E11.9', 'I10'],
                'Pastillero semanal y alarma en el móvil para la dosis de la noche. Automedidas de tensión en casa durante una semana y traer registro. Control en 3 meses.',
                'Registro de automedidas: media 131/80 mmHg. No se cambia el tratamiento.'),
            ('hta', 0, 'Control de tensión arterial. Toma enalapril 10 mg por la mañana sin efectos adversos. Sin cefalea, palpitaciones ni disnea.',
                'TA 132/84 mmHg (media de dos tomas), FC 70 lpm. Auscultación cardiopulmonar normal. Sin edemas.',
                'Hipertensión arterial esencial bien controlada. Dislipemia con dieta.',
                ARRAY['I10', 'E78.5'],
                'Mantener enalapril. Dieta baja en sal, caminar 30 minutos al día. Analítica con perfil lipídico y creatinina antes del próximo control en 6 meses.',
                'Analítica: creatinina 0,9 mg/dL, potasio 4,3 mmol/L, LDL 128 mg/dL. Sin cambios en el plan.'),
            ('hta', 1, 'Revisión de tensión tras cambio de trabajo, más estrés y menos ejercicio. Duerme unas 6 horas.',
                'TA 148/92 mmHg en consulta; automedidas de la última semana, media 141/89 mmHg. Peso 86 kg (2 kg más).',
                'Hipertensión arterial esencial con control insuficiente.',
                ARRAY['I10'],
                'Se aumenta enalapril a 20 mg al día. Retomar actividad física y reducir sal y alcohol. Nueva revisión con automedidas en 4 semanas.',
                'Automedidas a las 4 semanas: media 129/81 mmHg. Buena tolerancia a la nueva dosis.'),
            ('epoc', 0, 'Control de EPOC. Disnea al subir dos pisos, estable. Tos matutina con poca expectoración. Usa el inhalador de mantenimiento a diario. Ex fumador desde hace 4 años.',
                'SatO2 95 % basal, FC 78 lpm. Murmullo vesicular disminuido globalmente, sin sibilancias. Técnica inhalatoria correcta.',
                'EPOC estable sin agudizaciones desde la última visita.',
                ARRAY['J44.9'],
                'Mantener tratamiento inhalado. Vacunación antigripal en otoño. Programa de ejercicio respiratorio. Control en 6 meses con espirometría.',
                'Espirometría: FEV1 62 % del teórico, sin cambios respecto a la previa.'),
            ('epoc', 1, 'Aumento de la disnea y del esputo, que es amarillento, desde hace 4 días tras un catarro. Sin fiebre alta.',
                'T 37,6 °C, SatO2 92 %, FR 20 rpm. Sibilancias espiratorias dispersas y roncus. Sin signos de trabajo respiratorio.',
                'Agudización moderada de EPOC.',
                ARRAY['J44.1'],
                'Broncodilatador de rescate cada 6 h, prednisona 40 mg al día durante 5 días y amoxicilina-clavulánico 875/125 mg cada 8 h durante 7 días. Acudir a urgencias si empeora la disnea. Revisión en 48 h.',
                'Revisión a las 48 h: mejoría clara, SatO2 95 %. Completa el tratamiento.'),
            ('tiroides', 0, 'Revisión de hipotiroidismo. Toma levotiroxina 75 µg en ayunas. Refiere cansancio por la tarde y algo de frío.',
                'Peso 61 kg, FC 66 lpm. Tiroides no palpable. Piel algo seca. TSH 5,8 mU/L, T4 libre en rango bajo.',
                'Hipotiroidismo autoinmune con dosis insuficiente.',
                ARRAY['E03.9'],
                'Se sube levotiroxina a 88 µg al día, separada 30 minutos del desayuno y del café. Control de TSH en 8 semanas.',
                'TSH a las 8 semanas: 2,1 mU/L. Se mantiene la dosis.'),
            ('tiroides', 1, 'Control anual de hipotiroidismo. Se encuentra bien, sin cansancio. Sigue con psicología por ansiedad, con mejoría.',
                'Peso estable. TSH 2,3 mU/L. Exploración cervical sin nódulos.',
                'Hipotiroidismo autoinmune bien controlado. Trastorno de ansiedad en seguimiento.',
                ARRAY['E03.9', 'F41.1'],
                'Mantener levotiroxina 88 µg. Control analítico anual.',
                'Comunica que psicología clínica le da el alta.'),
            ('general', 0, 'Revisión. Desde hace dos semanas, estornudos, picor de ojos y mucosidad acuosa, como cada primavera. No tiene asma.',
                'Mucosa nasal pálida y edematosa. Conjuntivas hiperémicas. Auscultación pulmonar normal.',
                'Rinoconjuntivitis alérgica estacional.',
                ARRAY['J30.1'],
                'Antihistamínico oral diario y corticoide nasal durante la temporada de pólenes. Evitar salir al campo en días de viento.',
                'Llamada a las 3 semanas: síntomas controlados con el tratamiento.'),
            ('general', 1, 'Tos con expectoración blanquecina desde hace 6 días, tras un cuadro catarral. Febrícula los dos primeros días. No fuma.',
                'T 37,2 °C, SatO2 97 %. Roncus dispersos que se modifican con la tos, sin crepitantes. Faringe levemente hiperémica.',
                'Bronquitis aguda de probable origen vírico.',
                ARRAY['J20.9'],
                'Tratamiento sintomático: hidratación, paracetamol 1 g cada 8 h si fiebre o malestar. No precisa antibiótico. Volver si fiebre más de 3 días, disnea o dolor torácico.',
                'Llamada de control a los 7 días: tos en clara mejoría, sin fiebre.'),
            ('general', 2, 'Dolor de garganta y fiebre de 38,5 °C desde ayer, sin tos.',
                'Amígdalas hipertróficas con exudado, adenopatías cervicales dolorosas. Criterios de Centor: 4. Test rápido de estreptococo positivo.',
                'Faringoamigdalitis aguda estreptocócica.',
                ARRAY['J02.9'],
                'Penicilina V 500 mg cada 12 h durante 10 días. Paracetamol si fiebre. Volver si no mejora en 72 h.',
                'Cultivo faríngeo confirma Streptococcus pyogenes. Sin cambios en el tratamiento.'),
            ('general', 3, 'Dolor lumbar de 4 días tras cargar peso, sin irradiación a las piernas. Sin alteración de esfínteres ni fiebre.',
                'Contractura paravertebral lumbar derecha. Lasègue negativo bilateral. Fuerza y reflejos conservados.',
                'Lumbalgia mecánica aguda sin signos de alarma.',
                ARRAY['M54.50'],
                'Mantenerse activo, evitar reposo en cama. Ibuprofeno 600 mg cada 8 h con comida durante 5 días y calor local. Revisar si no mejora en 2 semanas.',
                'Corrección: refiere intolerancia gástrica previa al ibuprofeno; se sustituye por paracetamol 1 g cada 8 h.'),
            ('general', 4, 'Nerviosismo, preocupación constante por el trabajo y dificultad para conciliar el sueño desde hace 2 meses. Sin ideas autolíticas.',
                'Consciente, orientación conservada, discurso coherente, ánimo ansioso. GAD-7: 12 puntos.',
                'Trastorno de ansiedad generalizada con insomnio de conciliación.',
                ARRAY['F41.1', 'G47.00'],
                'Higiene del sueño y técnicas de relajación. Derivación a psicología clínica. Valorar tratamiento farmacológico en la próxima visita dentro de 4 semanas.',
                'Cita con psicología clínica asignada para dentro de 3 semanas.'),
            ('general', 5, 'Ardor retroesternal después de las comidas y al acostarse, 3-4 veces por semana, desde hace un mes. Sin disfagia ni pérdida de peso.',
                'Abdomen blando, no doloroso, sin masas. Peso estable respecto a la visita anterior.',
                'Enfermedad por reflujo gastroesofágico sin signos de alarma.',
                ARRAY['K21.9'],
                'Medidas posturales, evitar cenas copiosas y alcohol. Omeprazol 20 mg en ayunas durante 4 semanas y revisar.',
                'Comunica mejoría completa a las 2 semanas de tratamiento.')),
        counted AS (SELECT notes.*, count(*) OVER (PARTITION BY topic) AS n FROM notes)
        SELECT numbered.*, c.subjective, c.objective, c.assessment, c.codes, c.plan, c.addendum
          FROM numbered
          JOIN counted c ON c.topic = numbered.topic AND c.i = (numbered.k - 1) % c.n
         ORDER BY numbered.g
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
        IF v.g % 3 = 0 THEN
            INSERT INTO ehr.note_addenda (encounter_id, body, signed_by, signed_at, content_hash)
            VALUES (enc, v.addendum, v.doctor_user, least(v.ends_at + interval '3 days', now()),
                    ehr.addendum_hash(enc, note_hash, v.addendum));
        END IF;
    END LOOP;
END
$$;
