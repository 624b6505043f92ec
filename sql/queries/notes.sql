-- notes: encounters and signed visit notes (fcgi/pages/record/encounters.c,
-- notes.c; schema: migration 012, hashes: 015, docs/record.md "Visit notes").
-- Every statement that reads or writes an encounter names its patient too,
-- so an encounter id never reaches across records.

-- name: notes_patient_name
-- $1 patient: the name the staff pages show.
SELECT full_name FROM auth.users WHERE id = $1::bigint;

-- name: notes_encounter_open
-- $1 patient, $2 doctor (clinic.doctors), $3 appointment (NULL: a walk-in),
-- $4 actor: a new encounter, or none when the appointment already has one
-- (notes_encounter_of_appt then finds it) or is not this doctor's with
-- this patient, or was cancelled. id, 't'.
INSERT INTO ehr.encounters (patient_id, doctor_id, appointment_id, kind, started_at, created_by)
SELECT $1::bigint, $2::integer, a.id,
       CASE WHEN a.id IS NULL THEN 'walk_in' ELSE 'appointment' END,
       coalesce(a.starts_at, now()), $4::bigint
  FROM (SELECT 1) one
  LEFT JOIN appt.appointments a ON a.id = $3::bigint AND a.patient_id = $1::bigint
                               AND a.doctor_id = $2::integer AND a.status <> 'cancelled'
 WHERE $3::bigint IS NULL OR a.id IS NOT NULL
ON CONFLICT (appointment_id) DO NOTHING
RETURNING id;

-- name: notes_encounter_of_appt
-- $1 patient, $2 appointment: the encounter it already has.
SELECT id FROM ehr.encounters WHERE appointment_id = $2::bigint AND patient_id = $1::bigint;

-- name: notes_encounters
-- $1 patient, $2 tz: the patient's encounters, newest first, for staff:
-- id, started, kind, doctor, signed (t/f), drafts saved, addenda.
SELECT e.id, to_char(e.started_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'), e.kind,
       d.display_name, s.encounter_id IS NOT NULL,
       (SELECT count(*) FROM ehr.note_versions v WHERE v.encounter_id = e.id),
       (SELECT count(*) FROM ehr.note_addenda n WHERE n.encounter_id = e.id)
  FROM ehr.encounters e
  JOIN clinic.doctors d ON d.id = e.doctor_id
  LEFT JOIN ehr.note_signatures s ON s.encounter_id = e.id
 WHERE e.patient_id = $1::bigint
 ORDER BY e.started_at DESC, e.id DESC
 LIMIT 100;

-- name: notes_signed_list
-- $1 patient, $2 tz: the patient's signed notes, newest first (drafts
-- never): id, started, doctor, signed at, codes, addenda.
SELECT e.id, to_char(e.started_at AT TIME ZONE $2::text, 'YYYY-MM-DD'), d.display_name,
       to_char(s.signed_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'),
       coalesce((SELECT string_agg(x.code, ', ' ORDER BY x.code COLLATE "C") FROM ehr.note_diagnoses x
                  WHERE x.encounter_id = e.id AND x.version = s.version), ''),
       (SELECT count(*) FROM ehr.note_addenda n WHERE n.encounter_id = e.id)
  FROM ehr.encounters e
  JOIN ehr.note_signatures s ON s.encounter_id = e.id
  JOIN clinic.doctors d ON d.id = e.doctor_id
 WHERE e.patient_id = $1::bigint
 ORDER BY e.started_at DESC, e.id DESC
 LIMIT 40;

-- name: notes_encounter
-- $1 patient, $2 encounter, $3 tz, $4 't': signed notes only (a patient).
-- id, kind, started, doctor, appointment reason, patient name, signed
-- version (NULL: unsigned), signed at, signer, content hash (hex).
SELECT e.id, e.kind, to_char(e.started_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'),
       d.display_name, coalesce(a.reason, ''), p.full_name,
       s.version, to_char(s.signed_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'),
       su.full_name, encode(s.content_hash, 'hex')
  FROM ehr.encounters e
  JOIN clinic.doctors d ON d.id = e.doctor_id
  JOIN auth.users p ON p.id = e.patient_id
  LEFT JOIN appt.appointments a ON a.id = e.appointment_id
  LEFT JOIN ehr.note_signatures s ON s.encounter_id = e.id
  LEFT JOIN auth.users su ON su.id = s.signed_by
 WHERE e.id = $2::bigint AND e.patient_id = $1::bigint
   AND (NOT $4::boolean OR s.encounter_id IS NOT NULL);

-- name: notes_version
-- $1 patient, $2 encounter, $3 tz, $4 't': signed notes only: the version
-- a page shows (ehr.note_current: the signed one, else the newest draft):
-- version, subjective, objective, assessment, plan, saved at, saved by.
SELECT v.version, v.subjective, v.objective, v.assessment, v.plan,
       to_char(v.saved_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'), u.full_name
  FROM ehr.note_current c
  JOIN ehr.note_versions v ON v.encounter_id = c.encounter_id AND v.version = c.version
  JOIN auth.users u ON u.id = v.saved_by
 WHERE c.encounter_id = $2::bigint AND c.patient_id = $1::bigint AND (NOT $4::boolean OR c.signed);

-- name: notes_diagnoses
-- $1 patient, $2 encounter, $3 language, $4 't': signed notes only: the
-- coded diagnoses of the version notes_version shows, in byte order:
-- code, title.
SELECT x.code, CASE WHEN $3::text = 'es' THEN coalesce(c.title_es, c.title_en) ELSE c.title_en END
  FROM ehr.note_current n
  JOIN ehr.note_diagnoses x ON x.encounter_id = n.encounter_id AND x.version = n.version
  JOIN ehr.icd10_codes c ON c.code = x.code
 WHERE n.encounter_id = $2::bigint AND n.patient_id = $1::bigint AND (NOT $4::boolean OR n.signed)
 ORDER BY x.code COLLATE "C";

-- name: notes_addenda
-- $1 patient, $2 encounter, $3 tz: the signed note's addenda, oldest
-- first: id, body, signed at, signer, content hash (hex).
SELECT n.id, n.body, to_char(n.signed_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'),
       u.full_name, encode(n.content_hash, 'hex')
  FROM ehr.note_addenda n
  JOIN ehr.encounters e ON e.id = n.encounter_id
  JOIN auth.users u ON u.id = n.signed_by
 WHERE n.encounter_id = $2::bigint AND e.patient_id = $1::bigint
 ORDER BY n.id;

-- name: notes_draft_add
-- $1 patient, $2 encounter, $3 version (the form's base + 1), $4-$7
-- subjective, objective, assessment, plan, $8 actor: a new draft version.
-- A unique violation: someone saved meanwhile; no row: no such encounter
-- of this patient; the database refuses it once the note is signed.
INSERT INTO ehr.note_versions (encounter_id, version, subjective, objective, assessment, plan, saved_by)
SELECT e.id, $3::integer, $4::text, $5::text, $6::text, $7::text, $8::bigint
  FROM ehr.encounters e
 WHERE e.id = $2::bigint AND e.patient_id = $1::bigint
RETURNING version;

-- name: notes_diagnoses_add
-- $1 encounter, $2 version, $3 codes (text array): the draft's coded
-- diagnoses, active codes to record only; the number written (fewer than
-- asked: a code that is not in the catalog).
WITH ins AS (
    INSERT INTO ehr.note_diagnoses (encounter_id, version, code)
    SELECT $1::bigint, $2::integer, c.code
      FROM ehr.icd10_codes c
     WHERE c.code = ANY ($3::text[]) AND c.active AND c.leaf
    RETURNING code)
SELECT count(*) FROM ins;

-- name: notes_sign
-- $1 encounter, $2 version, $3 signer, $4 content hash (hex): the
-- signature. A trigger refuses any version but the newest.
INSERT INTO ehr.note_signatures (encounter_id, version, signed_by, content_hash)
VALUES ($1::bigint, $2::integer, $3::bigint, decode($4::text, 'hex'));

-- name: notes_addendum_add
-- $1 patient, $2 encounter, $3 body, $4 signer, $5 content hash (hex):
-- a signed addendum to a signed note. id.
INSERT INTO ehr.note_addenda (encounter_id, body, signed_by, content_hash)
SELECT e.id, $3::text, $4::bigint, decode($5::text, 'hex')
  FROM ehr.encounters e
 WHERE e.id = $2::bigint AND e.patient_id = $1::bigint
RETURNING id;

-- name: notes_codes
-- $1 codes (text array), $2 language: the titles of the codes a form
-- holds, in byte order: code, title.
SELECT c.code, CASE WHEN $2::text = 'es' THEN coalesce(c.title_es, c.title_en) ELSE c.title_en END
  FROM ehr.icd10_codes c
 WHERE c.code = ANY ($1::text[])
 ORDER BY c.code COLLATE "C";
