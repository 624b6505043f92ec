-- Demo prescriptions (docs/prescriptions.md "Demo data"): the demo patient
-- (paciente@demo.medsys) and others get prescriptions in every state —
-- active, partly dispensed, dispensed, expired, cancelled — and two with an
-- overridden warning, written by the demo doctor in their latest visit.
-- Demo data cannot sign (the signature is Ed25519 with the instance's
-- key): each prescription is written as a draft and queued in
-- rx.sign_queue with its signing time and what happened next;
-- `medsysctl rx-sign-pending` (run by script/server and the test stack
-- after the seed files) signs them with the real key and replays the
-- dispensings and cancellations. Products are codes of data/formulary
-- (loaded before the seed files); a prescription naming a product the
-- catalog in use lacks is left out. Loading this file again changes
-- nothing once any demo patient has a prescription.

CREATE FUNCTION pg_temp.rx_seed(p_email text, p_signed_days_ago integer, p_valid_days integer,
                                p_items jsonb, p_warnings jsonb DEFAULT '[]',
                                p_cancel_days_ago integer DEFAULT NULL, p_cancel_reason text DEFAULT NULL,
                                p_dispense jsonb DEFAULT '[]')
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    pid bigint;
    doc bigint;
    pharm bigint;
    enc bigint;
    rx bigint;
    signed timestamptz := date_trunc('minute', now()) - make_interval(days => p_signed_days_ago);
    it jsonb;
    w jsonb;
    n integer := 0;
    item bigint;
    ended date;
BEGIN
    SELECT id INTO pid FROM auth.users WHERE email = p_email;
    SELECT d.user_id INTO doc FROM clinic.doctors d JOIN auth.users u ON u.id = d.user_id
     WHERE u.email = 'doctora@demo.medsys';
    SELECT id INTO pharm FROM auth.users WHERE email = 'farmacia@demo.medsys';
    SELECT e.id INTO enc FROM ehr.encounters e
     WHERE e.patient_id = pid AND e.started_at < signed ORDER BY e.started_at DESC LIMIT 1;
    IF pid IS NULL OR doc IS NULL OR enc IS NULL OR EXISTS (
        SELECT 1 FROM jsonb_array_elements(p_items) x
         WHERE NOT EXISTS (SELECT 1 FROM rx.products q WHERE q.code = x->>'product' AND q.active)) THEN
        RETURN;
    END IF;
    INSERT INTO rx.prescriptions (patient_id, encounter_id, prescriber_id, created_at)
    VALUES (pid, enc, doc, signed - interval '12 minutes') RETURNING id INTO rx;
    FOR it IN SELECT * FROM jsonb_array_elements(p_items) LOOP
        n := n + 1;
        INSERT INTO rx.items (prescription_id, line, product_code, dose_amount, dose_unit, route, every_hours,
                              as_needed, duration_days, until_told, advice, quantity, refills)
        VALUES (rx, n, it->>'product', (it->>'amount')::numeric, it->>'unit', it->>'route',
                (it->>'every')::smallint, coalesce((it->>'prn')::boolean, false), (it->>'days')::smallint,
                coalesce((it->>'until')::boolean, false), coalesce(it->>'advice', ''), (it->>'qty')::integer,
                coalesce((it->>'refills')::smallint, 0));
        -- the medication list entry signing makes (dose: the plain words)
        INSERT INTO ehr.items (patient_id, kind, encounter_id, created_by, created_at)
        VALUES (pid, 'medication', enc, doc, signed) RETURNING id INTO item;
        ended := (signed::date) + (it->>'days')::integer - 1;
        INSERT INTO ehr.medication_versions (item_id, version, name, dose, route, started_on, ended_on, status,
                                             prescription_id, recorded_by, recorded_at)
        SELECT item, 1, q.name_es, it->>'text', it->>'route', signed::date, ended,
               CASE WHEN p_cancel_reason IS NOT NULL THEN 'stopped'
                    WHEN ended < current_date THEN 'completed' ELSE 'active' END,
               rx, doc, signed
          FROM rx.products q WHERE q.code = it->>'product';
        INSERT INTO ehr.list_versions (patient_id, list, version, assertion, item_id, recorded_by, recorded_at)
        SELECT pid, 'medications', coalesce(max(l.version), 0) + 1, 'recorded', item, doc, signed
          FROM ehr.list_versions l WHERE l.patient_id = pid AND l.list = 'medications';
    END LOOP;
    FOR w IN SELECT * FROM jsonb_array_elements(p_warnings) LOOP
        INSERT INTO rx.warnings (prescription_id, line, kind, severity, detail, override_reason,
                                 override_confirmed, overridden_by, overridden_at)
        VALUES (rx, (w->>'line')::smallint, w->>'kind', w->>'severity', w->>'detail', w->>'reason',
                w->>'severity' <> 'moderate', doc, signed - interval '2 minutes');
    END LOOP;
    INSERT INTO rx.sign_queue (prescription_id, signed_at, valid_days, cancelled_at, cancel_reason, cancelled_by,
                               dispense)
    VALUES (rx, signed, p_valid_days,
            CASE WHEN p_cancel_reason IS NOT NULL
                 THEN date_trunc('minute', now()) - make_interval(days => p_cancel_days_ago) END,
            p_cancel_reason, CASE WHEN p_cancel_reason IS NOT NULL THEN doc END,
            coalesce((SELECT jsonb_agg(jsonb_build_object(
                         'line', (d->>'line')::integer, 'quantity', (d->>'qty')::integer, 'pharmacist', pharm,
                         'at', date_trunc('minute', now()) - make_interval(days => (d->>'days_ago')::integer)
                               + interval '3 hours'))
                        FROM jsonb_array_elements(p_dispense) d), '[]'));
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM rx.prescriptions p JOIN auth.users u ON u.id = p.patient_id
                WHERE u.email LIKE '%@demo.medsys') THEN
        RETURN;
    END IF;

    -- paciente@demo.medsys (penicillin allergy, cetirizine in spring)
    -- active: a sore throat treated without penicillin
    PERFORM pg_temp.rx_seed('paciente@demo.medsys', 1, 10, '[
        {"product": "azithromycin-500mg-tab", "amount": 1, "unit": "tablet", "route": "oral", "every": 24,
         "days": 3, "qty": 3, "advice": "Una hora antes o dos después de comer.",
         "text": "1 comprimido por vía oral cada 24 horas durante 3 días"},
        {"product": "paracetamol-1g-tab", "amount": 1, "unit": "tablet", "route": "oral", "every": 8,
         "prn": true, "days": 5, "qty": 15,
         "text": "1 comprimido por vía oral cada 8 horas si lo necesita durante 5 días"}]');
    -- partly dispensed: one item collected, the other not yet
    PERFORM pg_temp.rx_seed('paciente@demo.medsys', 3, 10, '[
        {"product": "omeprazole-20mg-grcaps", "amount": 1, "unit": "capsule", "route": "oral", "every": 24,
         "days": 28, "qty": 28, "advice": "En ayunas.", "text": "1 cápsula por vía oral cada 24 horas durante 28 días"},
        {"product": "ibuprofen-400mg-tab", "amount": 1, "unit": "tablet", "route": "oral", "every": 8,
         "prn": true, "days": 7, "qty": 20, "advice": "Con comida.",
         "text": "1 comprimido por vía oral cada 8 horas si lo necesita durante 7 días"}]',
        p_dispense => '[{"line": 1, "qty": 28, "days_ago": 2}]');
    -- dispensed, with an override (cetirizine is on her list already)
    PERFORM pg_temp.rx_seed('paciente@demo.medsys', 20, 30, '[
        {"product": "cetirizine-10mg-tab", "amount": 1, "unit": "tablet", "route": "oral", "every": 24,
         "days": 30, "qty": 30, "text": "1 comprimido por vía oral cada 24 horas durante 30 días"}]',
        p_warnings => '[{"line": 1, "kind": "duplicate", "severity": "major",
         "detail": "Cetirizina 10 mg comprimidos: mismo principio activo que Cetirizina 10 mg",
         "reason": "Sustituye a la cetirizina que tomaba: misma pauta, nuevo envase."}]',
        p_dispense => '[{"line": 1, "qty": 30, "days_ago": 19}]');
    -- expired, never collected
    PERFORM pg_temp.rx_seed('paciente@demo.medsys', 60, 10, '[
        {"product": "loratadine-10mg-tab", "amount": 1, "unit": "tablet", "route": "oral", "every": 24,
         "days": 10, "qty": 10, "text": "1 comprimido por vía oral cada 24 horas durante 10 días"}]');
    -- cancelled the day after
    PERFORM pg_temp.rx_seed('paciente@demo.medsys', 6, 10, '[
        {"product": "ibuprofen-400mg-tab", "amount": 1, "unit": "tablet", "route": "oral", "every": 8,
         "days": 5, "qty": 15, "text": "1 comprimido por vía oral cada 8 horas durante 5 días"}]',
        p_cancel_days_ago => 5, p_cancel_reason => 'Dolor resuelto; se retira el antiinflamatorio.');

    -- carmen.lopez (enalapril): spironolactone, a major interaction overridden
    PERFORM pg_temp.rx_seed('carmen.lopez@demo.medsys', 2, 10, '[
        {"product": "spironolactone-25mg-tab", "amount": 1, "unit": "tablet", "route": "oral", "every": 24,
         "until": true, "qty": 30, "refills": 2, "advice": "Por la mañana.",
         "text": "1 comprimido por vía oral cada 24 horas hasta nueva indicación"}]',
        p_warnings => '[{"line": 1, "kind": "interaction", "severity": "major",
         "detail": "Espironolactona 25 mg comprimidos + Enalapril 20 mg: hiperpotasemia grave, sobre todo con insuficiencia renal",
         "reason": "Insuficiencia cardiaca: potasio y creatinina en 1 semana y después cada mes."}]');
    -- jose.martinez: an inhaler, dispensed
    PERFORM pg_temp.rx_seed('jose.martinez@demo.medsys', 8, 10, '[
        {"product": "salbutamol-100mcg-inh", "amount": 2, "unit": "puff", "route": "inhaled", "every": 6,
         "prn": true, "until": true, "qty": 200, "text": "2 inhalaciones por vía inhalatoria cada 6 horas si lo necesita hasta nueva indicación"}]',
        p_dispense => '[{"line": 1, "qty": 200, "days_ago": 7}]');
    -- lucia.gomez: an antibiotic, active
    PERFORM pg_temp.rx_seed('lucia.gomez@demo.medsys', 0, 10, '[
        {"product": "amoxicillin-500mg-caps", "amount": 1, "unit": "capsule", "route": "oral", "every": 8,
         "days": 7, "qty": 21, "text": "1 cápsula por vía oral cada 8 horas durante 7 días"}]');
END
$$;
