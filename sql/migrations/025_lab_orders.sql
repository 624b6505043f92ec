-- Lab orders and results (issue 11; docs/lab.md): the doctor's order from
-- an encounter (panels expanded into tests), the specimen's collection,
-- the results entered per analyte (by lab staff, or by the HL7 import),
-- their release, corrections as new versions, and the critical values
-- that must reach the ordering doctor.
--
-- Clinical rows are never changed in place (DESIGN.md): a result is
-- inserted once; a correction is a new version with its reason; a release
-- is a row of its own. What changes in place is recorded once only: an
-- order's collection, an alert's acknowledgement and escalation (triggers
-- below; SQLSTATEs listed with each).
--
-- The flag of a result is computed here, when it is inserted, by
-- lab.compute_flag (024) from the patient's sex and birth date and the
-- collection time: never taken from a client. The limits it used are
-- copied onto the row, since the catalog's ranges change later.
--
-- Patients (and every export) read results only through
-- lab.released_results: an entered value nobody released never shows.

-- ------------------------------------------------------------ orders

CREATE TABLE lab.orders (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id     bigint NOT NULL REFERENCES auth.users(id),
    encounter_id   bigint NOT NULL REFERENCES ehr.encounters(id),
    ordered_by     bigint NOT NULL REFERENCES auth.users(id),
    -- Printed on the specimen's label (QR and XXXXX-XXXXX) and sent to
    -- the lab system as the HL7 placer order number: the same random
    -- Crockford base32 code as a prescription's (rx.new_short_code, 020).
    order_code     text NOT NULL UNIQUE DEFAULT rx.new_short_code()
                   CHECK (order_code ~ '^[0-9A-HJKMNP-TV-Z]{10}$'),
    clinical_note  text NOT NULL DEFAULT '' CHECK (length(clinical_note) <= 1000),
    priority       text NOT NULL DEFAULT 'routine' CHECK (priority IN ('routine', 'urgent')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    -- Set once, when the lab takes the specimen (or the import says when
    -- it was taken): the ranges are chosen by the age at this moment.
    collected_at   timestamptz,
    collected_by   bigint REFERENCES auth.users(id),
    CHECK (collected_by IS NULL OR collected_at IS NOT NULL)
);
CREATE INDEX orders_patient ON lab.orders (patient_id, created_at DESC);
CREATE INDEX orders_encounter ON lab.orders (encounter_id);
CREATE INDEX orders_doctor ON lab.orders (ordered_by, created_at DESC);

-- The order is for the encounter's patient (23503), like a prescription.
CREATE FUNCTION lab.order_matches_encounter() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM ehr.encounters e
                    WHERE e.id = NEW.encounter_id AND e.patient_id = NEW.patient_id) THEN
        RAISE EXCEPTION 'lab order for patient % does not match encounter %', NEW.patient_id, NEW.encounter_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER orders_match BEFORE INSERT ON lab.orders
    FOR EACH ROW EXECUTE FUNCTION lab.order_matches_encounter();

-- The only change to an order: its collection, once (55000 when already
-- collected; 42501 for anything else).
CREATE FUNCTION lab.order_collect_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.id, NEW.patient_id, NEW.encounter_id, NEW.ordered_by, NEW.order_code, NEW.clinical_note,
        NEW.priority, NEW.created_at)
       IS DISTINCT FROM (OLD.id, OLD.patient_id, OLD.encounter_id, OLD.ordered_by, OLD.order_code,
                         OLD.clinical_note, OLD.priority, OLD.created_at) THEN
        RAISE EXCEPTION 'a lab order never changes; only its collection is recorded'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.collected_at IS NOT NULL THEN
        RAISE EXCEPTION 'lab order % was collected already', OLD.id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER orders_collect_only BEFORE UPDATE ON lab.orders
    FOR EACH ROW EXECUTE FUNCTION lab.order_collect_only();

-- Changes to one order take turns (entry, release, correction): the row
-- lock is held to the end of the transaction, so two people releasing
-- the same order are decided one after the other. SECURITY DEFINER, as
-- rx.lock_prescription: the application role may not lock rows itself.
CREATE FUNCTION lab.lock_order(p_id bigint) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT NULL::void FROM lab.orders WHERE id = p_id FOR UPDATE
$$;

-- ------------------------------------------------------------ tests

-- What was ordered, one row per analyte: a panel is expanded at order
-- time (panel names where it came from), so a later change of the
-- panel's members does not change an order.
CREATE TABLE lab.order_tests (
    order_id  bigint NOT NULL REFERENCES lab.orders(id),
    analyte   text NOT NULL REFERENCES lab.analytes(code),
    panel     text REFERENCES lab.panels(code),
    position  smallint NOT NULL CHECK (position BETWEEN 1 AND 500),
    PRIMARY KEY (order_id, analyte),
    UNIQUE (order_id, position)
);

-- ------------------------------------------------------------ results

CREATE TABLE lab.results (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id       bigint NOT NULL,
    analyte        text NOT NULL,
    -- 1 for the first entry; each correction is the next number.
    version        smallint NOT NULL CHECK (version BETWEEN 1 AND 100),
    value_num      numeric,
    value_text     text CHECK (length(value_text) BETWEEN 1 AND 500),
    -- The analyte's canonical unit (other units are converted before
    -- insert: lab.convert_value, 024).
    unit           text NOT NULL DEFAULT '',
    -- Set by the trigger below, whatever the insert says.
    flag           text CHECK (flag IN ('normal', 'low', 'high', 'critical_low', 'critical_high', 'abnormal')),
    ref_low        numeric,
    ref_high       numeric,
    critical_low   numeric,
    critical_high  numeric,
    entered_by     bigint REFERENCES auth.users(id),
    entered_at     timestamptz NOT NULL DEFAULT now(),
    source         text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'hl7')),
    correction_reason text CHECK (length(btrim(correction_reason)) BETWEEN 5 AND 500),
    FOREIGN KEY (order_id, analyte) REFERENCES lab.order_tests(order_id, analyte),
    UNIQUE (order_id, analyte, version),
    CHECK (num_nonnulls(value_num, value_text) = 1),
    CHECK (version = 1 OR correction_reason IS NOT NULL),
    -- A person enters by hand; the import has nobody.
    CHECK (source = 'hl7' OR entered_by IS NOT NULL)
);
CREATE INDEX results_order ON lab.results (order_id, analyte, version DESC);

-- Before a result is stored: the value fits its analyte (22023), the
-- version is the next one (23505 otherwise: two entries raced), and the
-- flag and limits are computed from the patient and the collection time.
CREATE FUNCTION lab.result_prepare() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    a     lab.analytes;
    o     record;
    last  smallint;
    f     record;
BEGIN
    PERFORM lab.lock_order(NEW.order_id);
    SELECT * INTO a FROM lab.analytes WHERE code = NEW.analyte;
    IF a.kind = 'numeric' AND NEW.value_num IS NULL OR a.kind <> 'numeric' AND NEW.value_text IS NULL THEN
        RAISE EXCEPTION 'a % result of % needs a % value', a.kind, a.code,
            CASE a.kind WHEN 'numeric' THEN 'numeric' ELSE 'text' END USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF a.kind = 'coded' AND NOT (NEW.value_text = ANY (a.choices)) THEN
        RAISE EXCEPTION '% is not an answer of %', NEW.value_text, a.code USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF a.kind = 'numeric' AND (NEW.value_num < a.plausible_low OR NEW.value_num > a.plausible_high) THEN
        RAISE EXCEPTION '% is not a plausible value of %', NEW.value_num, a.code USING ERRCODE = 'invalid_parameter_value';
    END IF;
    NEW.unit := a.unit;
    SELECT max(r.version) INTO last FROM lab.results r WHERE r.order_id = NEW.order_id AND r.analyte = NEW.analyte;
    IF NEW.version IS DISTINCT FROM coalesce(last, 0) + 1 THEN
        RAISE EXCEPTION 'result % of order % is version %, not %', NEW.analyte, NEW.order_id,
            coalesce(last, 0) + 1, NEW.version USING ERRCODE = 'unique_violation';
    END IF;
    SELECT u.sex, u.birth_date, coalesce(ord.collected_at, now()) AS at INTO o
      FROM lab.orders ord JOIN auth.users u ON u.id = ord.patient_id WHERE ord.id = NEW.order_id;
    SELECT * INTO f FROM lab.compute_flag(NEW.analyte, o.sex, o.birth_date, o.at, NEW.value_num, NEW.value_text);
    NEW.flag := f.flag;
    NEW.ref_low := f.low;
    NEW.ref_high := f.high;
    NEW.critical_low := f.critical_low;
    NEW.critical_high := f.critical_high;
    RETURN NEW;
END
$$;
CREATE TRIGGER results_prepare BEFORE INSERT ON lab.results
    FOR EACH ROW EXECUTE FUNCTION lab.result_prepare();

-- ------------------------------------------------------------ releases

-- A result is released once. released_by NULL: released by the HL7
-- import (config lab_import_release). verified_by: a second person (not
-- the one who entered it) who checked it, when the clinic asks for one
-- (config lab_release_second_person, enforced by the page); NULL when the
-- person who entered it confirmed it explicitly.
CREATE TABLE lab.releases (
    result_id    bigint PRIMARY KEY REFERENCES lab.results(id),
    released_by  bigint REFERENCES auth.users(id),
    released_at  timestamptz NOT NULL DEFAULT now(),
    verified_by  bigint REFERENCES auth.users(id)
);

-- Only the newest version of a result is released, and a second person
-- is not the one who entered it (55000 / 42501).
CREATE FUNCTION lab.release_allowed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE res lab.results;
BEGIN
    SELECT * INTO res FROM lab.results WHERE id = NEW.result_id;
    PERFORM lab.lock_order(res.order_id);
    IF EXISTS (SELECT 1 FROM lab.results r WHERE r.order_id = res.order_id AND r.analyte = res.analyte
                                           AND r.version > res.version) THEN
        RAISE EXCEPTION 'result % has a newer version: release that one', NEW.result_id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF NEW.verified_by IS NOT NULL AND NEW.verified_by = res.entered_by THEN
        RAISE EXCEPTION 'result % is verified by a second person, not the one who entered it', NEW.result_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER releases_allowed BEFORE INSERT ON lab.releases
    FOR EACH ROW EXECUTE FUNCTION lab.release_allowed();

-- What a patient and every export may see: per order and analyte, the
-- newest version that was released. corrected: an earlier version had
-- been released (the patient may have seen another value).
CREATE VIEW lab.released_results AS
SELECT DISTINCT ON (r.order_id, r.analyte)
       r.id AS result_id, r.order_id, o.patient_id, o.ordered_by, r.analyte, r.version,
       r.value_num, r.value_text, r.unit, r.flag, r.ref_low, r.ref_high, r.critical_low, r.critical_high,
       r.entered_at, r.source, r.correction_reason, o.collected_at, l.released_at, l.released_by,
       EXISTS (SELECT 1 FROM lab.results p JOIN lab.releases pl ON pl.result_id = p.id
                WHERE p.order_id = r.order_id AND p.analyte = r.analyte AND p.version < r.version) AS corrected
  FROM lab.results r
  JOIN lab.releases l ON l.result_id = r.id
  JOIN lab.orders o ON o.id = r.order_id
 ORDER BY r.order_id, r.analyte, r.version DESC;

-- ------------------------------------------------------------ critical values

-- A critical value released: the ordering doctor is told at once (urgent
-- notice and mail, by the notifier), acknowledges it on its page, and
-- when nobody has after config lab_critical_ack_minutes the notifier
-- escalates to config lab_oncall_email. Each happens exactly once: the
-- row is created once per result (its key), and acknowledgement and
-- escalation are set once (trigger below).
CREATE TABLE lab.critical_alerts (
    result_id        bigint PRIMARY KEY REFERENCES lab.results(id),
    doctor_user      bigint NOT NULL REFERENCES auth.users(id),
    notified_at      timestamptz NOT NULL DEFAULT now(),
    acknowledged_at  timestamptz,
    acknowledged_by  bigint REFERENCES auth.users(id),
    escalated_at     timestamptz,
    CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
);
CREATE INDEX critical_alerts_open ON lab.critical_alerts (doctor_user) WHERE acknowledged_at IS NULL;

-- Acknowledged once, escalated once, nothing else changes (55000 / 42501).
CREATE FUNCTION lab.critical_alert_once() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.result_id, NEW.doctor_user, NEW.notified_at) IS DISTINCT FROM
       (OLD.result_id, OLD.doctor_user, OLD.notified_at) THEN
        RAISE EXCEPTION 'a critical alert never changes; only its acknowledgement and escalation are recorded'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.acknowledged_at IS NOT NULL AND (NEW.acknowledged_at, NEW.acknowledged_by)
                                           IS DISTINCT FROM (OLD.acknowledged_at, OLD.acknowledged_by)
       OR OLD.escalated_at IS NOT NULL AND NEW.escalated_at IS DISTINCT FROM OLD.escalated_at THEN
        RAISE EXCEPTION 'critical alert % was recorded already', OLD.result_id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER critical_alerts_once BEFORE UPDATE ON lab.critical_alerts
    FOR EACH ROW EXECUTE FUNCTION lab.critical_alert_once();

-- The notifier has mailed the on-call address: the escalation recorded
-- with its audit row, once. true when this call recorded it.
CREATE FUNCTION lab.critical_escalated(p_result bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE pid bigint;
BEGIN
    UPDATE lab.critical_alerts SET escalated_at = now()
     WHERE result_id = p_result AND escalated_at IS NULL;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    SELECT o.patient_id INTO pid FROM lab.results r JOIN lab.orders o ON o.id = r.order_id WHERE r.id = p_result;
    PERFORM audit.append(NULL, pid, 'lab.critical_escalated', 'result:' || p_result, '', '');
    RETURN true;
END
$$;

-- ------------------------------------------------------------ events

-- Every release, whoever makes it (the page, or the HL7 import with
-- lab_import_release), tells who must know, in the release's own
-- transaction (docs/events.md, docs/lab.md "Notices"):
--   a critical value: its alert row, the doctor's urgent notice and the
--   lab.critical event (mail; the notifier then schedules the escalation);
--   per order, once per transaction: the patient's notice and the
--   lab.results_ready event, or, when a released value replaced an earlier
--   released one, lab.result_corrected (doctor and patient) and notices.
-- No clinical content travels: ids and names only.
CREATE FUNCTION lab.release_events() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    x record;
BEGIN
    FOR x IN
        SELECT n.result_id, o.ordered_by, o.id AS order_id
          FROM new_rows n JOIN lab.results r ON r.id = n.result_id JOIN lab.orders o ON o.id = r.order_id
         WHERE r.flag IN ('critical_low', 'critical_high')
    LOOP
        INSERT INTO lab.critical_alerts (result_id, doctor_user) VALUES (x.result_id, x.ordered_by)
            ON CONFLICT (result_id) DO NOTHING;
        INSERT INTO outbox.events (type, payload, dedup_key)
        VALUES ('notice.create',
                jsonb_build_object('user_id', x.ordered_by, 'kind', 'lab_critical', 'params', '{}'::jsonb,
                                   'link', '/lab/critical/' || x.result_id),
                'notice:lab.critical:' || x.result_id),
               ('lab.critical', jsonb_build_object('result_id', x.result_id), 'lab.critical:' || x.result_id)
        ON CONFLICT (dedup_key) DO NOTHING;
    END LOOP;
    FOR x IN
        SELECT o.id AS order_id, o.patient_id, o.ordered_by,
               bool_or(EXISTS (SELECT 1 FROM lab.results p JOIN lab.releases pl ON pl.result_id = p.id
                                WHERE p.order_id = r.order_id AND p.analyte = r.analyte
                                  AND p.version < r.version)) AS corrected
          FROM new_rows n JOIN lab.results r ON r.id = n.result_id JOIN lab.orders o ON o.id = r.order_id
         GROUP BY o.id, o.patient_id, o.ordered_by
    LOOP
        INSERT INTO outbox.events (type, payload, dedup_key)
        SELECT t, p, t || ':' || x.order_id || ':' || pg_current_xact_id()::text || ':' || k
          FROM (VALUES
                ('notice.create', jsonb_build_object('user_id', x.patient_id,
                     'kind', CASE WHEN x.corrected THEN 'lab_corrected' ELSE 'lab_ready' END,
                     'params', '{}'::jsonb, 'link', '/results/' || x.order_id), 'patient'),
                ('notice.create', jsonb_build_object('user_id', x.ordered_by, 'kind', 'lab_corrected_doctor',
                     'params', '{}'::jsonb,
                     'link', '/patients/' || x.patient_id || '/results'), 'doctor'),
                (CASE WHEN x.corrected THEN 'lab.result_corrected' ELSE 'lab.results_ready' END,
                     jsonb_build_object('order_id', x.order_id, 'who', 'patient'), 'mail_patient'),
                ('lab.result_corrected', jsonb_build_object('order_id', x.order_id, 'who', 'doctor'),
                     'mail_doctor')) v(t, p, k)
         WHERE x.corrected OR k NOT IN ('doctor', 'mail_doctor')
        ON CONFLICT (dedup_key) DO NOTHING;
    END LOOP;
    RETURN NULL;
END
$$;
CREATE TRIGGER releases_events AFTER INSERT ON lab.releases
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lab.release_events();

-- ------------------------------------------------------------ privileges

-- Results, tests, releases are never changed or removed, by anyone; an
-- order and an alert only as their triggers allow.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['order_tests', 'results', 'releases'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON lab.%I '
                       'FOR EACH ROW EXECUTE FUNCTION ehr.refuse_change()', t || '_frozen', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['orders', 'order_tests', 'results', 'releases', 'critical_alerts'] LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON lab.%I FROM medsys_app', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON lab.%I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ehr.refuse_change()', t || '_no_truncate', t);
    END LOOP;
END
$$;
CREATE TRIGGER orders_no_delete BEFORE DELETE ON lab.orders
    FOR EACH ROW EXECUTE FUNCTION ehr.refuse_change();
CREATE TRIGGER critical_alerts_no_delete BEFORE DELETE ON lab.critical_alerts
    FOR EACH ROW EXECUTE FUNCTION ehr.refuse_change();
GRANT SELECT, INSERT ON lab.orders, lab.order_tests, lab.results, lab.releases, lab.critical_alerts
    TO medsys_app;
GRANT UPDATE (collected_at, collected_by) ON lab.orders TO medsys_app;
GRANT UPDATE (acknowledged_at, acknowledged_by, escalated_at) ON lab.critical_alerts TO medsys_app;
GRANT SELECT ON lab.released_results TO medsys_app;
GRANT EXECUTE ON FUNCTION lab.lock_order(bigint), lab.critical_escalated(bigint) TO medsys_app;
