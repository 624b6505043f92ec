-- The medical record (DESIGN.md "Clinical modules"; docs/record.md).
--
-- Nothing clinical is ever updated in place. Each entry of a patient's
-- lists is an item (ehr.items: whose, what kind, who opened it) with
-- numbered versions in a table of its kind; the current state is the
-- highest version, and a correction is a new version with a reason. Two
-- people saving over the same version both try to insert version N+1:
-- the primary key lets one through and the other is told "changed
-- meanwhile" (no lost update, no lock held while a form is open).
--
-- A list as a whole (allergies, problems, medications) also has versions
-- (ehr.list_versions): "no known allergies" is a statement made by
-- someone at some time, different from "not recorded" (no version at all),
-- and every change of an entry of the list moves the list's version, so a
-- save made against an outdated list is refused the same way.
--
-- Visit notes: an encounter (per appointment, or a walk-in) has note
-- drafts (versions), then one signature over one draft version with the
-- SHA-256 of its content; after that, drafts are refused and only signed
-- addenda may follow. Triggers enforce it for every role.
--
-- The application role may insert into these tables and read them, never
-- update or delete a clinical row (see the grants at the end).

-- ------------------------------------------------------------ care

-- Assignments made by reception or an administrator: a care relationship
-- without an appointment (a doctor who follows a patient).
CREATE TABLE ehr.assignments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id   bigint NOT NULL REFERENCES auth.users(id),
    doctor_id    integer NOT NULL REFERENCES clinic.doctors(id),
    assigned_by  bigint NOT NULL REFERENCES auth.users(id),
    assigned_at  timestamptz NOT NULL DEFAULT now(),
    ended_by     bigint REFERENCES auth.users(id),
    ended_at     timestamptz,
    CHECK ((ended_at IS NULL) = (ended_by IS NULL))
);
-- One open assignment per doctor and patient.
CREATE UNIQUE INDEX assignments_open ON ehr.assignments (patient_id, doctor_id)
    WHERE ended_at IS NULL;
CREATE INDEX assignments_doctor ON ehr.assignments (doctor_id) WHERE ended_at IS NULL;

-- Break-glass grants: a doctor without a care relationship states why and
-- gets access for a limited time; the patient is told (outbox) and the
-- administrators' report lists every grant.
CREATE TABLE ehr.break_glass (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    doctor_user_id  bigint NOT NULL REFERENCES auth.users(id),
    patient_id      bigint NOT NULL REFERENCES auth.users(id),
    reason          text NOT NULL CHECK (length(btrim(reason)) BETWEEN 10 AND 500),
    started_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    CHECK (expires_at > started_at)
);
CREATE INDEX break_glass_access ON ehr.break_glass (doctor_user_id, patient_id, expires_at DESC);
CREATE INDEX break_glass_started ON ehr.break_glass (started_at DESC);

-- ------------------------------------------------------------ encounters

CREATE TABLE ehr.encounters (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id      bigint NOT NULL REFERENCES auth.users(id),
    doctor_id       integer NOT NULL REFERENCES clinic.doctors(id),
    appointment_id  bigint UNIQUE REFERENCES appt.appointments(id),
    kind            text NOT NULL CHECK (kind IN ('appointment', 'walk_in')),
    started_at      timestamptz NOT NULL DEFAULT now(),
    created_by      bigint NOT NULL REFERENCES auth.users(id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'appointment') = (appointment_id IS NOT NULL))
);
CREATE INDEX encounters_patient ON ehr.encounters (patient_id, started_at DESC);
CREATE INDEX encounters_doctor ON ehr.encounters (doctor_id, started_at DESC);

-- The encounter's appointment belongs to the same patient and doctor.
CREATE FUNCTION ehr.encounter_matches_appointment() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.appointment_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM appt.appointments a
         WHERE a.id = NEW.appointment_id AND a.patient_id = NEW.patient_id
           AND a.doctor_id = NEW.doctor_id) THEN
        RAISE EXCEPTION 'encounter % does not match its appointment %', NEW.id, NEW.appointment_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER encounters_match BEFORE INSERT ON ehr.encounters
    FOR EACH ROW EXECUTE FUNCTION ehr.encounter_matches_appointment();

-- SOAP note drafts, one row per save.
CREATE TABLE ehr.note_versions (
    encounter_id  bigint NOT NULL REFERENCES ehr.encounters(id),
    version       integer NOT NULL CHECK (version >= 1),
    subjective    text NOT NULL DEFAULT '' CHECK (length(subjective) <= 20000),
    objective     text NOT NULL DEFAULT '' CHECK (length(objective) <= 20000),
    assessment    text NOT NULL DEFAULT '' CHECK (length(assessment) <= 20000),
    plan          text NOT NULL DEFAULT '' CHECK (length(plan) <= 20000),
    saved_by      bigint NOT NULL REFERENCES auth.users(id),
    saved_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (encounter_id, version)
);

-- The assessment's coded diagnoses, per draft version.
CREATE TABLE ehr.note_diagnoses (
    encounter_id  bigint NOT NULL,
    version       integer NOT NULL,
    code          text NOT NULL REFERENCES ehr.icd10_codes(code),
    PRIMARY KEY (encounter_id, version, code),
    FOREIGN KEY (encounter_id, version) REFERENCES ehr.note_versions(encounter_id, version)
);

-- The signature: who, when, which draft, and the SHA-256 of the signed
-- content (docs/record.md gives the exact text hashed).
CREATE TABLE ehr.note_signatures (
    encounter_id  bigint PRIMARY KEY,
    version       integer NOT NULL,
    signed_by     bigint NOT NULL REFERENCES auth.users(id),
    signed_at     timestamptz NOT NULL DEFAULT now(),
    content_hash  bytea NOT NULL CHECK (length(content_hash) = 32),
    FOREIGN KEY (encounter_id, version) REFERENCES ehr.note_versions(encounter_id, version)
);

-- After signing: addenda only, each signed the same way.
CREATE TABLE ehr.note_addenda (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    encounter_id  bigint NOT NULL REFERENCES ehr.note_signatures(encounter_id),
    body          text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 20000),
    signed_by     bigint NOT NULL REFERENCES auth.users(id),
    signed_at     timestamptz NOT NULL DEFAULT now(),
    content_hash  bytea NOT NULL CHECK (length(content_hash) = 32)
);
CREATE INDEX note_addenda_encounter ON ehr.note_addenda (encounter_id, id);

-- A signed note takes no more drafts, and no draft or diagnosis of it
-- changes: checked here so that no role and no code path can get round it.
CREATE FUNCTION ehr.refuse_after_signature() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ehr.lock_encounter(NEW.encounter_id);
    IF EXISTS (SELECT 1 FROM ehr.note_signatures s WHERE s.encounter_id = NEW.encounter_id) THEN
        RAISE EXCEPTION 'the note of encounter % is signed: add an addendum instead', NEW.encounter_id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN NEW;
END
$$;
-- Draft saves and the signature of one encounter take turns (a lock on
-- the encounter's row, held to the end of the transaction), so a draft
-- saved while the note is being signed is either signed or refused, and
-- only the newest draft can be signed. SECURITY DEFINER: row locks need a
-- privilege the application role does not have.
CREATE FUNCTION ehr.lock_encounter(p_encounter bigint) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT NULL::void FROM ehr.encounters WHERE id = p_encounter FOR UPDATE
$$;

CREATE FUNCTION ehr.sign_newest_draft() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ehr.lock_encounter(NEW.encounter_id);
    IF NEW.version <> (SELECT max(version) FROM ehr.note_versions WHERE encounter_id = NEW.encounter_id) THEN
        RAISE EXCEPTION 'the note of encounter % changed meanwhile: sign its newest draft', NEW.encounter_id
            USING ERRCODE = 'serialization_failure';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER note_signatures_newest BEFORE INSERT ON ehr.note_signatures
    FOR EACH ROW EXECUTE FUNCTION ehr.sign_newest_draft();
CREATE TRIGGER note_versions_unsigned BEFORE INSERT ON ehr.note_versions
    FOR EACH ROW EXECUTE FUNCTION ehr.refuse_after_signature();
CREATE TRIGGER note_diagnoses_unsigned BEFORE INSERT ON ehr.note_diagnoses
    FOR EACH ROW EXECUTE FUNCTION ehr.refuse_after_signature();

-- Clinical rows are never changed or removed, by anyone.
CREATE FUNCTION ehr.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on %.% is not allowed: clinical rows are never changed or removed; record a new version',
        TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;

-- ------------------------------------------------------------ lists

CREATE TABLE ehr.items (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id    bigint NOT NULL REFERENCES auth.users(id),
    kind          text NOT NULL CHECK (kind IN ('problem', 'allergy', 'medication', 'immunization',
                                                'family', 'social', 'vitals', 'document')),
    encounter_id  bigint REFERENCES ehr.encounters(id),
    created_by    bigint NOT NULL REFERENCES auth.users(id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, kind)   -- lets each version table require its own kind
);
CREATE INDEX items_patient ON ehr.items (patient_id, kind, id);

-- A list's statements and moves: 'recorded' (entries follow), 'none_known'
-- ("no known allergies"). No row: nothing recorded yet.
CREATE TABLE ehr.list_versions (
    patient_id   bigint NOT NULL REFERENCES auth.users(id),
    list         text NOT NULL CHECK (list IN ('problems', 'allergies', 'medications')),
    version      integer NOT NULL CHECK (version >= 1),
    assertion    text NOT NULL CHECK (assertion IN ('recorded', 'none_known')),
    item_id      bigint REFERENCES ehr.items(id),   -- the entry whose change moved it
    recorded_by  bigint NOT NULL REFERENCES auth.users(id),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (patient_id, list, version)
);

-- Columns every version table has: the item, its version, who and when,
-- and why (required from the second version on: a correction says why).
-- Written out per table (SQL has no mixins); keep them alike.

CREATE TABLE ehr.problem_versions (
    item_id      bigint NOT NULL,
    kind         text NOT NULL DEFAULT 'problem' CHECK (kind = 'problem'),
    version      integer NOT NULL CHECK (version >= 1),
    code         text NOT NULL REFERENCES ehr.icd10_codes(code),
    note         text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    status       text NOT NULL CHECK (status IN ('active', 'resolved', 'entered_in_error')),
    onset        date,
    resolved_on  date CHECK (resolved_on IS NULL OR onset IS NULL OR resolved_on >= onset),
    recorded_by  bigint NOT NULL REFERENCES auth.users(id),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    reason       text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    PRIMARY KEY (item_id, version),
    FOREIGN KEY (item_id, kind) REFERENCES ehr.items(id, kind),
    CHECK (version = 1 OR length(btrim(reason)) > 0)
);

CREATE TABLE ehr.allergy_versions (
    item_id      bigint NOT NULL,
    kind         text NOT NULL DEFAULT 'allergy' CHECK (kind = 'allergy'),
    version      integer NOT NULL CHECK (version >= 1),
    substance    text NOT NULL CHECK (length(btrim(substance)) BETWEEN 1 AND 200),
    substance_code text,                           -- formulary ingredient, once it exists
    type         text NOT NULL CHECK (type IN ('allergy', 'intolerance')),
    category     text NOT NULL CHECK (category IN ('medication', 'food', 'environment', 'biologic', 'other')),
    reaction     text NOT NULL DEFAULT '' CHECK (length(reaction) <= 500),
    severity     text NOT NULL CHECK (severity IN ('mild', 'moderate', 'severe', 'unknown')),
    status       text NOT NULL CHECK (status IN ('active', 'inactive', 'resolved', 'entered_in_error')),
    onset        date,
    recorded_by  bigint NOT NULL REFERENCES auth.users(id),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    reason       text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    PRIMARY KEY (item_id, version),
    FOREIGN KEY (item_id, kind) REFERENCES ehr.items(id, kind),
    CHECK (version = 1 OR length(btrim(reason)) > 0)
);

CREATE TABLE ehr.medication_versions (
    item_id      bigint NOT NULL,
    kind         text NOT NULL DEFAULT 'medication' CHECK (kind = 'medication'),
    version      integer NOT NULL CHECK (version >= 1),
    name         text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    dose         text NOT NULL DEFAULT '' CHECK (length(dose) <= 200),     -- "500 mg every 8 h"
    route        text NOT NULL DEFAULT 'oral'
                 CHECK (route IN ('oral', 'topical', 'inhaled', 'subcutaneous', 'intramuscular',
                                  'intravenous', 'ophthalmic', 'nasal', 'rectal', 'vaginal',
                                  'transdermal', 'sublingual', 'other')),
    started_on   date,
    ended_on     date CHECK (ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on),
    status       text NOT NULL CHECK (status IN ('active', 'completed', 'stopped', 'entered_in_error')),
    prescription_id bigint,                       -- rx, once prescriptions exist
    recorded_by  bigint NOT NULL REFERENCES auth.users(id),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    reason       text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    PRIMARY KEY (item_id, version),
    FOREIGN KEY (item_id, kind) REFERENCES ehr.items(id, kind),
    CHECK (version = 1 OR length(btrim(reason)) > 0)
);

CREATE TABLE ehr.immunization_versions (
    item_id      bigint NOT NULL,
    kind         text NOT NULL DEFAULT 'immunization' CHECK (kind = 'immunization'),
    version      integer NOT NULL CHECK (version >= 1),
    vaccine      text NOT NULL CHECK (length(btrim(vaccine)) BETWEEN 1 AND 200),
    given_on     date NOT NULL,
    dose_number  smallint CHECK (dose_number BETWEEN 1 AND 20),
    lot          text NOT NULL DEFAULT '' CHECK (length(lot) <= 50),
    status       text NOT NULL CHECK (status IN ('completed', 'entered_in_error')),
    recorded_by  bigint NOT NULL REFERENCES auth.users(id),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    reason       text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    PRIMARY KEY (item_id, version),
    FOREIGN KEY (item_id, kind) REFERENCES ehr.items(id, kind),
    CHECK (version = 1 OR length(btrim(reason)) > 0)
);

-- Family history: a relative's condition, coded when known.
CREATE TABLE ehr.family_versions (
    item_id      bigint NOT NULL,
    kind         text NOT NULL DEFAULT 'family' CHECK (kind = 'family'),
    version      integer NOT NULL CHECK (version >= 1),
    relation     text NOT NULL CHECK (relation IN ('mother', 'father', 'sibling', 'child',
                                                   'grandparent', 'other')),
    code         text REFERENCES ehr.icd10_codes(code),
    condition    text NOT NULL DEFAULT '' CHECK (length(condition) <= 200),
    status       text NOT NULL CHECK (status IN ('recorded', 'entered_in_error')),
    recorded_by  bigint NOT NULL REFERENCES auth.users(id),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    reason       text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    PRIMARY KEY (item_id, version),
    FOREIGN KEY (item_id, kind) REFERENCES ehr.items(id, kind),
    CHECK (code IS NOT NULL OR length(btrim(condition)) > 0),
    CHECK (version = 1 OR length(btrim(reason)) > 0)
);

-- Social history: one item per patient, its versions over time.
CREATE TABLE ehr.social_versions (
    item_id         bigint NOT NULL,
    kind            text NOT NULL DEFAULT 'social' CHECK (kind = 'social'),
    version         integer NOT NULL CHECK (version >= 1),
    smoking         text NOT NULL CHECK (smoking IN ('never', 'former', 'current', 'unknown')),
    cigarettes_day  smallint CHECK (cigarettes_day BETWEEN 0 AND 200),
    alcohol         text NOT NULL CHECK (alcohol IN ('none', 'occasional', 'regular', 'heavy', 'unknown')),
    drinks_week     smallint CHECK (drinks_week BETWEEN 0 AND 500),
    note            text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    recorded_by     bigint NOT NULL REFERENCES auth.users(id),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    reason          text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    PRIMARY KEY (item_id, version),
    FOREIGN KEY (item_id, kind) REFERENCES ehr.items(id, kind),
    CHECK (version = 1 OR length(btrim(reason)) > 0)
);
CREATE UNIQUE INDEX items_one_social ON ehr.items (patient_id) WHERE kind = 'social';

-- Vital signs: one set per measurement, any subset of the values, each in
-- one fixed unit with a plausibility range (the form says the same;
-- docs/record.md names the ranges' sources). BMI is computed, not stored.
CREATE TABLE ehr.vital_versions (
    item_id        bigint NOT NULL,
    kind           text NOT NULL DEFAULT 'vitals' CHECK (kind = 'vitals'),
    version        integer NOT NULL CHECK (version >= 1),
    taken_at       timestamptz NOT NULL,
    systolic       smallint CHECK (systolic BETWEEN 50 AND 300),         -- mm[Hg]
    diastolic      smallint CHECK (diastolic BETWEEN 20 AND 200),        -- mm[Hg]
    heart_rate     smallint CHECK (heart_rate BETWEEN 20 AND 300),       -- /min
    temperature    numeric(3,1) CHECK (temperature BETWEEN 25 AND 45),   -- Cel
    weight         numeric(5,2) CHECK (weight BETWEEN 0.3 AND 400),      -- kg
    height         numeric(4,1) CHECK (height BETWEEN 20 AND 260),       -- cm
    spo2           smallint CHECK (spo2 BETWEEN 50 AND 100),             -- %
    glucose        smallint CHECK (glucose BETWEEN 10 AND 1500),         -- mg/dL
    status         text NOT NULL CHECK (status IN ('final', 'entered_in_error')),
    recorded_by    bigint NOT NULL REFERENCES auth.users(id),
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    reason         text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    PRIMARY KEY (item_id, version),
    FOREIGN KEY (item_id, kind) REFERENCES ehr.items(id, kind),
    CHECK ((systolic IS NULL) = (diastolic IS NULL)),
    CHECK (systolic IS NULL OR systolic > diastolic),
    CHECK (num_nonnulls(systolic, heart_rate, temperature, weight, height, spo2, glucose) > 0),
    CHECK (version = 1 OR length(btrim(reason)) > 0)
);
CREATE INDEX vital_versions_taken ON ehr.vital_versions (item_id, taken_at);

-- Documents: metadata of a file stored by content hash (DESIGN.md "Files").
CREATE TABLE ehr.document_versions (
    item_id       bigint NOT NULL,
    kind          text NOT NULL DEFAULT 'document' CHECK (kind = 'document'),
    version       integer NOT NULL CHECK (version >= 1),
    title         text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    media_type    text NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    byte_size     integer NOT NULL CHECK (byte_size BETWEEN 1 AND 20971520),
    sha256        bytea NOT NULL CHECK (length(sha256) = 32),
    status        text NOT NULL CHECK (status IN ('current', 'entered_in_error')),
    recorded_by   bigint NOT NULL REFERENCES auth.users(id),
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    reason        text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    PRIMARY KEY (item_id, version),
    FOREIGN KEY (item_id, kind) REFERENCES ehr.items(id, kind),
    CHECK (version = 1 OR length(btrim(reason)) > 0)
);

-- ------------------------------------------------------------ corrections

-- A patient's request to correct their record (HIPAA right to amend),
-- answered by a doctor: accepted (the change is made as a new version) or
-- refused with a reason the patient reads.
CREATE TABLE ehr.corrections (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id    bigint NOT NULL REFERENCES auth.users(id),
    about         text NOT NULL CHECK (length(btrim(about)) BETWEEN 1 AND 200),
    body          text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 2000),
    requested_at  timestamptz NOT NULL DEFAULT now(),
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'refused')),
    answered_by   bigint REFERENCES auth.users(id),
    answered_at   timestamptz,
    answer        text NOT NULL DEFAULT '' CHECK (length(answer) <= 2000),
    CHECK ((status = 'open') = (answered_at IS NULL)),
    CHECK ((status = 'open') = (answered_by IS NULL)),
    CHECK (status <> 'refused' OR length(btrim(answer)) > 0)
);
CREATE INDEX corrections_patient ON ehr.corrections (patient_id, requested_at DESC);
CREATE INDEX corrections_open ON ehr.corrections (requested_at) WHERE status = 'open';

-- An answer is given once.
CREATE FUNCTION ehr.correction_answer_once() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'open' THEN
        RAISE EXCEPTION 'correction request % is already answered', OLD.id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF NEW.patient_id <> OLD.patient_id OR NEW.about <> OLD.about OR NEW.body <> OLD.body
       OR NEW.requested_at <> OLD.requested_at THEN
        RAISE EXCEPTION 'a correction request''s text never changes' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER corrections_answer_once BEFORE UPDATE ON ehr.corrections
    FOR EACH ROW EXECUTE FUNCTION ehr.correction_answer_once();

-- ------------------------------------------------------------ views

-- The current version of each item (the highest), per kind.
CREATE VIEW ehr.problems AS
    SELECT DISTINCT ON (v.item_id) i.patient_id, i.created_by, i.created_at, v.*
      FROM ehr.problem_versions v JOIN ehr.items i ON i.id = v.item_id
     ORDER BY v.item_id, v.version DESC;
CREATE VIEW ehr.allergies AS
    SELECT DISTINCT ON (v.item_id) i.patient_id, i.created_by, i.created_at, v.*
      FROM ehr.allergy_versions v JOIN ehr.items i ON i.id = v.item_id
     ORDER BY v.item_id, v.version DESC;
CREATE VIEW ehr.medications AS
    SELECT DISTINCT ON (v.item_id) i.patient_id, i.created_by, i.created_at, v.*
      FROM ehr.medication_versions v JOIN ehr.items i ON i.id = v.item_id
     ORDER BY v.item_id, v.version DESC;
CREATE VIEW ehr.immunizations AS
    SELECT DISTINCT ON (v.item_id) i.patient_id, i.created_by, i.created_at, v.*
      FROM ehr.immunization_versions v JOIN ehr.items i ON i.id = v.item_id
     ORDER BY v.item_id, v.version DESC;
CREATE VIEW ehr.family AS
    SELECT DISTINCT ON (v.item_id) i.patient_id, i.created_by, i.created_at, v.*
      FROM ehr.family_versions v JOIN ehr.items i ON i.id = v.item_id
     ORDER BY v.item_id, v.version DESC;
CREATE VIEW ehr.social AS
    SELECT DISTINCT ON (v.item_id) i.patient_id, i.created_by, i.created_at, v.*
      FROM ehr.social_versions v JOIN ehr.items i ON i.id = v.item_id
     ORDER BY v.item_id, v.version DESC;
CREATE VIEW ehr.vitals AS
    SELECT DISTINCT ON (v.item_id) i.patient_id, i.created_by, i.created_at, v.*
      FROM ehr.vital_versions v JOIN ehr.items i ON i.id = v.item_id
     ORDER BY v.item_id, v.version DESC;
CREATE VIEW ehr.documents AS
    SELECT DISTINCT ON (v.item_id) i.patient_id, i.created_by, i.created_at, v.*
      FROM ehr.document_versions v JOIN ehr.items i ON i.id = v.item_id
     ORDER BY v.item_id, v.version DESC;

-- The care relationship of a doctor (by user) with a patient, decided in
-- one place (fcgi/core/care.c calls it through sql/queries/care.sql):
-- 'appointment' (one not cancelled, upcoming or within p_months back),
-- 'assignment' (an open one), 'break_glass' (an unexpired grant; its id
-- in grant_id), or no row.
CREATE FUNCTION ehr.care_basis(p_doctor_user bigint, p_patient bigint, p_months integer)
RETURNS TABLE (basis text, grant_id bigint, grant_reason text, grant_expires timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT b.basis, b.grant_id, b.grant_reason, b.grant_expires FROM (
        (SELECT 1 AS rank, 'appointment' AS basis, NULL::bigint AS grant_id,
                NULL::text AS grant_reason, NULL::timestamptz AS grant_expires
           FROM appt.appointments a JOIN clinic.doctors d ON d.id = a.doctor_id
          WHERE d.user_id = p_doctor_user AND a.patient_id = p_patient
            AND a.status <> 'cancelled'
            AND a.ends_at >= now() - make_interval(months => p_months)
          LIMIT 1)
        UNION ALL
        (SELECT 2, 'assignment', NULL, NULL, NULL
           FROM ehr.assignments s JOIN clinic.doctors d ON d.id = s.doctor_id
          WHERE d.user_id = p_doctor_user AND s.patient_id = p_patient AND s.ended_at IS NULL
          LIMIT 1)
        UNION ALL
        (SELECT 3, 'break_glass', g.id, g.reason, g.expires_at
           FROM ehr.break_glass g
          WHERE g.doctor_user_id = p_doctor_user AND g.patient_id = p_patient
            AND g.expires_at > now()
          ORDER BY g.expires_at DESC
          LIMIT 1)) b
     ORDER BY b.rank
     LIMIT 1
$$;

-- ------------------------------------------------------------ privileges

-- The application inserts and reads; it never updates or deletes a
-- clinical row (triggers refuse it for everyone, superusers included).
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['items', 'list_versions', 'problem_versions', 'allergy_versions',
                             'medication_versions', 'immunization_versions', 'family_versions',
                             'social_versions', 'vital_versions', 'document_versions',
                             'encounters', 'note_versions', 'note_diagnoses', 'note_signatures',
                             'note_addenda', 'break_glass'] LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON ehr.%I FROM medsys_app', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON ehr.%I '
                       'FOR EACH ROW EXECUTE FUNCTION ehr.refuse_change()', t || '_frozen', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON ehr.%I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ehr.refuse_change()', t || '_no_truncate', t);
    END LOOP;
END
$$;
-- Administrative rows that do change: an assignment ends; a correction
-- request is answered once.
REVOKE UPDATE, DELETE, TRUNCATE ON ehr.assignments, ehr.corrections FROM medsys_app;
GRANT UPDATE (ended_by, ended_at) ON ehr.assignments TO medsys_app;
GRANT UPDATE (status, answered_by, answered_at, answer) ON ehr.corrections TO medsys_app;
GRANT SELECT ON ALL TABLES IN SCHEMA ehr TO medsys_app;
GRANT EXECUTE ON FUNCTION ehr.care_basis(bigint, bigint, integer) TO medsys_app;
