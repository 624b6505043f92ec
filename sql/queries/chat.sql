-- chat: patient-doctor messaging (fcgi/pages/chat/, docs/chat.md).

-- name: chat_threads
-- $1 user, $2 time zone: the user's threads (chat.user_threads), newest
-- activity first: the other side's name, subject, state and how many
-- messages from others the user has not read.
SELECT t.id, t.subject,
       CASE WHEN t.patient_id = $1::bigint THEN coalesce(d.display_name, '') ELSE pu.full_name END,
       t.doctor_id IS NULL,
       to_char(coalesce(t.last_message_at, t.created_at) AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'),
       t.needs_reply, t.closed_at IS NOT NULL,
       (SELECT count(*) FROM chat.messages m
         WHERE m.thread_id = t.id AND m.author_id <> $1::bigint
           AND m.id > coalesce((SELECT rd.last_read_message FROM chat.reads rd
                                 WHERE rd.thread_id = t.id AND rd.user_id = $1::bigint), 0))
  FROM chat.user_threads($1::bigint) t
  JOIN auth.users pu ON pu.id = t.patient_id
  LEFT JOIN clinic.doctors d ON d.id = t.doctor_id
 ORDER BY coalesce(t.last_message_at, t.created_at) DESC, t.id DESC
 LIMIT 200;

-- name: chat_thread
-- $1 thread, $2 user: the thread, its people and whether the user takes
-- part (the patient, the thread's doctor, reception for a desk thread).
-- The poll runs it too: one index probe.
SELECT t.id, t.patient_id, coalesce(d.user_id, 0), t.subject, t.needs_reply,
       t.closed_at IS NOT NULL, t.version, pu.full_name, coalesce(d.display_name, ''),
       t.patient_id = $2::bigint OR d.user_id = $2::bigint
       OR (t.doctor_id IS NULL AND EXISTS (SELECT 1 FROM auth.user_roles r
                                           WHERE r.user_id = $2::bigint AND r.role = 'reception')),
       coalesce(t.last_message_id, 0)
  FROM chat.threads t
  JOIN auth.users pu ON pu.id = t.patient_id
  LEFT JOIN clinic.doctors d ON d.id = t.doctor_id
 WHERE t.id = $1::bigint;

-- name: chat_messages
-- $1 thread, $2 after (message id, 0: all), $3 time zone, $4 the reader:
-- the messages after $2, oldest first, with whether the other side has
-- read each of the reader's own ("seen"), and whether the reader had not
-- read it yet (others' messages; run before chat_mark_read).
SELECT m.id, u.full_name, to_char(m.created_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'),
       m.body, m.auto_reply, m.author_id = $4::bigint,
       m.author_id = $4::bigint AND EXISTS (
           SELECT 1 FROM chat.reads rd
            WHERE rd.thread_id = m.thread_id AND rd.user_id <> m.author_id
              AND rd.last_read_message >= m.id),
       m.author_id <> $4::bigint AND m.id > coalesce(
           (SELECT rd.last_read_message FROM chat.reads rd
             WHERE rd.thread_id = m.thread_id AND rd.user_id = $4::bigint), 0)
  FROM chat.messages m
  JOIN auth.users u ON u.id = m.author_id
 WHERE m.thread_id = $1::bigint AND m.id > $2::bigint
 ORDER BY m.id
 LIMIT 1000;

-- name: chat_mark_read
-- $1 thread, $2 user: read up to the thread's newest message; writes only
-- when that moves the mark. The user's notices about the thread go too
-- (one row returned per notice marked read: the header's count). A moved
-- mark moves the thread's version (the trigger), so the other side's poll
-- answers 200 with the read state and its "seen" appears without reload.
WITH mark AS (
    INSERT INTO chat.reads (thread_id, user_id, last_read_message)
    SELECT t.id, $2::bigint, t.last_message_id FROM chat.threads t
     WHERE t.id = $1::bigint AND t.last_message_id IS NOT NULL
    ON CONFLICT (thread_id, user_id) DO UPDATE
       SET last_read_message = EXCLUDED.last_read_message, read_at = now()
     WHERE chat.reads.last_read_message < EXCLUDED.last_read_message
    RETURNING 1),
bump AS (
    UPDATE chat.threads SET version = version
     WHERE id = $1::bigint AND EXISTS (SELECT 1 FROM mark)
    RETURNING 1)
UPDATE outbox.notices SET read_at = now()
 WHERE user_id = $2::bigint AND kind = 'chat_message' AND read_at IS NULL
   AND link = '/messages/' || $1::bigint
RETURNING id;

-- name: chat_version
-- $1 thread: its version now (after chat_mark_read in the same batch).
SELECT version FROM chat.threads WHERE id = $1::bigint;

-- name: chat_seen_upto
-- $1 thread, $2 user: the newest message someone other than the user has
-- read (0: none); the poll's read state, asked only when it answers 200.
SELECT coalesce(max(last_read_message), 0) FROM chat.reads
 WHERE thread_id = $1::bigint AND user_id <> $2::bigint;

-- name: chat_post
-- $1 thread, $2 author, $3 body: a message (the trigger moves the
-- thread's version).
INSERT INTO chat.messages (thread_id, author_id, body)
VALUES ($1::bigint, $2::bigint, $3::text)
RETURNING id;

-- name: chat_answered
-- $1 thread, $2 author: a doctor's answer clears "needs reply".
UPDATE chat.threads t SET needs_reply = false
 WHERE t.id = $1::bigint AND t.needs_reply
   AND t.doctor_id = (SELECT d.id FROM clinic.doctors d WHERE d.user_id = $2::bigint);

-- name: chat_auto_reply
-- $1 thread, $2 author: the doctor's out-of-office message answers a
-- patient, at most once a day per thread, while it is set.
INSERT INTO chat.messages (thread_id, author_id, body, auto_reply)
SELECT t.id, d.user_id, a.message, true
  FROM chat.threads t
  JOIN clinic.doctors d ON d.id = t.doctor_id
  JOIN chat.away a ON a.doctor_user = d.user_id
 WHERE t.id = $1::bigint AND t.patient_id = $2::bigint
   AND (a.until IS NULL OR a.until >= current_date)
   AND NOT EXISTS (SELECT 1 FROM chat.messages m
                    WHERE m.thread_id = t.id AND m.auto_reply
                      AND m.created_at > now() - interval '1 day');

-- name: chat_notify
-- $1 thread, $2 author, $3 author's name, $4 mail window (minutes): for
-- each person on the other side (the patient; else the doctor, or every
-- reception account when the patient writes to the desk) an in-app notice now (notice.create)
-- and an e-mail event due after the window, unless one is pending already
-- (events_chat_mail_pending): at most one mail per thread and window.
WITH rcpt AS (
    SELECT t.patient_id AS u FROM chat.threads t
     WHERE t.id = $1::bigint AND t.patient_id <> $2::bigint
    UNION
    SELECT d.user_id FROM chat.threads t JOIN clinic.doctors d ON d.id = t.doctor_id
     WHERE t.id = $1::bigint AND d.user_id <> $2::bigint
    UNION
    SELECT r.user_id FROM chat.threads t JOIN auth.user_roles r ON r.role = 'reception'
      JOIN auth.users ru ON ru.id = r.user_id AND ru.disabled_at IS NULL
     WHERE t.id = $1::bigint AND t.doctor_id IS NULL AND t.patient_id = $2::bigint),
notice AS (
    INSERT INTO outbox.events (type, payload)
    SELECT 'notice.create',
           jsonb_build_object('user_id', u, 'kind', 'chat_message',
                              'params', jsonb_build_object('from', $3::text),
                              'link', '/messages/' || $1::bigint)
      FROM rcpt)
INSERT INTO outbox.events (type, payload, due_at)
SELECT 'chat.mail', jsonb_build_object('thread', $1::bigint, 'user', u),
       now() + make_interval(mins => $4::int)
  FROM rcpt
ON CONFLICT ((payload->>'thread'), (payload->>'user'))
   WHERE type = 'chat.mail' AND status = 'pending' DO NOTHING;

-- name: chat_new_thread
-- $1 patient, $2 doctor (clinic.doctors id, NULL: the front desk),
-- $3 subject, $4 started by, $5 care window (months). A patient may
-- write to the front desk or to a doctor with a care relationship
-- (appointment in the window or assignment); a doctor's own relationship
-- was decided by core/care before. No row: not allowed.
INSERT INTO chat.threads (patient_id, doctor_id, subject, started_by)
SELECT $1::bigint, $2::int, $3::text, $4::bigint
 WHERE $2::int IS NULL
    OR EXISTS (SELECT 1 FROM clinic.doctors d
                CROSS JOIN LATERAL ehr.care_basis(d.user_id, $1::bigint, $5::int) b
               WHERE d.id = $2::int AND d.active AND d.user_id IS NOT NULL
                 AND b.basis IN ('appointment', 'assignment'))
RETURNING id;

-- name: chat_my_doctors
-- $1 patient, $2 care window (months): the doctors the patient may write
-- to (appointment in the window or assignment).
SELECT d.id, d.display_name
  FROM clinic.doctors d
  CROSS JOIN LATERAL ehr.care_basis(d.user_id, $1::bigint, $2::int) b
 WHERE d.active AND d.user_id IS NOT NULL AND b.basis IN ('appointment', 'assignment')
 ORDER BY d.display_name, d.id;

-- name: chat_my_patients
-- $1 doctor's user, $2 care window (months): the patients of the doctor
-- (an appointment in the window or an open assignment).
SELECT u.id, u.full_name FROM auth.users u
 WHERE u.disabled_at IS NULL AND u.id IN (
       SELECT a.patient_id FROM appt.appointments a JOIN clinic.doctors d ON d.id = a.doctor_id
        WHERE d.user_id = $1::bigint AND a.status <> 'cancelled'
          AND a.ends_at >= now() - make_interval(months => $2::int)
       UNION
       SELECT s.patient_id FROM ehr.assignments s JOIN clinic.doctors d ON d.id = s.doctor_id
        WHERE d.user_id = $1::bigint AND s.ended_at IS NULL)
 ORDER BY u.full_name, u.id
 LIMIT 500;

-- name: chat_needs_reply
-- $1 thread, $2 its doctor's user: "needs reply" on or off (the trigger
-- moves the version).
UPDATE chat.threads SET needs_reply = NOT needs_reply
 WHERE id = $1::bigint
   AND doctor_id = (SELECT d.id FROM clinic.doctors d WHERE d.user_id = $2::bigint);

-- name: chat_close
-- $1 thread, $2 its doctor's user: closed (no more replies) or open again.
UPDATE chat.threads
   SET closed_at = CASE WHEN closed_at IS NULL THEN now() END,
       closed_by = CASE WHEN closed_at IS NULL THEN $2::bigint END
 WHERE id = $1::bigint
   AND doctor_id = (SELECT d.id FROM clinic.doctors d WHERE d.user_id = $2::bigint);

-- name: chat_away
-- $1 doctor's user: the out-of-office message, if any.
SELECT message, coalesce(to_char(until, 'YYYY-MM-DD'), ''),
       until IS NULL OR until >= current_date
  FROM chat.away WHERE doctor_user = $1::bigint;

-- name: chat_away_set
-- $1 doctor's user, $2 message, $3 last day away (NULL: until removed).
INSERT INTO chat.away (doctor_user, message, until)
VALUES ($1::bigint, $2::text, $3::date)
ON CONFLICT (doctor_user) DO UPDATE
   SET message = EXCLUDED.message, until = EXCLUDED.until, set_at = now();

-- name: chat_away_clear
DELETE FROM chat.away WHERE doctor_user = $1::bigint;

-- name: notifier_chat_mail
-- $1 a chat.mail event ({"thread": N, "user": N}): for medsys-notifier,
-- the recipient's address, language and name, whether the account is
-- disabled, and whether messages from others are still unread in the
-- thread (none: no mail). No row: no such thread or account.
SELECT u.email, u.language, u.full_name, u.disabled_at IS NOT NULL,
       EXISTS (SELECT 1 FROM chat.messages m
                WHERE m.thread_id = t.id AND m.author_id <> u.id
                  AND m.id > coalesce((SELECT rd.last_read_message FROM chat.reads rd
                                        WHERE rd.thread_id = t.id AND rd.user_id = u.id), 0)),
       t.id
  FROM outbox.events e
  JOIN chat.threads t
    ON t.id = CASE WHEN e.payload->>'thread' ~ '^[0-9]{1,18}$' THEN (e.payload->>'thread')::bigint END
  JOIN auth.users u
    ON u.id = CASE WHEN e.payload->>'user' ~ '^[0-9]{1,18}$' THEN (e.payload->>'user')::bigint END
 WHERE e.id = $1::bigint AND e.type = 'chat.mail';

-- name: chat_copy_to_note
-- $1 thread, $2 message, $3 the doctor's user, $4 heading (who, when, the
-- link back): the message copied into the doctor's newest unsigned visit
-- note with this patient, as a new draft version (history kept, coded
-- diagnoses carried over) whose subjective section ends with the heading
-- and the text. encounter, version; no row: no such message in the
-- thread, no unsigned note, or the note would grow past its limit.
WITH m AS (
    SELECT m.body, t.patient_id FROM chat.messages m JOIN chat.threads t ON t.id = m.thread_id
     WHERE m.id = $2::bigint AND m.thread_id = $1::bigint),
e AS (
    SELECT e.id FROM ehr.encounters e JOIN clinic.doctors d ON d.id = e.doctor_id, m
     WHERE e.patient_id = m.patient_id AND d.user_id = $3::bigint
       AND NOT EXISTS (SELECT 1 FROM ehr.note_signatures s WHERE s.encounter_id = e.id)
     ORDER BY e.started_at DESC, e.id DESC LIMIT 1),
v AS (
    SELECT e.id AS encounter_id, coalesce(n.version, 0) AS version,
           coalesce(n.subjective, '') AS s, coalesce(n.objective, '') AS o,
           coalesce(n.assessment, '') AS a, coalesce(n.plan, '') AS p
      FROM e LEFT JOIN LATERAL (SELECT * FROM ehr.note_versions x WHERE x.encounter_id = e.id
                                 ORDER BY x.version DESC LIMIT 1) n ON true),
ins AS (
    INSERT INTO ehr.note_versions (encounter_id, version, subjective, objective, assessment, plan, saved_by)
    SELECT v.encounter_id, v.version + 1,
           v.s || CASE WHEN v.s = '' THEN '' ELSE E'\n\n' END || $4::text || E'\n' || m.body,
           v.o, v.a, v.p, $3::bigint
      FROM v, m
     WHERE length(v.s) + length($4::text) + length(m.body) + 3 <= 20000
    RETURNING encounter_id, version),
dx AS (
    INSERT INTO ehr.note_diagnoses (encounter_id, version, code)
    SELECT ins.encounter_id, ins.version, x.code
      FROM ins JOIN v ON v.encounter_id = ins.encounter_id
      JOIN ehr.note_diagnoses x ON x.encounter_id = v.encounter_id AND x.version = v.version)
SELECT encounter_id, version FROM ins;

-- name: chat_message_head
-- $1 thread, $2 message, $3 time zone: the author and time of a message
-- of the thread (for the heading of a copy).
SELECT u.full_name, to_char(m.created_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI')
  FROM chat.messages m JOIN auth.users u ON u.id = m.author_id
 WHERE m.id = $2::bigint AND m.thread_id = $1::bigint;
