-- Demo lab results (docs/lab-results.md "Demo data"; named record_4_ so
-- that it loads after record_1_patients.sql, whose patients it uses, and
-- record_3_notes.sql, whose visits order the tests): the demo patient
-- (paciente@demo.medsys) and three others get yearly check-ups over five
-- years, so that trends show (the demo patient's glucose and HbA1c creep
-- up into the high range), abnormal and critical values (a critical
-- potassium, acknowledged by the doctor), a correction after release
-- (with its reason), and orders of other patients the lab has not
-- finished (in the lab's worklist: one not collected, one collected;
-- lab_0_orders.sql, lab-core's, gives the demo patient's pending ones,
-- one with values entered but not released: they must never show to her). Demo patients' sex is
-- set, since reference ranges depend on it.
--
-- Each order is written as the lab would: from the demo doctor's visit of
-- the month before (or a walk-in encounter on the day), the order, its tests, the results entered by
-- the demo lab user (the flags are computed by lab.results' trigger, 025)
-- and their release. Analytes the catalog in use lacks are left out (the
-- catalog is data/lab, loaded before the seed files). Only the newest
-- order's notices stay pending: the events of older releases are marked
-- done (no mail about results from years ago). Loading this file again
-- changes nothing once any demo patient has a released lab result.

UPDATE auth.users SET sex = v.sex
  FROM (VALUES ('paciente@demo.medsys', 'female'), ('carmen.lopez@demo.medsys', 'female'),
               ('jose.martinez@demo.medsys', 'male'), ('lucia.gomez@demo.medsys', 'female'),
               ('pablo.ruiz@demo.medsys', 'male')) v(email, sex)
 WHERE auth.users.email = v.email AND auth.users.sex IS NULL;

-- One order of p_email's, p_days_ago days ago at 08:30 (clinic time):
-- p_values [["LOINC", value], ...] in the order's test order (numbers,
-- or coded text); p_stage
-- 'released' (entered and released), 'entered' (not released),
-- 'collected' (nothing entered), 'ordered' (not even collected).
CREATE FUNCTION pg_temp.lab_seed(p_email text, p_days_ago integer, p_values jsonb,
                                 p_stage text DEFAULT 'released', p_priority text DEFAULT 'routine',
                                 p_note text DEFAULT '')
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    pid bigint;
    doc_user bigint;
    doc integer;
    lab_user bigint;
    enc bigint;
    ord bigint;
    at timestamptz := date_trunc('day', now() AT TIME ZONE 'Europe/Madrid') AT TIME ZONE 'Europe/Madrid'
                      - make_interval(days => p_days_ago) + interval '8 hours 30 minutes';
    x record;
    n integer := 0;
    res bigint;
BEGIN
    SELECT id INTO pid FROM auth.users WHERE email = p_email;
    SELECT d.user_id, d.id INTO doc_user, doc FROM clinic.doctors d JOIN auth.users u ON u.id = d.user_id
     WHERE u.email = 'doctora@demo.medsys';
    SELECT id INTO lab_user FROM auth.users WHERE email = 'laboratorio@demo.medsys';
    IF pid IS NULL OR doc IS NULL OR lab_user IS NULL THEN
        RETURN NULL;
    END IF;
    -- the visit that asked for it (within the month before), else a walk-in
    SELECT e.id INTO enc FROM ehr.encounters e
     WHERE e.patient_id = pid AND e.doctor_id = doc AND e.started_at BETWEEN at - interval '30 days' AND at
     ORDER BY e.started_at DESC LIMIT 1;
    IF enc IS NULL THEN
        INSERT INTO ehr.encounters (patient_id, doctor_id, kind, started_at, created_by, created_at)
        VALUES (pid, doc, 'walk_in', at - interval '30 minutes', doc_user, at - interval '30 minutes')
        RETURNING id INTO enc;
    END IF;
    INSERT INTO lab.orders (patient_id, encounter_id, ordered_by, clinical_note, priority, created_at)
    VALUES (pid, enc, doc_user, p_note, p_priority, at - interval '20 minutes') RETURNING id INTO ord;
    FOR x IN SELECT v.e ->> 0 AS code FROM jsonb_array_elements(p_values) WITH ORDINALITY v(e, i)
               JOIN lab.analytes a ON a.code = v.e ->> 0 ORDER BY v.i
    LOOP
        n := n + 1;
        INSERT INTO lab.order_tests (order_id, analyte, position) VALUES (ord, x.code, n);
    END LOOP;
    IF p_stage = 'ordered' OR n = 0 THEN
        RETURN ord;
    END IF;
    UPDATE lab.orders SET collected_at = at, collected_by = lab_user WHERE id = ord;
    IF p_stage = 'collected' THEN
        RETURN ord;
    END IF;
    FOR x IN SELECT t.analyte, (SELECT e -> 1 FROM jsonb_array_elements(p_values) e WHERE e ->> 0 = t.analyte) AS v
               FROM lab.order_tests t WHERE t.order_id = ord ORDER BY t.position
    LOOP
        INSERT INTO lab.results (order_id, analyte, version, value_num, value_text, entered_by, entered_at)
        VALUES (ord, x.analyte, 1,
                CASE WHEN jsonb_typeof(x.v) = 'number' THEN (x.v #>> '{}')::numeric END,
                CASE WHEN jsonb_typeof(x.v) = 'string' THEN x.v #>> '{}' END,
                lab_user, at + interval '3 hours')
        RETURNING id INTO res;
        IF p_stage = 'released' THEN
            INSERT INTO lab.releases (result_id, released_by, released_at) VALUES (res, lab_user, at + interval '4 hours');
        END IF;
    END LOOP;
    RETURN ord;
END
$$;

-- A released result corrected two days after the sample was taken.
CREATE FUNCTION pg_temp.lab_correct(p_order bigint, p_analyte text, p_value numeric, p_reason text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    lab_user bigint;
    res bigint;
    at timestamptz := (SELECT collected_at + interval '2 days' FROM lab.orders WHERE id = p_order);
BEGIN
    SELECT id INTO lab_user FROM auth.users WHERE email = 'laboratorio@demo.medsys';
    IF p_order IS NULL OR NOT EXISTS (SELECT 1 FROM lab.order_tests WHERE order_id = p_order AND analyte = p_analyte) THEN
        RETURN;
    END IF;
    INSERT INTO lab.results (order_id, analyte, version, value_num, entered_by, entered_at, correction_reason)
    SELECT p_order, p_analyte, max(version) + 1, p_value, lab_user, at, p_reason
      FROM lab.results WHERE order_id = p_order AND analyte = p_analyte
    RETURNING id INTO res;
    INSERT INTO lab.releases (result_id, released_by, released_at) VALUES (res, lab_user, at);
END
$$;

DO $$
DECLARE
    started timestamptz := now();   -- the transaction's: every default below
    newest bigint;
    corr bigint;
BEGIN
    -- once: a restart of script/server runs the seeds again (lab_0_orders.sql,
    -- lab-core's, adds orders of the demo patient first, none released)
    IF EXISTS (SELECT 1 FROM lab.orders o JOIN auth.users u ON u.id = o.patient_id
                JOIN lab.results r ON r.order_id = o.id JOIN lab.releases l ON l.result_id = r.id
                WHERE u.email LIKE '%@demo.medsys') THEN
        RETURN;
    END IF;
    -- The demo patient (woman, born 1985): a yearly check-up; glucose and
    -- HbA1c rise into the high range, LDL comes down after treatment.
    PERFORM pg_temp.lab_seed('paciente@demo.medsys', 1830,
        '[["2345-7", 88], ["4548-4", 5.3], ["2093-3", 205], ["13457-7", 128], ["2085-9", 58], ["2571-8", 110], ["718-7", 13.2], ["2160-0", 0.78], ["3016-3", 2.10]]');
    PERFORM pg_temp.lab_seed('paciente@demo.medsys', 1465,
        '[["2345-7", 94], ["4548-4", 5.5], ["2093-3", 214], ["13457-7", 139], ["2085-9", 55], ["2571-8", 126], ["718-7", 12.9], ["2160-0", 0.80], ["3016-3", 2.45]]');
    PERFORM pg_temp.lab_seed('paciente@demo.medsys', 1100,
        '[["2345-7", 101], ["4548-4", 5.7], ["2093-3", 226], ["13457-7", 151], ["2085-9", 52], ["2571-8", 162], ["718-7", 11.6], ["2160-0", 0.82], ["3016-3", 2.30]]');
    PERFORM pg_temp.lab_seed('paciente@demo.medsys', 735,
        '[["2345-7", 108], ["4548-4", 5.9], ["2093-3", 198], ["13457-7", 121], ["2085-9", 54], ["2571-8", 148], ["718-7", 12.4], ["2160-0", 0.85], ["3016-3", 3.10]]');
    corr := pg_temp.lab_seed('paciente@demo.medsys', 370,
        '[["2345-7", 112], ["4548-4", 6.1], ["2093-3", 189], ["13457-7", 112], ["2085-9", 57], ["2571-8", 139], ["718-7", 12.8], ["2160-0", 0.83], ["3016-3", 2.80], ["2823-3", 6.8]]');
    -- a haemolysed sample read high: corrected from the repeat test
    PERFORM pg_temp.lab_correct(corr, '2823-3', 4.3,
        'Muestra hemolizada: se repitió la determinación con una muestra nueva.');
    newest := pg_temp.lab_seed('paciente@demo.medsys', 12,
        '[["2345-7", 118], ["4548-4", 6.3], ["2093-3", 181], ["13457-7", 104], ["2085-9", 59], ["2571-8", 131], ["718-7", 12.6], ["2160-0", 0.86], ["3016-3", 2.60], ["5804-0", "trace"]]');
    -- Others, for the doctor's inbox and the lab's worklist.
    PERFORM pg_temp.lab_seed('carmen.lopez@demo.medsys', 400,
        '[["2345-7", 132], ["4548-4", 7.2], ["2160-0", 1.30], ["2823-3", 4.9], ["718-7", 11.4]]');
    PERFORM pg_temp.lab_seed('carmen.lopez@demo.medsys', 20,
        '[["2345-7", 146], ["4548-4", 7.6], ["2160-0", 1.42], ["2823-3", 6.5], ["718-7", 10.9], ["6301-6", 2.4]]', 'released', 'urgent');
    PERFORM pg_temp.lab_seed('jose.martinez@demo.medsys', 800,
        '[["2093-3", 242], ["13457-7", 168], ["2085-9", 38], ["2571-8", 220], ["1742-6", 48]]');
    PERFORM pg_temp.lab_seed('jose.martinez@demo.medsys', 6,
        '[["2093-3", 201], ["13457-7", 129], ["2085-9", 41], ["2571-8", 180], ["1742-6", 52], ["718-7", 15.1]]');
    PERFORM pg_temp.lab_seed('lucia.gomez@demo.medsys', 90, '[["718-7", 12.7], ["6690-2", 6.4], ["777-3", 245], ["3016-3", 1.80]]');
    -- Pending in the lab's worklist: not collected, collected.
    PERFORM pg_temp.lab_seed('lucia.gomez@demo.medsys', 0, '[["3016-3", 0], ["718-7", 0]]', 'ordered', 'routine',
        'Cansancio desde hace dos meses.');
    PERFORM pg_temp.lab_seed('jose.martinez@demo.medsys', 0, '[["2345-7", 0], ["2823-3", 0]]', 'collected', 'urgent',
        'Control de potasio tras cambio de tratamiento.');
    -- Critical values of the past were acknowledged by the doctor at the
    -- time; the events of older releases were sent back then.
    UPDATE lab.critical_alerts c
       SET acknowledged_at = c.notified_at, acknowledged_by = c.doctor_user
     WHERE c.notified_at >= started;
    UPDATE outbox.events e SET status = 'done', done_at = now()
     WHERE e.created_at >= started AND e.status = 'pending'
       AND (e.type LIKE 'lab.%' OR (e.type = 'notice.create' AND e.payload ->> 'kind' LIKE 'lab%'))
       AND NOT (e.type = 'notice.create' AND e.payload ->> 'link' = '/results/' || newest);
END
$$;
