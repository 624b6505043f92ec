-- Prescriptions (issue 10; docs/prescriptions.md): drafts written inside an
-- encounter, their items, the safety warnings and their overrides, the
-- signature (with the signed token printed as a QR), cancellations and
-- dispensings, and the status every page shows.
--
-- A prescription is a draft until its row in rx.signatures exists. While it
-- is a draft its items may be added and removed and its warnings recomputed
-- and overridden; once signed nothing of it changes, for any role (the
-- triggers below, like 012's for visit notes). What may happen to a signed
-- prescription is recorded in rows of their own: one cancellation (while
-- nothing was dispensed) and dispensings (while signed, not cancelled, not
-- expired, and never beyond what remains). Those rules are checked here, in
-- the database, under a lock on the prescription's row, so that no code path
-- and no race (two pharmacists at the same moment) can break them; the
-- pages turn the refusals into answers (SQLSTATEs listed with each trigger).
--
-- Items name a product of the formulary (rx.products, 018) by its code;
-- the signature names its key (rx.signing_keys, 019).

-- ------------------------------------------------------------ short codes

-- The code typed at the pharmacy when the QR cannot be scanned: 10 random
-- characters of Crockford's base32 (no I, L, O, U: nothing to misread),
-- printed as XXXXX-XXXXX; 50 bits, so a guess finds nothing.
CREATE FUNCTION rx.new_short_code() RETURNS text
LANGUAGE sql VOLATILE AS $$
    SELECT string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', get_byte(h, i) % 32 + 1, 1), ''
                      ORDER BY i)
      FROM (SELECT sha256(uuid_send(gen_random_uuid())) AS h) r, generate_series(0, 9) i
$$;

-- A medicine's name without its strength and form, folded ("Amoxicilina
-- 500 mg cápsulas" -> "amoxicilina"): how the safety checks (sql/queries/
-- rx.sql, rx_check) recognise a product in the free text of a medication
-- list entry or an allergy. NULL when too short to mean anything.
CREATE FUNCTION rx.base_name(p_name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT nullif(b, '') FROM (SELECT btrim(substring(ehr.icd10_fold(p_name) FROM '^[^0-9(/,]*')) AS b) x
     WHERE length(b) >= 4
$$;

-- ------------------------------------------------------------ prescriptions

CREATE TABLE rx.prescriptions (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id         bigint NOT NULL REFERENCES auth.users(id),
    encounter_id       bigint NOT NULL REFERENCES ehr.encounters(id),
    prescriber_id      bigint NOT NULL REFERENCES auth.users(id),
    short_code         text NOT NULL UNIQUE DEFAULT rx.new_short_code()
                       CHECK (short_code ~ '^[0-9A-HJKMNP-TV-Z]{10}$'),
    created_at         timestamptz NOT NULL DEFAULT now(),
    -- What the dose checks used, as known when writing (a child's dose by
    -- weight; the pregnancy flag): kept with the prescription, since the
    -- record changes later.
    patient_weight_kg  numeric(5,2) CHECK (patient_weight_kg BETWEEN 0.3 AND 400),
    pregnant           boolean
);
CREATE INDEX prescriptions_patient ON rx.prescriptions (patient_id, created_at DESC);
CREATE INDEX prescriptions_encounter ON rx.prescriptions (encounter_id);
CREATE INDEX prescriptions_prescriber ON rx.prescriptions (prescriber_id, created_at DESC);

-- The prescription is for the encounter's patient.
CREATE FUNCTION rx.prescription_matches_encounter() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM ehr.encounters e
                    WHERE e.id = NEW.encounter_id AND e.patient_id = NEW.patient_id) THEN
        RAISE EXCEPTION 'prescription for patient % does not match encounter %', NEW.patient_id, NEW.encounter_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER prescriptions_match BEFORE INSERT ON rx.prescriptions
    FOR EACH ROW EXECUTE FUNCTION rx.prescription_matches_encounter();

-- Changes to one prescription take turns: the row lock is held to the end
-- of the transaction, so a dispensing racing a cancellation, two
-- dispensings of one item, or an item added while it is being signed are
-- decided one after the other. SECURITY DEFINER: row locks need a privilege
-- the application role does not have on this table.
CREATE FUNCTION rx.lock_prescription(p_id bigint) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT NULL::void FROM rx.prescriptions WHERE id = p_id FOR UPDATE
$$;

-- ------------------------------------------------------------ items

CREATE TABLE rx.items (
    prescription_id  bigint NOT NULL REFERENCES rx.prescriptions(id),
    line             smallint NOT NULL CHECK (line BETWEEN 1 AND 20),
    product_code     text NOT NULL REFERENCES rx.products(code),
    dose_amount      numeric(8,3) NOT NULL CHECK (dose_amount > 0 AND dose_amount <= 10000),
    dose_unit        text NOT NULL CHECK (length(btrim(dose_unit)) BETWEEN 1 AND 30),
    route            text NOT NULL
                     CHECK (route IN ('oral', 'topical', 'inhaled', 'subcutaneous', 'intramuscular',
                                      'intravenous', 'ophthalmic', 'nasal', 'rectal', 'vaginal',
                                      'transdermal', 'sublingual', 'other')),
    every_hours      smallint CHECK (every_hours BETWEEN 1 AND 720),   -- NULL: a single dose
    as_needed        boolean NOT NULL DEFAULT false,
    duration_days    smallint CHECK (duration_days BETWEEN 1 AND 366),
    until_told       boolean NOT NULL DEFAULT false,
    advice           text NOT NULL DEFAULT '' CHECK (length(advice) <= 500),
    quantity         integer NOT NULL CHECK (quantity BETWEEN 1 AND 10000),  -- dose units, per dispensing
    refills          smallint NOT NULL DEFAULT 0 CHECK (refills BETWEEN 0 AND 12),
    PRIMARY KEY (prescription_id, line),
    -- A repeated dose says for how long: so many days, or until the doctor
    -- says otherwise; never both.
    CHECK (NOT (until_told AND duration_days IS NOT NULL)),
    CHECK (every_hours IS NULL OR until_told OR duration_days IS NOT NULL)
);

-- Items are added and removed only while the prescription is a draft;
-- never changed (an edit is a removal and a new line). 55000.
CREATE FUNCTION rx.refuse_if_signed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE p bigint;
BEGIN
    p := CASE WHEN TG_OP = 'DELETE' THEN OLD.prescription_id ELSE NEW.prescription_id END;
    PERFORM rx.lock_prescription(p);
    IF rx.is_signed(p) THEN
        RAISE EXCEPTION 'prescription % is signed: it cannot change', p
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF EXISTS (SELECT 1 FROM rx.cancellations c WHERE c.prescription_id = p) THEN
        RAISE EXCEPTION 'prescription % is cancelled: it cannot change', p
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER items_draft_only BEFORE INSERT OR DELETE ON rx.items
    FOR EACH ROW EXECUTE FUNCTION rx.refuse_if_signed();

-- ------------------------------------------------------------ warnings

-- The safety checks' findings for a draft (computed on each preview,
-- statement rx_check in sql/queries/rx.sql). A finding that is still found
-- keeps its row, and so its override; one no longer found is removed (an
-- item was removed). Every finding needs an override with a reason before
-- signing; a major or contraindicated one also a separate confirmation.
CREATE TABLE rx.warnings (
    prescription_id     bigint NOT NULL REFERENCES rx.prescriptions(id),
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    line                smallint CHECK (line BETWEEN 1 AND 20),
    kind                text NOT NULL CHECK (kind IN ('allergy', 'duplicate', 'interaction', 'max_dose', 'pregnancy')),
    severity            text NOT NULL CHECK (severity IN ('moderate', 'major', 'contraindicated')),
    detail              text NOT NULL CHECK (length(btrim(detail)) BETWEEN 1 AND 500),
    override_reason     text CHECK (length(btrim(override_reason)) BETWEEN 5 AND 500),
    override_confirmed  boolean NOT NULL DEFAULT false,
    overridden_by       bigint REFERENCES auth.users(id),
    overridden_at       timestamptz,
    CHECK (num_nulls(override_reason, overridden_by, overridden_at) IN (0, 3)),
    -- Not a single click: a severe finding's override is a reason AND a
    -- separate confirmation.
    CHECK (override_reason IS NULL OR severity = 'moderate' OR override_confirmed)
);
CREATE UNIQUE INDEX warnings_finding ON rx.warnings (prescription_id, kind, (coalesce(line, 0)), detail);

CREATE TRIGGER warnings_draft_only BEFORE INSERT OR UPDATE OR DELETE ON rx.warnings
    FOR EACH ROW EXECUTE FUNCTION rx.refuse_if_signed();

-- An override never changes what was found.
CREATE FUNCTION rx.warning_override_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.prescription_id, NEW.id, NEW.line, NEW.kind, NEW.severity, NEW.detail)
       IS DISTINCT FROM (OLD.prescription_id, OLD.id, OLD.line, OLD.kind, OLD.severity, OLD.detail) THEN
        RAISE EXCEPTION 'a warning''s finding never changes; only its override is recorded'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER warnings_override_only BEFORE UPDATE ON rx.warnings
    FOR EACH ROW EXECUTE FUNCTION rx.warning_override_only();

-- ------------------------------------------------------------ signatures

-- The signature: who, when, the validity (issued_on .. expires_on, both
-- days included), the SHA-256 digest of the canonical text of patient and
-- items (rx-token: rx_digest in C, rx.prescription_digest in SQL), the key
-- (8-byte id; rx.signing_keys) and the token the QR carries.
CREATE TABLE rx.signatures (
    prescription_id  bigint PRIMARY KEY REFERENCES rx.prescriptions(id),
    signed_by        bigint NOT NULL REFERENCES auth.users(id),
    signed_at        timestamptz NOT NULL DEFAULT now(),
    issued_on        date NOT NULL,
    expires_on       date NOT NULL CHECK (expires_on >= issued_on),
    digest           bytea NOT NULL CHECK (length(digest) = 32),
    key_id           bytea NOT NULL REFERENCES rx.signing_keys(key_id),
    token            text NOT NULL UNIQUE CHECK (token ~ '^[A-Z2-7]+$' AND length(token) BETWEEN 20 AND 400)
);

CREATE FUNCTION rx.is_signed(p_id bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM rx.signatures s WHERE s.prescription_id = p_id)
$$;

-- Signed: by the prescriber, with at least one item, not cancelled, and
-- every warning overridden (23514 otherwise).
CREATE FUNCTION rx.signature_ready() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM rx.lock_prescription(NEW.prescription_id);
    IF NOT EXISTS (SELECT 1 FROM rx.prescriptions p
                    WHERE p.id = NEW.prescription_id AND p.prescriber_id = NEW.signed_by) THEN
        RAISE EXCEPTION 'prescription % is signed by its prescriber only', NEW.prescription_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF EXISTS (SELECT 1 FROM rx.cancellations c WHERE c.prescription_id = NEW.prescription_id) THEN
        RAISE EXCEPTION 'prescription % is cancelled', NEW.prescription_id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM rx.items i WHERE i.prescription_id = NEW.prescription_id) THEN
        RAISE EXCEPTION 'prescription % has no items', NEW.prescription_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM rx.warnings w
                WHERE w.prescription_id = NEW.prescription_id AND w.override_reason IS NULL) THEN
        RAISE EXCEPTION 'prescription % has warnings without an override', NEW.prescription_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER signatures_ready BEFORE INSERT ON rx.signatures
    FOR EACH ROW EXECUTE FUNCTION rx.signature_ready();

-- ------------------------------------------------------------ cancellations

CREATE TABLE rx.cancellations (
    prescription_id  bigint PRIMARY KEY REFERENCES rx.prescriptions(id),
    cancelled_by     bigint NOT NULL REFERENCES auth.users(id),
    cancelled_at     timestamptz NOT NULL DEFAULT now(),
    reason           text NOT NULL CHECK (length(btrim(reason)) BETWEEN 5 AND 500)
);

-- Cancelled while nothing was dispensed (55000 otherwise). A draft may be
-- cancelled too: that is how it is abandoned (nothing is deleted).
CREATE FUNCTION rx.cancellation_allowed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM rx.lock_prescription(NEW.prescription_id);
    IF EXISTS (SELECT 1 FROM rx.dispensings d WHERE d.prescription_id = NEW.prescription_id) THEN
        RAISE EXCEPTION 'prescription % was dispensed: it cannot be cancelled', NEW.prescription_id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER cancellations_allowed BEFORE INSERT ON rx.cancellations
    FOR EACH ROW EXECUTE FUNCTION rx.cancellation_allowed();

-- ------------------------------------------------------------ dispensings

CREATE TABLE rx.dispensings (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    prescription_id  bigint NOT NULL,
    line             smallint NOT NULL,
    quantity         integer NOT NULL CHECK (quantity > 0),
    pharmacist_id    bigint NOT NULL REFERENCES auth.users(id),
    dispensed_at     timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (prescription_id, line) REFERENCES rx.items(prescription_id, line)
);
CREATE INDEX dispensings_item ON rx.dispensings (prescription_id, line, dispensed_at);

-- A dispensing needs a signed prescription, neither cancelled nor expired
-- (55000), and never exceeds what remains of the item: quantity × (1 +
-- refills) minus what was dispensed (23514). Under the prescription's lock,
-- so of two pharmacists dispensing the rest at once, the second is refused.
CREATE FUNCTION rx.dispensing_allowed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    s rx.signatures;
    allowed integer;
    done integer;
BEGIN
    PERFORM rx.lock_prescription(NEW.prescription_id);
    SELECT * INTO s FROM rx.signatures WHERE prescription_id = NEW.prescription_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'prescription % is not signed', NEW.prescription_id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF EXISTS (SELECT 1 FROM rx.cancellations c WHERE c.prescription_id = NEW.prescription_id) THEN
        RAISE EXCEPTION 'prescription % is cancelled', NEW.prescription_id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF current_date > s.expires_on OR NEW.dispensed_at::date > s.expires_on
       OR NEW.dispensed_at::date < s.issued_on THEN
        RAISE EXCEPTION 'prescription % is not valid on that day (valid % to %)',
            NEW.prescription_id, s.issued_on, s.expires_on
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    SELECT i.quantity * (1 + i.refills) INTO allowed
      FROM rx.items i WHERE i.prescription_id = NEW.prescription_id AND i.line = NEW.line;
    SELECT coalesce(sum(d.quantity), 0) INTO done
      FROM rx.dispensings d WHERE d.prescription_id = NEW.prescription_id AND d.line = NEW.line;
    IF done + NEW.quantity > allowed THEN
        RAISE EXCEPTION 'item % of prescription %: % remain, % asked', NEW.line, NEW.prescription_id,
            allowed - done, NEW.quantity
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER dispensings_allowed BEFORE INSERT ON rx.dispensings
    FOR EACH ROW EXECUTE FUNCTION rx.dispensing_allowed();

-- ------------------------------------------------------------ status

-- Per item: what may be dispensed in all (quantity × (1 + refills)), what
-- was, what remains, and the latest dispensing (who, when: the answer a
-- pharmacist who came second reads).
CREATE VIEW rx.item_status AS
    SELECT i.prescription_id, i.line, i.product_code, i.quantity, i.refills,
           i.quantity * (1 + i.refills) AS allowed,
           coalesce(d.dispensed, 0)::integer AS dispensed,
           (i.quantity * (1 + i.refills) - coalesce(d.dispensed, 0))::integer AS remaining,
           d.last_at AS last_dispensed_at, d.last_by AS last_dispensed_by
      FROM rx.items i
      LEFT JOIN LATERAL (
           SELECT sum(x.quantity) AS dispensed,
                  max(x.dispensed_at) AS last_at,
                  (array_agg(x.pharmacist_id ORDER BY x.dispensed_at DESC, x.id DESC))[1] AS last_by
             FROM rx.dispensings x
            WHERE x.prescription_id = i.prescription_id AND x.line = i.line) d ON true;

-- Per prescription: the status every page shows, in this order of
-- precedence: cancelled; draft (not signed); dispensed (nothing remains);
-- expired (after expires_on); partly_dispensed; active. With the per-item
-- figures as arrays in line order (lines, dispensed, remaining).
CREATE VIEW rx.prescription_status AS
    SELECT p.id AS prescription_id, p.patient_id, p.prescriber_id, p.encounter_id, p.short_code,
           p.created_at, s.signed_at, s.issued_on, s.expires_on, c.cancelled_at,
           CASE WHEN c.prescription_id IS NOT NULL THEN 'cancelled'
                WHEN s.prescription_id IS NULL THEN 'draft'
                WHEN t.remaining = 0 THEN 'dispensed'
                WHEN current_date > s.expires_on THEN 'expired'
                WHEN t.dispensed > 0 THEN 'partly_dispensed'
                ELSE 'active' END AS status,
           coalesce(t.lines, '{}') AS lines,
           coalesce(t.dispensed_each, '{}') AS dispensed,
           coalesce(t.remaining_each, '{}') AS remaining
      FROM rx.prescriptions p
      LEFT JOIN rx.signatures s ON s.prescription_id = p.id
      LEFT JOIN rx.cancellations c ON c.prescription_id = p.id
      LEFT JOIN LATERAL (
           SELECT sum(x.dispensed) AS dispensed, sum(x.remaining) AS remaining,
                  array_agg(x.line ORDER BY x.line) AS lines,
                  array_agg(x.dispensed ORDER BY x.line) AS dispensed_each,
                  array_agg(x.remaining ORDER BY x.line) AS remaining_each
             FROM rx.item_status x WHERE x.prescription_id = p.id) t ON true;

-- ------------------------------------------------------------ demo data

-- Demo data cannot sign (the key is the instance's, the signature Ed25519
-- in C): sql/seed/rx_*.sql writes drafts and queues them here with what
-- happened to them next; `medsysctl rx-sign-pending` (run by script/server
-- and the test stack after the seeds) signs each with the instance key,
-- dated signed_at, then calls rx.sign_queue_finish to replay the story.
CREATE TABLE rx.sign_queue (
    prescription_id  bigint PRIMARY KEY REFERENCES rx.prescriptions(id),
    signed_at        timestamptz NOT NULL,
    valid_days       smallint NOT NULL DEFAULT 30 CHECK (valid_days BETWEEN 1 AND 365),
    cancelled_at     timestamptz,
    cancel_reason    text,
    cancelled_by     bigint REFERENCES auth.users(id),
    -- [{"line": 1, "quantity": 10, "pharmacist": <user id>, "at": "<timestamptz>"}, ...]
    dispense         jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(dispense) = 'array'),
    CHECK (num_nulls(cancelled_at, cancel_reason, cancelled_by) IN (0, 3))
);

-- After the signature: the queued cancellation and dispensings, then the
-- queue row goes.
CREATE FUNCTION rx.sign_queue_finish(p_id bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE q rx.sign_queue;
BEGIN
    SELECT * INTO q FROM rx.sign_queue WHERE prescription_id = p_id;
    IF NOT FOUND OR NOT rx.is_signed(p_id) THEN
        RAISE EXCEPTION 'prescription % is not a signed queued one', p_id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    INSERT INTO rx.dispensings (prescription_id, line, quantity, pharmacist_id, dispensed_at)
    SELECT p_id, (d->>'line')::smallint, (d->>'quantity')::integer, (d->>'pharmacist')::bigint,
           (d->>'at')::timestamptz
      FROM jsonb_array_elements(q.dispense) d
     ORDER BY (d->>'at')::timestamptz;
    IF q.cancelled_at IS NOT NULL THEN
        INSERT INTO rx.cancellations (prescription_id, cancelled_by, cancelled_at, reason)
        VALUES (p_id, q.cancelled_by, q.cancelled_at, q.cancel_reason);
    END IF;
    DELETE FROM rx.sign_queue WHERE prescription_id = p_id;
END
$$;

-- A medication list entry made by signing names its prescription.
ALTER TABLE ehr.medication_versions
    ADD CONSTRAINT medication_versions_prescription
    FOREIGN KEY (prescription_id) REFERENCES rx.prescriptions(id);

-- ------------------------------------------------------------ privileges

-- Signatures, cancellations and dispensings are never changed or removed,
-- by anyone (ehr.refuse_change, as for the record); nor a prescription's
-- row once signed. Items and warnings are removed only from a draft
-- (triggers above); a warning is updated only to record its override.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['signatures', 'cancellations', 'dispensings'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON rx.%I '
                       'FOR EACH ROW EXECUTE FUNCTION ehr.refuse_change()', t || '_frozen', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['prescriptions', 'items', 'warnings', 'signatures', 'cancellations',
                             'dispensings'] LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON rx.%I FROM medsys_app', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON rx.%I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ehr.refuse_change()', t || '_no_truncate', t);
    END LOOP;
END
$$;
CREATE TRIGGER prescriptions_frozen BEFORE UPDATE OR DELETE ON rx.prescriptions
    FOR EACH ROW EXECUTE FUNCTION ehr.refuse_change();
CREATE TRIGGER items_no_update BEFORE UPDATE ON rx.items
    FOR EACH ROW EXECUTE FUNCTION ehr.refuse_change();
GRANT DELETE ON rx.items, rx.warnings TO medsys_app;
GRANT UPDATE (override_reason, override_confirmed, overridden_by, overridden_at) ON rx.warnings TO medsys_app;
GRANT SELECT, INSERT ON rx.prescriptions, rx.items, rx.warnings, rx.signatures, rx.cancellations,
    rx.dispensings TO medsys_app;
GRANT SELECT ON rx.item_status, rx.prescription_status TO medsys_app;
GRANT SELECT, INSERT, DELETE ON rx.sign_queue TO medsys_app;
GRANT EXECUTE ON FUNCTION rx.new_short_code(), rx.is_signed(bigint), rx.base_name(text) TO medsys_app;
