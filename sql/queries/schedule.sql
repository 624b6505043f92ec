-- schedule: doctors' availability (weekly ranges and date exceptions), the
-- doctor's agenda, and secret calendar feeds (fcgi/pages/schedule.c).
-- Local dates and times are always in the clinic time zone passed as a
-- parameter; instants stay timestamptz.

-- name: schedule_own_doctor
-- $1 user: the doctor row of a signed-in doctor.
SELECT id, display_name FROM clinic.doctors WHERE user_id = $1::bigint;

-- name: schedule_doctor
-- $1 doctor id.
SELECT id, display_name FROM clinic.doctors WHERE id = $1::integer;

-- name: schedule_doctors
-- Every doctor, for reception's chooser.
SELECT id, display_name, active FROM clinic.doctors ORDER BY display_name, id;

-- name: schedule_doctor_lock
-- $1 doctor: serialises changes to one doctor's availability, so the
-- overlap check and the insert cannot race.
SELECT id FROM clinic.doctors WHERE id = $1::integer FOR UPDATE;

-- name: schedule_today
-- $1 tz: today's date in the clinic.
SELECT to_char((now() AT TIME ZONE $1::text)::date, 'YYYY-MM-DD');

-- name: schedule_ranges
-- $1 doctor: the weekly template rows.
SELECT id, weekday, to_char(start_time, 'HH24:MI'), to_char(end_time, 'HH24:MI'),
       slot_minutes, mode, location, to_char(valid_from, 'YYYY-MM-DD'),
       coalesce(to_char(valid_to, 'YYYY-MM-DD'), '')
  FROM appt.schedules
 WHERE doctor_id = $1::integer
 ORDER BY weekday, start_time, valid_from, id;

-- name: schedule_range_overlap
-- $1 doctor, $2 weekday, $3 start, $4 end, $5 valid_from, $6 valid_to
-- (NULL: open): an existing range of that weekday that overlaps in time
-- of day and in validity.
SELECT id, to_char(start_time, 'HH24:MI'), to_char(end_time, 'HH24:MI')
  FROM appt.schedules
 WHERE doctor_id = $1::integer AND weekday = $2::smallint
   AND start_time < $4::time AND end_time > $3::time
   AND daterange(valid_from, valid_to, '[]') && daterange($5::date, $6::date, '[]')
 LIMIT 1;

-- name: schedule_range_add
-- $1 doctor, $2 weekday, $3 start, $4 end, $5 slot minutes, $6 mode,
-- $7 location, $8 valid_from, $9 valid_to (NULL: open).
INSERT INTO appt.schedules (doctor_id, weekday, start_time, end_time, slot_minutes,
                            mode, location, valid_from, valid_to)
VALUES ($1::integer, $2::smallint, $3::time, $4::time, $5::smallint, $6::text, $7::text,
        $8::date, $9::date)
RETURNING id;

-- name: schedule_range_delete
-- $1 range, $2 doctor.
DELETE FROM appt.schedules WHERE id = $1::bigint AND doctor_id = $2::integer
RETURNING id;

-- name: schedule_range_owner
-- $1 range: its doctor (to tell "not yours" from "no such row").
SELECT doctor_id FROM appt.schedules WHERE id = $1::bigint;

-- name: schedule_exceptions
-- $1 doctor, $2 tz: exceptions from today on.
SELECT id, to_char(day, 'YYYY-MM-DD'), extract(isodow FROM day)::int, kind,
       coalesce(to_char(start_time, 'HH24:MI'), ''), coalesce(to_char(end_time, 'HH24:MI'), ''),
       coalesce(slot_minutes::text, ''), mode, location, note
  FROM appt.exceptions
 WHERE doctor_id = $1::integer AND day >= (now() AT TIME ZONE $2::text)::date
 ORDER BY day, start_time NULLS FIRST, id;

-- name: schedule_exception_add
-- $1 doctor, $2 day, $3 kind, $4 start, $5 end, $6 slot minutes, $7 mode,
-- $8 location, $9 note (NULL start/end: the whole day; extra needs them).
INSERT INTO appt.exceptions (doctor_id, day, kind, start_time, end_time, slot_minutes,
                             mode, location, note)
VALUES ($1::integer, $2::date, $3::text, $4::time, $5::time, $6::smallint, $7::text,
        $8::text, $9::text)
RETURNING id;

-- name: schedule_off_affected
-- $1 doctor, $2 day, $3 start, $4 end (NULL both: the whole day), $5 tz:
-- the doctor's booked visits still ahead that a day off with those times
-- would fall on: id, patient, local start, patient's name.
SELECT a.id, a.patient_id, to_char(a.starts_at AT TIME ZONE $5::text, 'YYYY-MM-DD HH24:MI'), u.full_name
  FROM appt.appointments a JOIN auth.users u ON u.id = a.patient_id
 WHERE a.doctor_id = $1::integer AND a.status = 'booked' AND a.starts_at > now()
   AND tstzrange(a.starts_at, a.ends_at) &&
       tstzrange(($2::date + coalesce($3::time, time '00:00')) AT TIME ZONE $5::text,
                 CASE WHEN $4::time IS NULL THEN ($2::date + 1)::timestamp
                      ELSE $2::date + $4::time END AT TIME ZONE $5::text)
 ORDER BY a.starts_at;

-- name: schedule_exception_delete
-- $1 exception, $2 doctor.
DELETE FROM appt.exceptions WHERE id = $1::bigint AND doctor_id = $2::integer
RETURNING id;

-- name: schedule_exception_owner
SELECT doctor_id FROM appt.exceptions WHERE id = $1::bigint;

-- name: schedule_preview
-- $1 doctor, $2 tz, $3 days: the slots from today on, local day and
-- times, and whether an active appointment holds the slot.
SELECT to_char(s.starts_at AT TIME ZONE $2::text, 'YYYY-MM-DD'),
       extract(isodow FROM s.starts_at AT TIME ZONE $2::text)::int,
       to_char(s.starts_at AT TIME ZONE $2::text, 'HH24:MI'),
       to_char(s.ends_at AT TIME ZONE $2::text, 'HH24:MI'),
       s.mode, s.location,
       EXISTS (SELECT 1 FROM appt.appointments a
                WHERE a.doctor_id = $1::integer AND a.status = 'booked'
                  AND tstzrange(a.starts_at, a.ends_at) && tstzrange(s.starts_at, s.ends_at))
  FROM appt.slots($1::integer, (now() AT TIME ZONE $2::text)::date,
                  (now() AT TIME ZONE $2::text)::date + $3::integer, $2::text) s
 ORDER BY s.starts_at;

-- name: schedule_agenda
-- $1 doctor, $2 first day, $3 day after the last, $4 tz, $5 appointment
-- (NULL: all): the doctor's appointments of those local days (every
-- status), oldest first, with the patient's id, the visit's encounter
-- (ehr.encounters) if opened, and whether the patient moved or cancelled
-- it themselves (the doctor sees it in the agenda). Column 11 ("due"):
-- booked and started, so it can be marked completed or no-show. The last
-- column: a video visit whose room is open now (docs/tele.md).
SELECT a.id, to_char(a.starts_at AT TIME ZONE $4::text, 'YYYY-MM-DD'),
       to_char(a.starts_at AT TIME ZONE $4::text, 'HH24:MI'),
       to_char(a.ends_at AT TIME ZONE $4::text, 'HH24:MI'),
       u.full_name, a.reason, a.mode, a.location, a.status, a.cancel_reason,
       a.starts_at <= now(),
       a.patient_id, e.id,
       EXISTS (SELECT 1 FROM appt.history h
                WHERE h.appointment_id = a.id AND h.actor_id = a.patient_id
                  AND h.action IN ('moved', 'cancelled')),
       a.mode = 'video' AND tele.window_state(a.id) = 'open'
  FROM appt.doctor_window($1::integer, $2::date, $3::date, $4::text) a
  JOIN auth.users u ON u.id = a.patient_id
  LEFT JOIN ehr.encounters e ON e.appointment_id = a.id
 WHERE $5::bigint IS NULL OR a.id = $5::bigint
 ORDER BY a.starts_at, a.id;

-- name: schedule_agenda_audit
-- The audit rows of a view of the agenda, sent in one batch with
-- schedule_agenda: one per patient on it (none that day: one row without
-- subject). $1-$4 as schedule_agenda, then audit_read's $1 and $3-$7
-- (sql/queries/audit.sql): actor, action, object, address, request id,
-- synchronous_commit.
SELECT audit.append_many($5::bigint,
                         coalesce(nullif(ARRAY(SELECT DISTINCT a.patient_id
                                                 FROM appt.doctor_window($1::integer, $2::date, $3::date, $4::text) a),
                                         '{}'::bigint[]),
                                  ARRAY[NULL]::bigint[]),
                         $6::text, $7::text, $8::text, $9::text),
       set_config('synchronous_commit', $10::text, true);

-- name: schedule_appt_cancel
-- $1 appointment, $2 doctor, $3 actor, $4 reason, $5 tz: cancel an active
-- appointment of this doctor; a new SEQUENCE for the calendar.
UPDATE appt.appointments a
   SET status = 'cancelled', cancelled_by = $3::bigint, cancelled_at = now(),
       cancel_reason = $4::text, sequence = a.sequence + 1
  FROM clinic.doctors d
 WHERE a.id = $1::bigint AND a.doctor_id = $2::integer AND a.status = 'booked'
   AND d.id = a.doctor_id
RETURNING a.patient_id, a.sequence, a.starts_at, d.display_name,
          to_char(a.starts_at AT TIME ZONE $5::text, 'YYYY-MM-DD HH24:MI'),
          to_char(a.starts_at AT TIME ZONE $5::text, 'YYYY-MM-DD');

-- name: schedule_appt_owner
-- $1 appointment, $2 tz: its doctor, patient, status and local day.
SELECT doctor_id, patient_id, status, to_char(starts_at AT TIME ZONE $2::text, 'YYYY-MM-DD')
  FROM appt.appointments WHERE id = $1::bigint;

-- name: schedule_history_add
-- $1 appointment, $2 actor, $3 action, $4 old start, $5 note.
INSERT INTO appt.history (appointment_id, actor_id, action, old_starts_at, note)
VALUES ($1::bigint, $2::bigint, $3::text, $4::timestamptz, $5::text);

-- name: schedule_feed_get
-- $1 user, $2 the clinic's time zone: whether a feed exists and since
-- when (clinic time).
SELECT to_char(created_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI')
  FROM appt.calendar_feeds WHERE user_id = $1::bigint;

-- name: schedule_feed_set
-- $1 user, $2 token hash: a new feed URL (the old one stops working).
INSERT INTO appt.calendar_feeds (user_id, token_hash) VALUES ($1::bigint, $2::bytea)
ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = now();

-- name: schedule_feed_delete
DELETE FROM appt.calendar_feeds WHERE user_id = $1::bigint RETURNING user_id;

-- name: schedule_feed_user
-- $1 token hash: the feed's owner (enabled accounts only) and language.
SELECT u.id, u.language
  FROM appt.calendar_feeds f JOIN auth.users u ON u.id = f.user_id
 WHERE f.token_hash = $1::bytea AND u.disabled_at IS NULL;

-- name: schedule_feed_events
-- $1 user: their upcoming active appointments, as a patient (with the
-- doctor's name) and as a doctor (with only the patient's initials), at
-- most 500. Columns: uid, sequence, start epoch, end epoch, mode,
-- location, as_doctor, who.
(SELECT a.uid, a.sequence, extract(epoch FROM a.starts_at)::bigint,
        extract(epoch FROM a.ends_at)::bigint, a.mode, a.location, false, d.display_name
   FROM appt.appointments a JOIN clinic.doctors d ON d.id = a.doctor_id
  WHERE a.patient_id = $1::bigint AND a.status = 'booked' AND a.ends_at > now()
 UNION ALL
 SELECT a.uid, a.sequence, extract(epoch FROM a.starts_at)::bigint,
        extract(epoch FROM a.ends_at)::bigint, a.mode, a.location, true,
        (SELECT string_agg(upper(left(w, 1)) || '.', '')
           FROM regexp_split_to_table(btrim(u.full_name), '\s+') w WHERE w <> '')
   FROM appt.appointments a JOIN clinic.doctors d ON d.id = a.doctor_id
   JOIN auth.users u ON u.id = a.patient_id
  WHERE d.user_id = $1::bigint AND a.status = 'booked' AND a.ends_at > now())
 ORDER BY 3
 LIMIT 500;
