-- Symptom-checker interviews of signed-in patients (issue 14,
-- docs/triage.md "Pages"). Anonymous interviews are never stored: their
-- answers travel in the page's URL. A row holds what the engine needs to
-- run the interview again (the person, the complaint, the answers in
-- triage_answers_encode's text) and, once finished, its outcome. Clinical
-- data: read only through fcgi/pages/triage with an audit row, by the
-- patient and, with the care relationship of core/care, their doctors.
CREATE TABLE bot.interviews (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id      bigint NOT NULL REFERENCES auth.users(id),
    age             integer NOT NULL CHECK (age BETWEEN 0 AND 130),
    sex             text NOT NULL CHECK (sex IN ('any', 'female', 'male')),
    pregnant        boolean NOT NULL DEFAULT false,
    complaint       text NOT NULL CHECK (length(complaint) BETWEEN 1 AND 300),
    -- 1: the complaint was matched (or findings picked from the list).
    started         boolean NOT NULL DEFAULT false,
    answers         text NOT NULL DEFAULT '' CHECK (length(answers) <= 8000),
    kb_version      text NOT NULL CHECK (length(kb_version) <= 31),
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'redflag')),
    level           text CHECK (level IN ('selfcare', 'days', 'today', 'emergency')),
    -- With the patient's consent: the result as plain text (the draft
    -- pre-visit summary) and the appointment it was attached to.
    consent_at      timestamptz,
    summary         text NOT NULL DEFAULT '' CHECK (length(summary) <= 6000),
    appointment_id  bigint REFERENCES appt.appointments(id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX interviews_patient ON bot.interviews (patient_id, id DESC);
CREATE INDEX interviews_appointment ON bot.interviews (appointment_id)
    WHERE appointment_id IS NOT NULL;
