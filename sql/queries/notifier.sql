-- notifier: medsys-notifier draining outbox.events (docs/events.md).
-- A claim is a lease: the claimed rows get attempts + 1 and a due_at in the
-- future, committed at once, so no transaction stays open while mail is
-- sent, other notifiers skip them, and a notifier that dies leaves them to
-- be retried when the lease ends.

-- name: notifier_claim
-- $1 how many rows at most, $2 lease in seconds. Returns id, type,
-- attempts (this attempt's number), lease (the due_at we set, as text, to
-- release the row only while the lease is still ours), to, lang,
-- template, created_us (for the Message-ID).
WITH due AS (
    SELECT id FROM outbox.events
     WHERE status = 'pending' AND due_at <= now()
     ORDER BY due_at, id
     LIMIT $1::int
       FOR UPDATE SKIP LOCKED
), claimed AS (
    UPDATE outbox.events e
       SET attempts = e.attempts + 1,
           due_at = now() + make_interval(secs => $2::int)
      FROM due
     WHERE e.id = due.id
    RETURNING e.id, e.type, e.attempts, e.due_at, e.payload, e.created_at
)
SELECT id, type, attempts, due_at::text AS lease,
       coalesce(payload->>'to', '') AS rcpt,
       coalesce(payload->>'lang', '') AS lang,
       coalesce(payload->>'template', '') AS template,
       (extract(epoch FROM created_at) * 1000000)::bigint AS created_us
  FROM claimed
 ORDER BY id;

-- name: notifier_params
-- The parameters of a mail.send event as (name, text value) rows.
SELECT p.key, p.value
  FROM outbox.events e,
       jsonb_each_text(CASE WHEN jsonb_typeof(e.payload->'params') = 'object'
                            THEN e.payload->'params' ELSE '{}'::jsonb END) AS p
 WHERE e.id = $1::bigint;

-- name: notifier_done
-- $1 id. Delivered: done, and a secret one-time link leaves the database.
UPDATE outbox.events
   SET status = 'done', done_at = now(),
       payload = CASE WHEN payload->'secret' = 'true'::jsonb
                      THEN payload #- '{params,link_path}' ELSE payload END
 WHERE id = $1::bigint AND status = 'pending';

-- name: notifier_retry
-- $1 id, $2 delay in seconds, $3 short reason (no secrets).
UPDATE outbox.events
   SET due_at = now() + make_interval(secs => $2::double precision),
       last_error = left($3::text, 500)
 WHERE id = $1::bigint AND status = 'pending';

-- name: notifier_dead
-- $1 id, $2 short reason. Given up: a secret link is scrubbed as well.
UPDATE outbox.events
   SET status = 'dead', last_error = left($2::text, 500),
       payload = CASE WHEN payload->'secret' = 'true'::jsonb
                      THEN payload #- '{params,link_path}' ELSE payload END
 WHERE id = $1::bigint AND status = 'pending';

-- name: notifier_release
-- $1 id, $2 the lease returned by notifier_claim, $3 1 when the attempt
-- never started (it is not counted). Only while the lease is still ours.
UPDATE outbox.events
   SET due_at = now(), attempts = greatest(attempts - $3::int, 0)
 WHERE id = $1::bigint AND status = 'pending' AND due_at = $2::timestamptz;

-- name: notifier_notice
-- $1 event id: the in-app notice of a notice.create event, exactly once
-- per event (event_id is unique). Run in one transaction with
-- notifier_done.
INSERT INTO outbox.notices (user_id, kind, params, link, event_id)
SELECT (payload->>'user_id')::bigint, payload->>'kind',
       CASE WHEN jsonb_typeof(payload->'params') = 'object'
            THEN payload->'params' ELSE '{}'::jsonb END,
       coalesce(payload->>'link', ''), id
  FROM outbox.events
 WHERE id = $1::bigint
ON CONFLICT (event_id) DO NOTHING;

-- name: notifier_next_due
-- Milliseconds until the next pending event is due (<= 0: due now);
-- NULL when nothing is pending.
SELECT (extract(epoch FROM min(due_at) - now()) * 1000)::bigint
  FROM outbox.events
 WHERE status = 'pending';

-- name: notifier_identify
-- $1 the name this connection shows in pg_stat_activity.application_name
-- ("medsys-notifier <pid>"), so that operators and tests can find it.
SELECT set_config('application_name', $1::text, false);

-- name: notifier_appointment
-- $1 event id (appointment.notify / appointment.reminder), $2 the clinic
-- time zone. The event's payload fields and, loaded now (at send time),
-- the appointment, its patient and its doctor: what, sequence, hours,
-- found, uid, current sequence, status, patient e-mail, name, language,
-- disabled, doctor's display name, start in clinic local time, start and
-- end in epoch seconds, location, mode, still in the future. An
-- appointment_id that is not a plain number finds nothing.
SELECT coalesce(e.payload->>'what', ''), coalesce(e.payload->>'sequence', ''),
       coalesce(e.payload->>'hours', ''),
       a.id IS NOT NULL, a.uid, a.sequence, a.status,
       u.email, u.full_name, u.language, (u.disabled_at IS NOT NULL OR u.email IS NULL),
       d.display_name,
       to_char(a.starts_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'),
       extract(epoch FROM a.starts_at)::bigint, extract(epoch FROM a.ends_at)::bigint,
       a.location, a.mode, a.starts_at > now()
  FROM outbox.events e
  LEFT JOIN appt.appointments a
         ON a.id = CASE WHEN e.payload->>'appointment_id' ~ '^[0-9]{1,18}$'
                        THEN (e.payload->>'appointment_id')::bigint END
  LEFT JOIN auth.users u ON u.id = a.patient_id
  LEFT JOIN clinic.doctors d ON d.id = a.doctor_id
 WHERE e.id = $1::bigint;

-- name: notifier_skip
-- $1 id, $2 why (e.g. "skipped: appointment moved"): an event that has
-- nothing left to do (a reminder of a moved or cancelled appointment) is
-- done without sending; last_error keeps the reason.
UPDATE outbox.events
   SET status = 'done', done_at = now(), last_error = left($2::text, 500)
 WHERE id = $1::bigint AND status = 'pending';
