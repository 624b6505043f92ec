-- home: the public home page. $1 is the page language ('es' or 'en').

-- name: home_clinic
SELECT name,
       CASE WHEN $1::text = 'en' THEN tagline_en ELSE tagline_es END,
       address, phone, email
  FROM clinic.settings
 WHERE id = 1;

-- name: home_doctors
SELECT d.display_name,
       coalesce(string_agg(CASE WHEN $1::text = 'en' THEN s.name_en ELSE s.name_es END,
                           ', ' ORDER BY CASE WHEN $1::text = 'en' THEN s.name_en ELSE s.name_es END), '')
  FROM clinic.doctors d
  LEFT JOIN clinic.doctor_specialties ds ON ds.doctor_id = d.id
  LEFT JOIN clinic.specialties s ON s.id = ds.specialty_id
 WHERE d.active
 GROUP BY d.id, d.display_name
 ORDER BY d.display_name, d.id;

-- ---------------------------------------------------------------------
-- The signed-in homes (fcgi/pages/home/sections.c). Each section is one
-- statement; its parameters are named by letters in the section's row:
-- u the signed-in user's id, t the clinic time zone, l the language.
-- Local times are in the clinic time zone.

-- name: home_patient_appointments
-- $1 patient, $2 tz: the next booked visits (not cancelled), soonest
-- first: id, when, doctor, mode, location, call ('t': a video visit whose
-- room is open now, docs/tele.md).
SELECT a.id, to_char(a.starts_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'),
       d.display_name, a.mode, a.location, tele.window_state(a.id) = 'open'
  FROM appt.appointments a JOIN clinic.doctors d ON d.id = a.doctor_id
 WHERE a.patient_id = $1::bigint AND a.status = 'booked' AND a.ends_at > now()
 ORDER BY a.starts_at, a.id
 LIMIT 5;

-- name: home_patient_prescriptions
-- $1 patient, $2 language: signed prescriptions that can still be
-- dispensed, newest first: id, code, expires on, the products' names.
SELECT s.prescription_id, s.short_code, coalesce(to_char(s.expires_on, 'YYYY-MM-DD'), ''),
       coalesce((SELECT string_agg(CASE WHEN $2::text = 'es' THEN q.name_es ELSE q.name_en END, ', ' ORDER BY i.line)
                   FROM rx.items i JOIN rx.products q ON q.code = i.product_code
                  WHERE i.prescription_id = s.prescription_id), '')
  FROM rx.prescription_status s
 WHERE s.patient_id = $1::bigint AND s.status IN ('active', 'partly_dispensed')
 ORDER BY s.created_at DESC, s.prescription_id DESC
 LIMIT 5;

-- name: home_doctor_today
-- $1 doctor's user, $2 tz: today's visits of the doctor (booked or
-- done; not cancelled), in order: id, start, end, patient, mode, status.
SELECT a.id, to_char(a.starts_at AT TIME ZONE $2::text, 'HH24:MI'),
       to_char(a.ends_at AT TIME ZONE $2::text, 'HH24:MI'), u.full_name, a.mode, a.status
  FROM appt.appointments a
  JOIN clinic.doctors d ON d.id = a.doctor_id
  JOIN auth.users u ON u.id = a.patient_id
 WHERE d.user_id = $1::bigint AND a.status <> 'cancelled'
   AND a.starts_at >= (date_trunc('day', now() AT TIME ZONE $2::text)) AT TIME ZONE $2::text
   AND a.starts_at < (date_trunc('day', now() AT TIME ZONE $2::text) + interval '1 day') AT TIME ZONE $2::text
 ORDER BY a.starts_at, a.id
 LIMIT 40;

-- name: home_doctor_waiting
-- $1 doctor's user: what waits for them: visit notes with a draft and no
-- signature, prescriptions still drafts (one row, two counts).
SELECT (SELECT count(*) FROM ehr.encounters e JOIN clinic.doctors d ON d.id = e.doctor_id
         WHERE d.user_id = $1::bigint
           AND EXISTS (SELECT 1 FROM ehr.note_versions v WHERE v.encounter_id = e.id)
           AND NOT EXISTS (SELECT 1 FROM ehr.note_signatures s WHERE s.encounter_id = e.id)),
       (SELECT count(*) FROM rx.prescription_status p
         WHERE p.prescriber_id = $1::bigint AND p.status = 'draft');

-- name: home_reception_today
-- $1 tz: today's visits across doctors (not cancelled), in order: id,
-- start, doctor, patient, mode, status.
SELECT a.id, to_char(a.starts_at AT TIME ZONE $1::text, 'HH24:MI'), d.display_name,
       u.full_name, a.mode, a.status
  FROM appt.appointments a
  JOIN clinic.doctors d ON d.id = a.doctor_id
  JOIN auth.users u ON u.id = a.patient_id
 WHERE a.status <> 'cancelled'
   AND a.starts_at >= (date_trunc('day', now() AT TIME ZONE $1::text)) AT TIME ZONE $1::text
   AND a.starts_at < (date_trunc('day', now() AT TIME ZONE $1::text) + interval '1 day') AT TIME ZONE $1::text
 ORDER BY a.starts_at, d.display_name, a.id
 LIMIT 100;

-- name: home_pharmacist_today
-- $1 pharmacist, $2 tz: what they dispensed today, newest first:
-- prescription id, code, time, lines dispensed.
SELECT p.id, p.short_code, to_char(max(x.dispensed_at) AT TIME ZONE $2::text, 'HH24:MI'), count(*)
  FROM rx.dispensings x JOIN rx.prescriptions p ON p.id = x.prescription_id
 WHERE x.pharmacist_id = $1::bigint
   AND x.dispensed_at >= (date_trunc('day', now() AT TIME ZONE $2::text)) AT TIME ZONE $2::text
 GROUP BY p.id, p.short_code
 ORDER BY max(x.dispensed_at) DESC
 LIMIT 20;

-- name: home_admin_health
-- Users, disabled users, and the outbox: pending, pending for more than
-- ten minutes (the notifier may be down), dead (one row).
SELECT (SELECT count(*) FROM auth.users),
       (SELECT count(*) FROM auth.users WHERE disabled_at IS NOT NULL),
       (SELECT count(*) FROM outbox.events WHERE status = 'pending' AND due_at <= now()),
       (SELECT count(*) FROM outbox.events WHERE status = 'pending' AND due_at <= now() - interval '10 minutes'),
       (SELECT count(*) FROM outbox.events WHERE status = 'dead');

-- ---------------------------------------------------------------------
-- Walk-in patients (fcgi/pages/home/walkin.c, claim.c; migration 027).

-- name: walkin_create
-- $1 full name, $2 birth date, $3 phone, $4 language, $5 receptionist: a
-- patient without an account (no address, no password). No row when the
-- birth date is not between 1900-01-02 and today.
INSERT INTO auth.users (email, full_name, birth_date, phone, language, password_hash, registered_by)
SELECT NULL, $1::text, $2::date, $3::text, $4::text, NULL, $5::bigint
 WHERE $2::date > DATE '1900-01-01' AND $2::date <= current_date
RETURNING id;

-- name: walkin_get
-- $1 user: a patient, for reception: id, name, birth date, language,
-- still without an account.
SELECT u.id, u.full_name, coalesce(to_char(u.birth_date, 'YYYY-MM-DD'), ''), u.language, u.email IS NULL
  FROM auth.users u
 WHERE u.id = $1::bigint
   AND EXISTS (SELECT 1 FROM auth.user_roles r WHERE r.user_id = u.id AND r.role = 'patient');

-- name: walkin_token_create
-- $1 user, $2 token hash, $3 the address the link goes to, $4 lifetime (s).
INSERT INTO auth.tokens (user_id, purpose, token_hash, new_email, expires_at)
VALUES ($1::bigint, 'claim_account', $2::bytea, $3::text, now() + make_interval(secs => $4::int));

-- name: walkin_claim_address
-- $1 token id: the address a claim link was sent to, while its walk-in
-- has no account yet. No row: claimed already.
SELECT t.new_email
  FROM auth.tokens t JOIN auth.users u ON u.id = t.user_id
 WHERE t.id = $1::bigint AND t.purpose = 'claim_account' AND u.email IS NULL;

-- name: walkin_claim
-- $1 user, $2 address, $3 password hash: the walk-in becomes an account
-- with a verified address (the link proved the mailbox). No row: claimed
-- already or disabled; a unique violation: the address has another
-- account by now.
UPDATE auth.users
   SET email = $2::text, password_hash = $3::text, email_verified_at = now(), updated_at = now()
 WHERE id = $1::bigint AND email IS NULL AND disabled_at IS NULL
RETURNING id;
