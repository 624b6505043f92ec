-- tele_transcript: consent, audio chunks, the transcriber's queue and the
-- reviewed transcript (docs/tele.md "Transcript", migration 035).

-- name: tt_consent
-- $1 room, $2 the caller's user id: the caller's answer (NULL: none yet),
-- whether both the patient and the doctor said yes, whether the room is
-- open (or ended under two minutes ago: the last chunks), and the visit's
-- encounter (NULL: none yet).
SELECT (SELECT c.transcribe FROM tele.consents c WHERE c.room_id = r.id AND c.user_id = $2::bigint),
       (EXISTS (SELECT 1 FROM tele.consents c
                 WHERE c.room_id = r.id AND c.user_id = a.patient_id AND c.transcribe)
        AND EXISTS (SELECT 1 FROM tele.consents c
                     WHERE c.room_id = r.id AND c.user_id = d.user_id AND c.transcribe)),
       (r.ended_at IS NULL OR r.ended_at > now() - interval '2 minutes'),
       coalesce(r.encounter_id, (SELECT e.id FROM ehr.encounters e WHERE e.appointment_id = a.id))
  FROM tele.rooms r
  JOIN appt.appointments a ON a.id = r.appointment_id
  JOIN clinic.doctors d ON d.id = a.doctor_id
 WHERE r.id = $1::bigint;

-- name: tt_consent_add
-- $1 room, $2 user, $3 'true'|'false': the caller's one answer; no row
-- when they had already answered (an answer is never changed).
INSERT INTO tele.consents (room_id, user_id, transcribe)
VALUES ($1::bigint, $2::bigint, $3::boolean)
ON CONFLICT (room_id, user_id) DO NOTHING
RETURNING 1;

-- name: tt_chunk_add
-- $1 room, $2 speaker, $3 seq, $4 offset ms, $5 duration ms, $6 media
-- type, $7 bytes, $8 hex SHA-256: the chunk's row (started now less its
-- duration, by the server's clock); no row when that seq was already
-- received (a retried upload).
INSERT INTO tele.audio_chunks (room_id, speaker, seq, start_offset_ms, duration_ms, started_at,
                               media_type, byte_size, sha256)
VALUES ($1::bigint, $2::bigint, $3::integer, $4::bigint, $5::integer,
        now() - make_interval(secs => $5::integer / 1000.0), $6, $7::integer, $8)
ON CONFLICT (room_id, speaker, seq) DO NOTHING
RETURNING id;

-- name: tt_claim
-- $1 lease in seconds, $2 attempts allowed: one chunk to transcribe, leased
-- to the caller (a transcriber that dies leaves it to another once the
-- lease ends). Returns id, file (hex), media type, attempts, the patient.
WITH due AS (
    SELECT id FROM tele.audio_chunks
     WHERE transcribed_at IS NULL AND failed_at IS NULL AND deleted_at IS NULL
       AND (claimed_until IS NULL OR claimed_until <= now()) AND attempts < $2::int
     ORDER BY id
     LIMIT 1
       FOR UPDATE SKIP LOCKED
)
UPDATE tele.audio_chunks c
   SET claimed_until = now() + make_interval(secs => $1::int), attempts = c.attempts + 1
  FROM due
 WHERE c.id = due.id
RETURNING c.id, c.sha256, c.media_type, c.attempts,
          (SELECT a.patient_id FROM tele.rooms r JOIN appt.appointments a ON a.id = r.appointment_id
            WHERE r.id = c.room_id);

-- name: tt_line_add
-- $1 chunk, $2 seconds into the chunk, $3 text: one heard utterance.
INSERT INTO tele.speech_lines (chunk_id, room_id, speaker, said_at, body)
SELECT c.id, c.room_id, c.speaker, c.started_at + make_interval(secs => $2::float8), $3
  FROM tele.audio_chunks c
 WHERE c.id = $1::bigint;

-- name: tt_chunk_done
-- $1 chunk, $2 'true' when its audio goes now (no retention): the file to
-- release when it went.
UPDATE tele.audio_chunks
   SET transcribed_at = now(), claimed_until = NULL, error = '',
       deleted_at = CASE WHEN $2::boolean THEN now() END
 WHERE id = $1::bigint
RETURNING sha256, deleted_at IS NOT NULL;

-- name: tt_chunk_failed
-- $1 chunk, $2 what went wrong, $3 attempts allowed, $4 seconds before the
-- next attempt: retried later, or given up (and its audio released) after
-- the last attempt. Returns the file and whether it was given up.
UPDATE tele.audio_chunks
   SET error = left($2, 500),
       claimed_until = now() + make_interval(secs => $4::int),
       failed_at = CASE WHEN attempts >= $3::int THEN now() END,
       deleted_at = CASE WHEN attempts >= $3::int THEN now() END
 WHERE id = $1::bigint
RETURNING sha256, failed_at IS NOT NULL;

-- name: tt_expired
-- $1 retention in days: the chunks transcribed longer ago than that whose
-- audio is still kept, marked deleted; their files to release.
UPDATE tele.audio_chunks
   SET deleted_at = now()
 WHERE deleted_at IS NULL AND transcribed_at < now() - make_interval(days => $1::int)
RETURNING sha256;

-- name: tt_lines
-- $1 room, $2 time zone: the consultation transcript before review, speech
-- and chat in time order: local time, speaker's name, 'patient'|'doctor'|
-- 'guest', source.
SELECT to_char(l.said_at AT TIME ZONE $2, 'HH24:MI:SS'), u.full_name,
       CASE WHEN u.id = a.patient_id THEN 'patient'
            WHEN d.user_id = u.id THEN 'doctor' ELSE 'guest' END,
       l.source, l.body
  FROM tele.transcript_lines l
  JOIN tele.rooms r ON r.id = l.room_id
  JOIN appt.appointments a ON a.id = r.appointment_id
  JOIN clinic.doctors d ON d.id = a.doctor_id
  JOIN auth.users u ON u.id = l.speaker
 WHERE l.room_id = $1::bigint
 ORDER BY l.said_at, l.source DESC, l.line_id;

-- name: tt_pending
-- $1 room: chunks not transcribed yet (and not given up).
SELECT count(*) FROM tele.audio_chunks
 WHERE room_id = $1::bigint AND transcribed_at IS NULL AND failed_at IS NULL;

-- name: tt_latest
-- $1 encounter, $2 time zone: the reviewed transcript's newest version:
-- version, text, local "YYYY-MM-DD HH:MM", by whom.
SELECT t.version, t.body, to_char(t.saved_at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'), u.full_name
  FROM ehr.transcript_versions t
  JOIN auth.users u ON u.id = t.saved_by
 WHERE t.encounter_id = $1::bigint
 ORDER BY t.version DESC
 LIMIT 1;

-- name: tt_of_encounter
-- $1 patient, $2 encounter, $3 time zone: tt_latest for the record's note
-- page (the encounter must be that patient's), with the appointment.
SELECT t.version, t.body, to_char(t.saved_at AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI'), u.full_name,
       e.appointment_id
  FROM ehr.transcript_versions t
  JOIN ehr.encounters e ON e.id = t.encounter_id
  JOIN auth.users u ON u.id = t.saved_by
 WHERE t.encounter_id = $2::bigint AND e.patient_id = $1::bigint
 ORDER BY t.version DESC
 LIMIT 1;

-- name: tt_version_add
-- $1 encounter, $2 the version the form showed (0: none), $3 room, $4
-- text, $5 the doctor: version $2 + 1. No row (or a unique violation)
-- when someone saved meanwhile.
INSERT INTO ehr.transcript_versions (encounter_id, version, room_id, body, saved_by)
SELECT $1::bigint, $2::integer + 1, $3::bigint, $4, $5::bigint
 WHERE coalesce((SELECT max(version) FROM ehr.transcript_versions
                  WHERE encounter_id = $1::bigint), 0) = $2::integer
RETURNING version;
