-- Appointments: doctors' weekly availability with date exceptions, the
-- appointments themselves (never double-booked: exclusion constraints),
-- their history, and secret calendar-feed tokens.

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- A weekly template: on `weekday` (ISO 1 = Monday … 7 = Sunday) the doctor
-- sees patients from start_time to end_time (clinic local time) in slots of
-- slot_minutes, between valid_from and valid_to (inclusive; NULL: open).
CREATE TABLE appt.schedules (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    doctor_id     integer NOT NULL REFERENCES clinic.doctors(id) ON DELETE CASCADE,
    weekday       smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_time    time NOT NULL,
    end_time      time NOT NULL CHECK (end_time > start_time),
    slot_minutes  smallint NOT NULL CHECK (slot_minutes BETWEEN 5 AND 240),
    mode          text NOT NULL DEFAULT 'in_person' CHECK (mode IN ('in_person', 'video')),
    location      text NOT NULL DEFAULT '' CHECK (length(location) <= 200),
    valid_from    date NOT NULL DEFAULT current_date,
    valid_to      date CHECK (valid_to IS NULL OR valid_to >= valid_from),
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX schedules_doctor ON appt.schedules (doctor_id, weekday);

-- Date exceptions: 'off' removes availability (the whole day when
-- start_time is NULL, else that range); 'extra' adds a range that day.
CREATE TABLE appt.exceptions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    doctor_id     integer NOT NULL REFERENCES clinic.doctors(id) ON DELETE CASCADE,
    day           date NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('off', 'extra')),
    start_time    time,
    end_time      time,
    slot_minutes  smallint CHECK (slot_minutes BETWEEN 5 AND 240),
    mode          text NOT NULL DEFAULT 'in_person' CHECK (mode IN ('in_person', 'video')),
    location      text NOT NULL DEFAULT '' CHECK (length(location) <= 200),
    note          text NOT NULL DEFAULT '' CHECK (length(note) <= 200),
    CHECK ((start_time IS NULL) = (end_time IS NULL)),
    CHECK (end_time IS NULL OR end_time > start_time),
    CHECK (kind = 'off' OR (start_time IS NOT NULL AND slot_minutes IS NOT NULL))
);
CREATE INDEX exceptions_doctor_day ON appt.exceptions (doctor_id, day);

CREATE TABLE appt.appointments (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uid              text NOT NULL UNIQUE DEFAULT gen_random_uuid()::text,  -- iCalendar UID, stable
    sequence         integer NOT NULL DEFAULT 0,                            -- iCalendar SEQUENCE
    doctor_id        integer NOT NULL REFERENCES clinic.doctors(id),
    patient_id       bigint NOT NULL REFERENCES auth.users(id),
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL CHECK (ends_at > starts_at),
    mode             text NOT NULL CHECK (mode IN ('in_person', 'video')),
    location         text NOT NULL DEFAULT '',
    reason           text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    status           text NOT NULL DEFAULT 'booked'
                     CHECK (status IN ('booked', 'cancelled', 'completed', 'no_show')),
    created_by       bigint REFERENCES auth.users(id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    cancelled_by     bigint REFERENCES auth.users(id),
    cancelled_at     timestamptz,
    cancel_reason    text NOT NULL DEFAULT '' CHECK (length(cancel_reason) <= 500),
    idempotency_key  text UNIQUE CHECK (length(idempotency_key) <= 100),
    -- No doctor and no patient is ever in two active appointments at once:
    -- PostgreSQL itself refuses the second, so no race can double-book.
    CONSTRAINT appointments_doctor_no_overlap EXCLUDE USING gist
        (doctor_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status = 'booked'),
    CONSTRAINT appointments_patient_no_overlap EXCLUDE USING gist
        (patient_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status = 'booked')
);
CREATE INDEX appointments_patient ON appt.appointments (patient_id, starts_at);
CREATE INDEX appointments_doctor ON appt.appointments (doctor_id, starts_at);

-- Every change of an appointment: booked, moved, cancelled, completed, no-show.
CREATE TABLE appt.history (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    appointment_id  bigint NOT NULL REFERENCES appt.appointments(id) ON DELETE CASCADE,
    at              timestamptz NOT NULL DEFAULT now(),
    actor_id        bigint REFERENCES auth.users(id),
    action          text NOT NULL CHECK (action IN ('booked', 'moved', 'cancelled', 'completed', 'no_show')),
    old_starts_at   timestamptz,
    new_starts_at   timestamptz,
    note            text NOT NULL DEFAULT '' CHECK (length(note) <= 500)
);
CREATE INDEX history_appointment ON appt.history (appointment_id, at);

-- A secret, revocable iCalendar feed URL per user (hash only).
CREATE TABLE appt.calendar_feeds (
    user_id     bigint PRIMARY KEY REFERENCES auth.users(id) ON DELETE CASCADE,
    token_hash  bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The slots a doctor offers from p_from to p_to (dates, exclusive end;
-- clinic local time p_tz), from the weekly templates and the exceptions,
-- as instants. Each slot lasts slot_minutes of real time. A slot length
-- that does not divide a range leaves the rest unused; local times that do
-- not exist (the hour skipped when clocks go forward) are left out; where
-- ranges overlap, a slot that would overlap an earlier one is left out, so
-- the offered slots never overlap.
CREATE FUNCTION appt.slots(p_doctor integer, p_from date, p_to date, p_tz text)
RETURNS TABLE (starts_at timestamptz, ends_at timestamptz, mode text, location text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    c record;
    last_end timestamptz := '-infinity';
BEGIN
    FOR c IN
        WITH days AS (
            SELECT d::date AS day FROM generate_series(p_from, p_to - 1, interval '1 day') d
        ), ranges AS (
            SELECT days.day, s.start_time, s.end_time, s.slot_minutes, s.mode, s.location
              FROM days JOIN appt.schedules s
                ON s.doctor_id = p_doctor AND s.weekday = extract(isodow FROM days.day)
               AND s.valid_from <= days.day AND (s.valid_to IS NULL OR days.day <= s.valid_to)
             WHERE NOT EXISTS (SELECT 1 FROM appt.exceptions x
                                WHERE x.doctor_id = p_doctor AND x.day = days.day
                                  AND x.kind = 'off' AND x.start_time IS NULL)
            UNION ALL
            SELECT x.day, x.start_time, x.end_time, x.slot_minutes, x.mode, x.location
              FROM appt.exceptions x
             WHERE x.doctor_id = p_doctor AND x.kind = 'extra' AND x.day >= p_from AND x.day < p_to
        )
        SELECT t AS local_start, r.slot_minutes, r.mode, r.location, r.day,
               t AT TIME ZONE p_tz AS start_instant
          FROM ranges r,
               generate_series(r.day + r.start_time,
                               r.day + r.end_time - make_interval(mins => r.slot_minutes),
                               make_interval(mins => r.slot_minutes)) t
         WHERE (t AT TIME ZONE p_tz) AT TIME ZONE p_tz = t          -- exists locally
           AND NOT EXISTS (SELECT 1 FROM appt.exceptions x
                            WHERE x.doctor_id = p_doctor AND x.day = r.day AND x.kind = 'off'
                              AND x.start_time IS NOT NULL
                              AND (r.day + x.start_time, r.day + x.end_time)
                                  OVERLAPS (t, t + make_interval(mins => r.slot_minutes)))
         ORDER BY start_instant, r.slot_minutes
    LOOP
        IF c.start_instant >= last_end THEN
            starts_at := c.start_instant;
            ends_at := c.start_instant + make_interval(mins => c.slot_minutes);
            mode := c.mode;
            location := c.location;
            last_end := ends_at;
            RETURN NEXT;
        END IF;
    END LOOP;
END
$$;

-- The free slots: offered, in the future, not overlapping an active
-- appointment of the doctor.
CREATE FUNCTION appt.free_slots(p_doctor integer, p_from date, p_to date, p_tz text)
RETURNS TABLE (starts_at timestamptz, ends_at timestamptz, mode text, location text)
LANGUAGE sql STABLE AS $$
    SELECT s.* FROM appt.slots(p_doctor, p_from, p_to, p_tz) s
     WHERE s.starts_at > now()
       AND NOT EXISTS (SELECT 1 FROM appt.appointments a
                        WHERE a.doctor_id = p_doctor AND a.status = 'booked'
                          AND tstzrange(a.starts_at, a.ends_at) && tstzrange(s.starts_at, s.ends_at))
$$;
