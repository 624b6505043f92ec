-- appointments: finding a doctor, free slots, booking, cancelling and
-- moving appointments; reception's patient search (fcgi/pages/appointments.c).
-- Times shown to people are formatted here in the clinic's time zone ($tz);
-- instants travel between pages as epoch seconds of a slot's start.

-- name: appointments_specialties
-- $1 language ('es'/'en').
SELECT id, CASE WHEN $1::text = 'en' THEN name_en ELSE name_es END AS name
  FROM clinic.specialties
 ORDER BY 2;

-- name: appointments_doctors
-- $1 specialty id (NULL: any), $2 part of the name (NULL: any; accents
-- and case ignored), $3 language.
-- Active doctors with an account, and their specialties.
SELECT d.id, d.display_name,
       coalesce(string_agg(CASE WHEN $3::text = 'en' THEN s.name_en ELSE s.name_es END, ', '
                           ORDER BY s.name_es), '')
  FROM clinic.doctors d
  LEFT JOIN clinic.doctor_specialties ds ON ds.doctor_id = d.id
  LEFT JOIN clinic.specialties s ON s.id = ds.specialty_id
 WHERE d.active
   AND ($1::integer IS NULL OR EXISTS (SELECT 1 FROM clinic.doctor_specialties x
                                        WHERE x.doctor_id = d.id AND x.specialty_id = $1::integer))
   AND ($2::text IS NULL OR ehr.icd10_fold(d.display_name) LIKE appt.search_like($2::text))
 GROUP BY d.id, d.display_name
 ORDER BY d.display_name, d.id
 LIMIT 100;

-- name: appointments_doctor
-- $1 doctor id, $2 language: an active doctor.
SELECT d.id, d.display_name, coalesce(d.user_id, 0),
       coalesce((SELECT string_agg(CASE WHEN $2::text = 'en' THEN s.name_en ELSE s.name_es END, ', ')
                   FROM clinic.doctor_specialties ds JOIN clinic.specialties s ON s.id = ds.specialty_id
                  WHERE ds.doctor_id = d.id), '')
  FROM clinic.doctors d
 WHERE d.id = $1::integer AND d.active;

-- name: appointments_week_slots
-- $1 doctor, $2 time zone, $3 weeks ahead, $4 a date in the week wanted
-- (NULL: this week), $5 the patient, $6 the appointment being moved (NULL:
-- none). One week of free slots that overlap none of the patient's other
-- booked appointments (with any doctor), Monday to Sunday in the
-- clinic's time zone, clamped to the bookable weeks: from the week of
-- today to the week holding the last bookable day (today + 7 * $3 - 1).
-- Columns: that Monday, its Sunday, the previous and the next Monday (NULL
-- at the bounds), then per slot its local date, ISO weekday, local time,
-- mode and location. Every row repeats the week; a week without a free
-- slot is one row whose slot columns are NULL.
WITH b AS (
  SELECT t.today, t.today + 7 * $3::integer AS stop,
         t.today - (extract(isodow FROM t.today)::integer - 1) AS first,
         t.today + 7 * $3::integer - extract(isodow FROM t.today + 7 * $3::integer - 1)::integer AS last
    FROM (SELECT (now() AT TIME ZONE $2::text)::date AS today) t
), w AS (
  SELECT b.*, least(greatest(coalesce($4::date - (extract(isodow FROM $4::date)::integer - 1), b.first),
                             b.first), b.last) AS mon
    FROM b
)
SELECT to_char(w.mon, 'YYYY-MM-DD'), to_char(w.mon + 6, 'YYYY-MM-DD'),
       CASE WHEN w.mon > w.first THEN to_char(w.mon - 7, 'YYYY-MM-DD') END,
       CASE WHEN w.mon < w.last THEN to_char(w.mon + 7, 'YYYY-MM-DD') END,
       to_char(s.starts_at AT TIME ZONE $2::text, 'YYYY-MM-DD'),
       extract(isodow FROM s.starts_at AT TIME ZONE $2::text)::integer,
       to_char(s.starts_at AT TIME ZONE $2::text, 'HH24:MI'),
       s.mode, s.location
  FROM w LEFT JOIN LATERAL (
         SELECT f.* FROM appt.free_slots($1::integer, greatest(w.mon, w.today),
                                         least(w.mon + 7, w.stop), $2::text) f
          WHERE NOT appt.patient_busy($5::bigint, f.starts_at, f.ends_at, $6::bigint)) s ON true
 ORDER BY s.starts_at;

-- name: appointments_local_start
-- $1 local date, $2 local time ('HH:MM'), $3 time zone: the epoch of that
-- wall-clock time in the clinic, as appt.slots() computes a slot's start.
-- No row when that local time does not exist (skipped by a clock change).
SELECT extract(epoch FROM i)::bigint
  FROM (SELECT ($1::date + $2::time) AT TIME ZONE $3::text AS i) x
 WHERE i AT TIME ZONE $3::text = $1::date + $2::time;

-- name: appointments_nearest_free
-- $1 doctor, $2 time zone, $3 weeks ahead, $4 epoch wanted, $5 the
-- patient, $6 the appointment being moved (NULL: none): the 5 free slots
-- nearest to it, never the one wanted nor one overlapping another booked
-- appointment of the patient, in time order, and the local date wanted
-- (for a link to the picker's page of that week).
SELECT * FROM (
  SELECT extract(epoch FROM s.starts_at)::bigint AS epoch,
         to_char(s.starts_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI') AS local,
         s.mode, s.location, to_char(to_timestamp($4::bigint) AT TIME ZONE $2::text, 'YYYY-MM-DD')
    FROM appt.free_slots($1::integer, (now() AT TIME ZONE $2::text)::date,
                         (now() AT TIME ZONE $2::text)::date + 7 * $3::integer, $2::text) s
   WHERE s.starts_at <> to_timestamp($4::bigint)
     AND NOT appt.patient_busy($5::bigint, s.starts_at, s.ends_at, $6::bigint)
   ORDER BY abs(extract(epoch FROM s.starts_at) - $4::bigint), s.starts_at
   LIMIT 5) n
 ORDER BY epoch;

-- name: appointments_slot
-- $1 doctor, $2 epoch, $3 time zone, $4 weeks ahead, $5 cancel cutoff
-- hours: the offered slot starting then, if it is one and lies in the
-- bookable window; column 5: it starts inside the cutoff (once booked it
-- cannot be changed online).
SELECT to_char(s.starts_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'),
       to_char(s.ends_at AT TIME ZONE $3::text, 'HH24:MI'), s.mode, s.location,
       s.starts_at - make_interval(hours => $5::integer) <= now()
  FROM appt.slots($1::integer, (to_timestamp($2::bigint) AT TIME ZONE $3::text)::date,
                  (to_timestamp($2::bigint) AT TIME ZONE $3::text)::date + 1, $3::text) s
 WHERE s.starts_at = to_timestamp($2::bigint)
   AND s.starts_at > now()
   AND s.starts_at < now() + make_interval(days => 7 * $4::integer + 1);

-- name: appointments_by_key
-- $1 idempotency key: the appointment a form already created, and whose.
SELECT id, patient_id FROM appt.appointments WHERE idempotency_key = $1::text;

-- name: appointments_insert
-- $1 doctor, $2 epoch, $3 time zone, $4 weeks, $5 patient, $6 reason,
-- $7 created by, $8 idempotency key. Books the offered slot starting at
-- $2 (the times, mode and location come from appt.slots, never from the
-- client). No row: not an offered slot. The exclusion constraints refuse
-- a slot already taken (or a patient's overlapping visit).
INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, location,
                               reason, created_by, idempotency_key)
SELECT $1::integer, $5::bigint, s.starts_at, s.ends_at, s.mode, s.location,
       $6::text, $7::bigint, $8::text
  FROM appt.slots($1::integer, (to_timestamp($2::bigint) AT TIME ZONE $3::text)::date,
                  (to_timestamp($2::bigint) AT TIME ZONE $3::text)::date + 1, $3::text) s
 WHERE s.starts_at = to_timestamp($2::bigint)
   AND s.starts_at > now()
   AND s.starts_at < now() + make_interval(days => 7 * $4::integer + 1)
RETURNING id, to_char(starts_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI');

-- name: appointments_history_add
-- $1 appointment, $2 actor, $3 action, $4 old start (NULL), $5 note.
INSERT INTO appt.history (appointment_id, actor_id, action, old_starts_at, new_starts_at, note)
SELECT a.id, $2::bigint, $3::text, $4::timestamptz,
       CASE WHEN $3::text IN ('booked', 'moved') THEN a.starts_at END, $5::text
  FROM appt.appointments a WHERE a.id = $1::bigint;

-- name: appointments_emit_notify
-- $1 appointment, $2 what (booked/moved/cancelled): the e-mail event for
-- the patient, with the appointment's current sequence.
INSERT INTO outbox.events (type, payload)
SELECT 'appointment.notify',
       jsonb_build_object('appointment_id', a.id, 'what', $2::text, 'sequence', a.sequence)
  FROM appt.appointments a WHERE a.id = $1::bigint;

-- name: appointments_emit_reminders
-- $1 appointment, $2 hours before ("24,2"): one reminder per value whose
-- due time is still ahead, for the current sequence; never twice.
INSERT INTO outbox.events (type, payload, due_at, dedup_key)
SELECT 'appointment.reminder',
       jsonb_build_object('appointment_id', a.id, 'sequence', a.sequence, 'hours', h),
       a.starts_at - make_interval(hours => h),
       'reminder:' || a.id || ':' || a.sequence || ':' || h
  FROM appt.appointments a,
       unnest(string_to_array(regexp_replace($2::text, '\s', '', 'g'), ',')::integer[]) h
 WHERE a.id = $1::bigint AND a.status = 'booked' AND h > 0
   AND a.starts_at - make_interval(hours => h) > now()
ON CONFLICT (dedup_key) DO NOTHING;

-- name: appointments_list
-- $1 patient, $2 time zone: upcoming first (soonest first), then the rest
-- (latest first). Column 6: upcoming, that is booked and still ahead (a
-- cancelled visit is never "upcoming").
SELECT a.id, d.display_name, to_char(a.starts_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'),
       a.mode, a.status, a.status = 'booked' AND a.ends_at > now()
  FROM appt.appointments a JOIN clinic.doctors d ON d.id = a.doctor_id
 WHERE a.patient_id = $1::bigint
 ORDER BY a.status = 'booked' AND a.ends_at > now() DESC,
          CASE WHEN a.status = 'booked' AND a.ends_at > now() THEN a.starts_at END ASC,
          a.starts_at DESC
 LIMIT 200;

-- name: appointments_get
-- $1 appointment, $2 time zone, $3 cancel cutoff hours: one appointment
-- (the last column: its video room is open now, docs/tele.md).
SELECT a.id, a.patient_id, u.full_name, u.email, a.doctor_id, d.display_name,
       coalesce(d.user_id, 0),
       to_char(a.starts_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'),
       to_char(a.ends_at AT TIME ZONE $2::text, 'HH24:MI'),
       a.mode, a.location, a.reason, a.status, a.sequence,
       a.status = 'booked' AND a.starts_at > now(),
       a.status = 'booked' AND a.starts_at - make_interval(hours => $3::integer) > now(),
       a.cancel_reason, a.starts_at::text, extract(epoch FROM a.starts_at)::bigint,
       a.status = 'booked' AND a.starts_at <= now(),
       tele.window_state(a.id) = 'open'
  FROM appt.appointments a
  JOIN clinic.doctors d ON d.id = a.doctor_id
  JOIN auth.users u ON u.id = a.patient_id
 WHERE a.id = $1::bigint;

-- name: appointments_owner
-- $1 appointment: whose it is (for the audit row of a refused access).
SELECT patient_id FROM appt.appointments WHERE id = $1::bigint;

-- name: appointments_history
-- $1 appointment, $2 time zone.
SELECT to_char(h.at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'), h.action,
       coalesce(to_char(h.old_starts_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'), ''),
       coalesce(to_char(h.new_starts_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'), ''),
       h.note, coalesce(u.full_name, '')
  FROM appt.history h LEFT JOIN auth.users u ON u.id = h.actor_id
 WHERE h.appointment_id = $1::bigint
 ORDER BY h.at, h.id;

-- name: appointments_cancel
-- $1 appointment, $2 by, $3 reason, $4 cutoff hours (NULL: none, for
-- reception). No row: not booked any more, or too late.
UPDATE appt.appointments
   SET status = 'cancelled', cancelled_by = $2::bigint, cancelled_at = now(),
       cancel_reason = $3::text, sequence = sequence + 1
 WHERE id = $1::bigint AND status = 'booked'
   AND ($4::integer IS NULL OR starts_at - make_interval(hours => $4::integer) > now())
RETURNING id;

-- name: appointments_move
-- $1 appointment, $2 doctor, $3 new epoch, $4 time zone, $5 weeks, $6
-- cutoff hours (NULL: none). Moves a booked appointment to another offered
-- slot of the same doctor in one statement: the exclusion constraints take
-- the new slot and release the old one atomically. No row: not a slot,
-- not booked, or too late.
UPDATE appt.appointments a
   SET starts_at = s.starts_at, ends_at = s.ends_at, mode = s.mode, location = s.location,
       sequence = a.sequence + 1
  FROM appt.slots($2::integer, (to_timestamp($3::bigint) AT TIME ZONE $4::text)::date,
                  (to_timestamp($3::bigint) AT TIME ZONE $4::text)::date + 1, $4::text) s
 WHERE a.id = $1::bigint AND a.doctor_id = $2::integer AND a.status = 'booked'
   AND ($6::integer IS NULL OR a.starts_at - make_interval(hours => $6::integer) > now())
   AND s.starts_at = to_timestamp($3::bigint)
   AND s.starts_at > now()
   AND s.starts_at < now() + make_interval(days => 7 * $5::integer + 1)
   AND s.starts_at <> a.starts_at
RETURNING a.id, to_char(s.starts_at AT TIME ZONE $4::text, 'YYYY-MM-DD HH24:MI');

-- name: appointments_set_status
-- $1 appointment, $2 new status (completed/no_show), $3 doctor's user id
-- (NULL: any doctor, for reception), $4 clinic time zone (unused: kept
-- for the callers). No row: not booked, not theirs, or the visit has not
-- started yet (a patient is not missing before their time). A visit whose
-- encounter is open took place even before its time (a video call the
-- doctor began in the room's early window): it may be completed.
UPDATE appt.appointments a SET status = $2::text
  FROM clinic.doctors d
 WHERE a.id = $1::bigint AND a.status = 'booked' AND d.id = a.doctor_id
   AND $2::text IN ('completed', 'no_show')
   AND ($3::bigint IS NULL OR d.user_id = $3::bigint)
   AND (a.starts_at <= now()
        OR ($2::text = 'completed'
            AND EXISTS (SELECT 1 FROM ehr.encounters e WHERE e.appointment_id = a.id)))
   AND $4::text IS NOT NULL
RETURNING a.patient_id;

-- name: appointments_patients
-- $1 text to find in a name or e-mail, accents and case ignored ("perez"
-- finds "Pérez"): patients, for reception.
SELECT u.id, u.full_name, u.email
  FROM auth.users u
 WHERE EXISTS (SELECT 1 FROM auth.user_roles r WHERE r.user_id = u.id AND r.role = 'patient')
   AND (ehr.icd10_fold(u.full_name) LIKE appt.search_like($1::text)
        OR ehr.icd10_fold(u.email) LIKE appt.search_like($1::text))
 ORDER BY u.full_name, u.id
 LIMIT 50;

-- name: appointments_patient
-- $1 user id: a patient, for reception.
SELECT u.id, u.full_name, u.email
  FROM auth.users u
 WHERE u.id = $1::bigint
   AND EXISTS (SELECT 1 FROM auth.user_roles r WHERE r.user_id = u.id AND r.role = 'patient');

-- name: appointments_patient_overlap
-- $1 patient, $2 doctor, $3 epoch of the slot wanted, $4 time zone, $5
-- the appointment being moved (NULL: none): the patient's own booked
-- appointment that overlaps that slot (why a booking was refused), with
-- its local start. No row: someone else took the slot.
SELECT o.id, to_char(o.starts_at AT TIME ZONE $4::text, 'YYYY-MM-DD HH24:MI')
  FROM appt.slots($2::integer, (to_timestamp($3::bigint) AT TIME ZONE $4::text)::date,
                  (to_timestamp($3::bigint) AT TIME ZONE $4::text)::date + 1, $4::text) s
  JOIN appt.appointments o
    ON o.patient_id = $1::bigint AND o.status = 'booked'
   AND o.id IS DISTINCT FROM $5::bigint
   AND tstzrange(o.starts_at, o.ends_at) && tstzrange(s.starts_at, s.ends_at)
 WHERE s.starts_at = to_timestamp($3::bigint)
 ORDER BY o.starts_at
 LIMIT 1;
