-- Demo vital signs (script/server only; loaded after demo.sql and
-- record_1_patients.sql). Years of readings for every patient account,
-- whoever exists, by a simple story per patient (in id order, cycling):
--   0: hypertension treated 30 months ago: weekly home blood pressure
--      (transcribed) falling from ~152/94 to ~128/80 within weeks of the
--      treatment, quarterly visits with weight, temperature and SpO2;
--   1: type 2 diabetes: weekly fasting capillary glucose falling from
--      ~175 to ~120 mg/dL after treatment 24 months ago, monthly weight
--      96 -> 88 kg and blood pressure;
--   2: a healthy adult: visits every four months, one fever.
-- Idempotent: a patient who already has any reading is left alone.
-- Values are kept inside the plausibility ranges of ehr.vital_versions.
DO $$
DECLARE
    doc bigint;
    p record;
    t timestamptz;
    k integer;
    item bigint;
    treated boolean;
    f double precision;
BEGIN
    SELECT u.id INTO doc FROM auth.users u JOIN auth.user_roles r ON r.user_id = u.id
     WHERE r.role = 'doctor' ORDER BY (u.email = 'doctora@demo.medsys') DESC, u.id LIMIT 1;
    IF doc IS NULL THEN
        RETURN;
    END IF;
    PERFORM setseed(0.42);
    FOR p IN SELECT u.id, (row_number() OVER (ORDER BY u.id) - 1) % 3 AS story
               FROM auth.users u JOIN auth.user_roles r ON r.user_id = u.id AND r.role = 'patient'
              WHERE NOT EXISTS (SELECT 1 FROM ehr.items i WHERE i.patient_id = u.id AND i.kind = 'vitals')
              ORDER BY u.id LOOP
        IF p.story = 0 THEN
            -- Weekly home readings for four years, Saturday mornings.
            FOR k IN 0..207 LOOP
                t := date_trunc('day', now()) - make_interval(days => 7 * k) + interval '8 hours 30 minutes'
                     + make_interval(mins => (random() * 40)::int);
                treated := t > now() - interval '30 months';
                -- After treatment the pressure falls over about eight weeks.
                f := CASE WHEN treated THEN exp(-extract(epoch FROM t - (now() - interval '30 months')) / (86400 * 20))
                          ELSE 1 END;
                INSERT INTO ehr.items (patient_id, kind, created_by, created_at)
                VALUES (p.id, 'vitals', doc, t) RETURNING id INTO item;
                INSERT INTO ehr.vital_versions (item_id, version, taken_at, systolic, diastolic, heart_rate,
                                                status, recorded_by, recorded_at)
                VALUES (item, 1, t, round(128 + 24 * f + random() * 12 - 6), round(80 + 14 * f + random() * 8 - 4),
                        round(70 + 8 * f + random() * 10 - 5), 'final', doc, t);
            END LOOP;
            -- Quarterly visits: weight slowly down, height once a year.
            FOR k IN 0..16 LOOP
                t := date_trunc('day', now()) - make_interval(days => 91 * k + 3) + interval '10 hours 15 minutes';
                INSERT INTO ehr.items (patient_id, kind, created_by, created_at)
                VALUES (p.id, 'vitals', doc, t) RETURNING id INTO item;
                INSERT INTO ehr.vital_versions (item_id, version, taken_at, systolic, diastolic, heart_rate,
                                                temperature, weight, height, spo2, status, recorded_by, recorded_at)
                VALUES (item, 1, t, round(130 + (CASE WHEN k > 10 THEN 20 ELSE 0 END) + random() * 8),
                        round(82 + (CASE WHEN k > 10 THEN 12 ELSE 0 END) + random() * 6),
                        round(68 + random() * 10), round((36.2 + random() * 0.6)::numeric, 1),
                        round((74 + k * 0.25 + random())::numeric, 1),
                        CASE WHEN k % 4 = 0 THEN 165.0 END, round(96 + random() * 3), 'final', doc, t);
            END LOOP;
        ELSIF p.story = 1 THEN
            FOR k IN 0..155 LOOP
                t := date_trunc('day', now()) - make_interval(days => 7 * k + 1) + interval '7 hours 45 minutes'
                     + make_interval(mins => (random() * 30)::int);
                treated := t > now() - interval '24 months';
                f := CASE WHEN treated THEN exp(-extract(epoch FROM t - (now() - interval '24 months')) / (86400 * 60))
                          ELSE 1 END;
                INSERT INTO ehr.items (patient_id, kind, created_by, created_at)
                VALUES (p.id, 'vitals', doc, t) RETURNING id INTO item;
                INSERT INTO ehr.vital_versions (item_id, version, taken_at, glucose, status, recorded_by, recorded_at)
                VALUES (item, 1, t, round(120 + 55 * f + random() * 30 - 15), 'final', doc, t);
            END LOOP;
            FOR k IN 0..35 LOOP
                t := date_trunc('day', now()) - make_interval(days => 30 * k + 2) + interval '11 hours';
                INSERT INTO ehr.items (patient_id, kind, created_by, created_at)
                VALUES (p.id, 'vitals', doc, t) RETURNING id INTO item;
                INSERT INTO ehr.vital_versions (item_id, version, taken_at, systolic, diastolic, heart_rate,
                                                weight, height, status, recorded_by, recorded_at)
                VALUES (item, 1, t, round(132 + random() * 10 - 5), round(84 + random() * 6 - 3),
                        round(76 + random() * 8 - 4),
                        round((88 + least(k, 24) / 3.0 + random() * 0.8)::numeric, 1),
                        CASE WHEN k % 12 = 0 THEN 178.0 END, 'final', doc, t);
            END LOOP;
        ELSE
            FOR k IN 0..17 LOOP
                t := date_trunc('day', now()) - make_interval(days => 122 * k + 5) + interval '17 hours 20 minutes';
                INSERT INTO ehr.items (patient_id, kind, created_by, created_at)
                VALUES (p.id, 'vitals', doc, t) RETURNING id INTO item;
                INSERT INTO ehr.vital_versions (item_id, version, taken_at, systolic, diastolic, heart_rate,
                                                temperature, weight, height, spo2, status, recorded_by, recorded_at)
                VALUES (item, 1, t, round(116 + random() * 10), round(72 + random() * 8),
                        round(CASE WHEN k = 7 THEN 96 ELSE 64 + random() * 10 END),
                        CASE WHEN k = 7 THEN 38.4 ELSE round((36.3 + random() * 0.5)::numeric, 1) END,
                        round((61 + random() * 1.5)::numeric, 1), CASE WHEN k % 6 = 0 THEN 168.5 END,
                        round(97 + random() * 2), 'final', doc, t);
            END LOOP;
        END IF;
    END LOOP;
END
$$;
