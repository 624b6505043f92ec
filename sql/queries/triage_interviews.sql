-- triage_interviews: the symptom checker's stored interviews
-- (fcgi/pages/triage). Every statement is bound to the patient's id: a
-- row of another patient is never read by its id alone.

-- name: triage_insert
-- $1 patient, $2 age, $3 sex, $4 pregnant, $5 complaint, $6 started,
-- $7 answers, $8 knowledge-base version.
INSERT INTO bot.interviews (patient_id, age, sex, pregnant, complaint, started, answers, kb_version)
VALUES ($1::bigint, $2::integer, $3::text, $4::boolean, $5::text, $6::boolean, $7::text, $8::text)
RETURNING id;

-- name: triage_get
-- $1 interview, $2 patient, $3 time zone. No row: not this patient's.
SELECT id, age, sex, pregnant, complaint, started, answers, status,
       consent_at IS NOT NULL, coalesce(appointment_id::text, ''),
       to_char(created_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'), summary
  FROM bot.interviews
 WHERE id = $1::bigint AND patient_id = $2::bigint;

-- name: triage_owner
-- $1 interview: whose it is (for the audit row of a refused read).
SELECT patient_id FROM bot.interviews WHERE id = $1::bigint;

-- name: triage_save
-- $1 interview, $2 patient, $3 started, $4 answers, $5 status, $6 level
-- (NULL while open). A finished interview that was consented to keeps its
-- summary; changing an answer afterwards withdraws the consent.
UPDATE bot.interviews
   SET started = $3::boolean, answers = $4::text, status = $5::text, level = $6::text,
       consent_at = CASE WHEN answers = $4::text THEN consent_at END,
       summary = CASE WHEN answers = $4::text THEN summary ELSE '' END,
       appointment_id = CASE WHEN answers = $4::text THEN appointment_id END,
       updated_at = now()
 WHERE id = $1::bigint AND patient_id = $2::bigint
RETURNING id;

-- name: triage_consent
-- $1 interview, $2 patient, $3 summary: consent given; the summary is
-- attached to the patient's next booked appointment (none: to the next
-- one the patient books within 7 days, see triage_attach).
UPDATE bot.interviews i
   SET consent_at = now(), summary = $3::text, updated_at = now(),
       appointment_id = (SELECT a.id FROM appt.appointments a
                          WHERE a.patient_id = i.patient_id AND a.status = 'booked'
                            AND a.starts_at > now()
                          ORDER BY a.starts_at LIMIT 1)
 WHERE id = $1::bigint AND patient_id = $2::bigint AND status <> 'open'
RETURNING id, coalesce(appointment_id::text, '');

-- name: triage_attach
-- $1 appointment just booked, $2 patient: the summaries the patient
-- shared in the last 7 days while no appointment was booked attach to
-- it (appointments/booking.c). Their ids.
UPDATE bot.interviews
   SET appointment_id = $1::bigint, updated_at = now()
 WHERE patient_id = $2::bigint AND consent_at IS NOT NULL AND appointment_id IS NULL
   AND consent_at > now() - interval '7 days'
RETURNING id;

-- name: triage_list
-- $1 patient, $2 time zone: the patient's interviews, newest first.
SELECT id, complaint, status, coalesce(level, ''),
       to_char(created_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI')
  FROM bot.interviews
 WHERE patient_id = $1::bigint
 ORDER BY id DESC
 LIMIT 20;

-- name: triage_for_doctor
-- $1 patient: the summaries the patient agreed to share, newest first.
SELECT id, complaint, coalesce(level, ''), to_char(consent_at, 'YYYY-MM-DD'),
       coalesce(appointment_id::text, '')
  FROM bot.interviews
 WHERE patient_id = $1::bigint AND consent_at IS NOT NULL
 ORDER BY id DESC
 LIMIT 20;

-- name: triage_specialty
-- $1 specialty code (clinic.specialties.code): its id for the booking pages.
SELECT id FROM clinic.specialties WHERE code = $1::text;

-- name: triage_shared_summary
-- $1 patient, $2 interview: the summary the patient shared, for the
-- doctor's note (record/notes.c). No row: not shared, or not theirs.
SELECT summary FROM bot.interviews
 WHERE patient_id = $1::bigint AND id = $2::bigint AND consent_at IS NOT NULL;
