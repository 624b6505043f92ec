-- care_pages: break-glass, care assignments, "who viewed my record" and
-- correction requests (fcgi/pages/record/care*.c). Access to a patient's
-- record is decided before these run (fcgi/core/care.c).

-- name: care_patient
-- $1 id: the patient's name, when the id is a patient's account.
SELECT u.full_name FROM auth.users u
 WHERE u.id = $1::bigint
   AND EXISTS (SELECT 1 FROM auth.user_roles r WHERE r.user_id = u.id AND r.role = 'patient');

-- name: care_break_glass_grant
-- $1 doctor's user id, $2 patient id, $3 reason, $4 minutes, $5 clinic
-- time zone: a new grant, with what the notice needs (grant id, end in
-- local time, the doctor's display name). No row: the id is no patient's.
WITH g AS (
    INSERT INTO ehr.break_glass (doctor_user_id, patient_id, reason, expires_at)
    SELECT $1::bigint, u.id, $3::text, now() + make_interval(mins => $4::int)
      FROM auth.users u
     WHERE u.id = $2::bigint
       AND EXISTS (SELECT 1 FROM auth.user_roles r WHERE r.user_id = u.id AND r.role = 'patient')
    RETURNING id, patient_id, expires_at)
SELECT g.id, to_char(g.expires_at AT TIME ZONE $5::text, 'YYYY-MM-DD HH24:MI'),
       coalesce((SELECT d.display_name FROM clinic.doctors d WHERE d.user_id = $1::bigint LIMIT 1),
                (SELECT s.full_name FROM auth.users s WHERE s.id = $1::bigint))
  FROM g;

-- name: care_break_glass_report
-- $1 before grant id (keyset; NULL: newest), $2 clinic time zone: every
-- grant, newest first. 51 rows: the 51st only says there is more.
SELECT g.id, coalesce(d.full_name, ''), g.doctor_user_id, coalesce(p.full_name, ''), g.patient_id,
       to_char(g.started_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'),
       to_char(g.expires_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'),
       g.reason, g.expires_at > now()
  FROM ehr.break_glass g
  LEFT JOIN auth.users d ON d.id = g.doctor_user_id
  LEFT JOIN auth.users p ON p.id = g.patient_id
 WHERE $1::bigint IS NULL OR g.id < $1::bigint
 ORDER BY g.id DESC
 LIMIT 51;

-- name: care_assignments
-- $1 patient, $2 clinic time zone: the patient's assignments, open first.
SELECT s.id, d.display_name,
       to_char(s.assigned_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'), coalesce(a.full_name, ''),
       coalesce(to_char(s.ended_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'), ''),
       coalesce(e.full_name, '')
  FROM ehr.assignments s
  JOIN clinic.doctors d ON d.id = s.doctor_id
  LEFT JOIN auth.users a ON a.id = s.assigned_by
  LEFT JOIN auth.users e ON e.id = s.ended_by
 WHERE s.patient_id = $1::bigint
 ORDER BY s.ended_at IS NOT NULL, s.assigned_at DESC
 LIMIT 200;

-- name: care_assignable_doctors
-- The doctors one can assign: active, with an account.
SELECT d.id, d.display_name FROM clinic.doctors d
 WHERE d.active AND d.user_id IS NOT NULL
 ORDER BY d.display_name, d.id;

-- name: care_assign
-- $1 patient, $2 doctor (clinic.doctors id), $3 by: the new assignment's
-- id. No row: no such active doctor. A second open assignment of the same
-- doctor: unique violation (assignments_open).
INSERT INTO ehr.assignments (patient_id, doctor_id, assigned_by)
SELECT $1::bigint, d.id, $3::bigint FROM clinic.doctors d
 WHERE d.id = $2::int AND d.active AND d.user_id IS NOT NULL
RETURNING id;

-- name: care_assignment_end
-- $1 assignment, $2 patient, $3 by. No row: none open with that id for
-- this patient.
UPDATE ehr.assignments SET ended_by = $3::bigint, ended_at = now()
 WHERE id = $1::bigint AND patient_id = $2::bigint AND ended_at IS NULL
RETURNING doctor_id;

-- name: care_access_log
-- $1 patient, $2 before audit row id (keyset; NULL: newest), $3 clinic time
-- zone: who touched the patient's record (record.* rows about them, not
-- their own), newest first, with the break-glass reason where the row
-- names a grant ("basis=break_glass:ID" on reads, "grant:ID" on the grant
-- itself). Walks audit_events_subject (subject_id, at DESC). 51 rows.
SELECT e.id, to_char(e.at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'),
       coalesce(u.full_name, ''),
       coalesce((SELECT r.role FROM auth.user_roles r WHERE r.user_id = e.actor_id
                  ORDER BY array_position(ARRAY['doctor', 'reception', 'admin', 'pharmacist', 'lab', 'patient'],
                                          r.role::text) LIMIT 1), ''),
       e.action, split_part(e.object, ' ', 1), coalesce(g.reason, ''),
       coalesce(to_char(g.expires_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'), '')
  FROM audit.events e
  LEFT JOIN auth.users u ON u.id = e.actor_id
  LEFT JOIN ehr.break_glass g
         ON g.patient_id = e.subject_id
        AND g.id = coalesce(substring(e.object from 'basis=break_glass:([0-9]{1,18})'),
                            substring(e.object from '^grant:([0-9]{1,18})'))::bigint
 WHERE e.subject_id = $1::bigint
   AND e.action LIKE 'record.%'
   AND e.actor_id IS DISTINCT FROM e.subject_id
   AND ($2::bigint IS NULL
        OR (e.at, e.id) < (SELECT b.at, b.id FROM audit.events b
                            WHERE b.id = $2::bigint AND b.subject_id = $1::bigint))
 ORDER BY e.at DESC, e.id DESC
 LIMIT 51;

-- name: care_corrections
-- $1 patient, $2 clinic time zone: the patient's correction requests,
-- open ones first, then newest.
SELECT c.id, c.about, c.body, to_char(c.requested_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'),
       c.status, c.answer,
       coalesce(to_char(c.answered_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'), ''),
       coalesce(a.full_name, '')
  FROM ehr.corrections c
  LEFT JOIN auth.users a ON a.id = c.answered_by
 WHERE c.patient_id = $1::bigint
 ORDER BY c.status <> 'open', c.requested_at DESC, c.id DESC
 LIMIT 100;

-- name: care_correction_request
-- $1 patient, $2 about, $3 text: the new request's id.
INSERT INTO ehr.corrections (patient_id, about, body) VALUES ($1::bigint, $2::text, $3::text)
RETURNING id;

-- name: care_correction_status
-- $1 request, $2 patient: its status (no row: not this patient's).
SELECT status FROM ehr.corrections WHERE id = $1::bigint AND patient_id = $2::bigint;

-- name: care_correction_answer
-- $1 request, $2 patient, $3 'accepted' or 'refused', $4 answer, $5 by.
-- No row: not this patient's or already answered.
UPDATE ehr.corrections
   SET status = $3::text, answer = $4::text, answered_by = $5::bigint, answered_at = now()
 WHERE id = $1::bigint AND patient_id = $2::bigint AND status = 'open'
RETURNING id;

-- name: notifier_break_glass
-- $1 a break_glass.notify event ({"grant_id": N}), $2 clinic time zone:
-- for medsys-notifier, the patient's address, language and name, the
-- doctor's name, the grant's end, whether the patient's account is
-- disabled. No row: no such grant (or not that type of event).
SELECT u.email, u.language, u.full_name,
       coalesce((SELECT d.display_name FROM clinic.doctors d WHERE d.user_id = g.doctor_user_id LIMIT 1),
                s.full_name, ''),
       to_char(g.expires_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'), (u.disabled_at IS NOT NULL OR u.email IS NULL)
  FROM outbox.events e
  JOIN ehr.break_glass g
    ON g.id = CASE WHEN e.payload->>'grant_id' ~ '^[0-9]{1,18}$' THEN (e.payload->>'grant_id')::bigint END
  JOIN auth.users u ON u.id = g.patient_id
  LEFT JOIN auth.users s ON s.id = g.doctor_user_id
 WHERE e.id = $1::bigint AND e.type = 'break_glass.notify';
