-- Teleconsultation rooms (fcgi/pages/tele/, docs/tele.md; schema
-- sql/migrations/034_tele.sql).

-- name: tele_room
-- $1 appointment, $2 user, $3 tz: the appointment, its room and the
-- user's place in it, one row (none: no such appointment): patient,
-- doctor's account (0: none), mode, window (tele.window_state), opens
-- at, starts at, patient's name, doctor's name, room id ('' none),
-- version ('0'), encounter ('' none), my state ('' not joined), peer (''
-- none: the other participant, admitted, while I am admitted), heartbeat
-- due (my last_seen_at older than 15 s), newest chat line (0: none).
SELECT a.patient_id, coalesce(d.user_id, 0), a.mode, tele.window_state(a.id),
       to_char((a.starts_at - interval '10 minutes') AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'),
       to_char(a.starts_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'),
       pu.full_name, d.display_name,
       coalesce(r.id::text, ''), coalesce(r.version::text, '0'), coalesce(r.encounter_id::text, ''),
       coalesce(me.state, ''),
       CASE WHEN me.state = 'admitted' THEN
            coalesce((SELECT p.user_id::text FROM tele.participants p
                       WHERE p.room_id = r.id AND p.user_id <> $2::bigint AND p.state = 'admitted'
                       ORDER BY p.admitted_at LIMIT 1), '')
            ELSE '' END,
       coalesce(me.last_seen_at < now() - interval '15 seconds', false),
       coalesce((SELECT max(m.id) FROM tele.messages m WHERE m.room_id = r.id), 0)
  FROM appt.appointments a
  JOIN clinic.doctors d ON d.id = a.doctor_id
  JOIN auth.users pu ON pu.id = a.patient_id
  LEFT JOIN tele.rooms r ON r.appointment_id = a.id
  LEFT JOIN tele.participants me ON me.room_id = r.id AND me.user_id = $2::bigint
 WHERE a.id = $1::bigint;

-- name: tele_room_open
-- $1 appointment: its room, made on the first join: id.
WITH made AS (INSERT INTO tele.rooms (appointment_id) VALUES ($1::bigint)
              ON CONFLICT (appointment_id) DO NOTHING RETURNING id)
SELECT id FROM made
UNION ALL
SELECT id FROM tele.rooms WHERE appointment_id = $1::bigint
LIMIT 1;

-- name: tele_join
-- $1 room, $2 user, $3 role, $4 state ('waiting': a patient; 'admitted':
-- the doctor, who needs nobody's admission). Joining again after leaving
-- starts over (a patient waits again); a second join while in is a no-op.
-- The state after it.
INSERT INTO tele.participants AS p (room_id, user_id, role, state, admitted_at, admitted_by)
SELECT $1::bigint, $2::bigint, $3::text, $4::text,
       CASE WHEN $4::text = 'admitted' THEN now() END,
       CASE WHEN $4::text = 'admitted' THEN $2::bigint END
  FROM tele.rooms r WHERE r.id = $1::bigint AND r.ended_at IS NULL
ON CONFLICT (room_id, user_id) DO UPDATE
   SET state = EXCLUDED.state, joined_at = now(), last_seen_at = now(), left_at = NULL,
       admitted_at = EXCLUDED.admitted_at, admitted_by = EXCLUDED.admitted_by
 WHERE p.state = 'left'
RETURNING state;

-- name: tele_admit
-- $1 room, $2 the waiting user, $3 the admitting doctor: one row when
-- admitted (none: not waiting).
UPDATE tele.participants SET state = 'admitted', admitted_at = now(), admitted_by = $3::bigint
 WHERE room_id = $1::bigint AND user_id = $2::bigint AND state = 'waiting'
RETURNING user_id;

-- name: tele_room_start
-- $1 room, $2 encounter: the first admission starts the visit.
UPDATE tele.rooms SET encounter_id = coalesce(encounter_id, $2::bigint),
                      started_at = coalesce(started_at, now())
 WHERE id = $1::bigint AND ended_at IS NULL
RETURNING id;

-- name: tele_leave
-- $1 room, $2 user: out of the room (one row when they were in it).
UPDATE tele.participants SET state = 'left', left_at = now()
 WHERE room_id = $1::bigint AND user_id = $2::bigint AND state <> 'left'
RETURNING user_id;

-- name: tele_end
-- $1 room, $2 the doctor: the room ended, everyone out (one row when it
-- was open).
WITH ended AS (UPDATE tele.rooms SET ended_at = now(), ended_by = $2::bigint, end_reason = 'ended'
                WHERE id = $1::bigint AND ended_at IS NULL RETURNING id),
     out AS (UPDATE tele.participants p SET state = 'left', left_at = now()
              FROM ended WHERE p.room_id = ended.id AND p.state <> 'left')
SELECT id FROM ended;

-- name: tele_waiting
-- $1 room, $2 tz: who waits to be admitted, first come first: user id,
-- name, since.
SELECT p.user_id, u.full_name, to_char(p.joined_at AT TIME ZONE $2::text, 'HH24:MI')
  FROM tele.participants p JOIN auth.users u ON u.id = p.user_id
 WHERE p.room_id = $1::bigint AND p.state = 'waiting'
 ORDER BY p.joined_at, p.user_id;

-- name: tele_messages
-- $1 room, $2 after (message id), $3 tz, $4 user: the in-call chat after
-- it, oldest first: id, author, at (HH24:MI), body, mine.
SELECT m.id, u.full_name, to_char(m.created_at AT TIME ZONE $3::text, 'HH24:MI'), m.body,
       m.author_id = $4::bigint
  FROM tele.messages m JOIN auth.users u ON u.id = m.author_id
 WHERE m.room_id = $1::bigint AND m.id > $2::bigint
 ORDER BY m.id
 LIMIT 500;

-- name: tele_message_add
-- $1 room, $2 author, $3 body: id.
INSERT INTO tele.messages (room_id, author_id, body)
VALUES ($1::bigint, $2::bigint, $3::text)
RETURNING id;

-- name: tele_signals
-- $1 room, $2 addressee, $3 after (signal id): the signals for them,
-- oldest first: id, from, kind, body.
SELECT id, from_user, kind, body
  FROM tele.signals
 WHERE room_id = $1::bigint AND to_user = $2::bigint AND id > $3::bigint
 ORDER BY id
 LIMIT 200;

-- name: tele_signal_add
-- $1 room, $2 from, $3 to, $4 kind, $5 body, $6 most per minute from one
-- sender: id; no row when the sender is over the limit.
INSERT INTO tele.signals (room_id, from_user, to_user, kind, body)
SELECT $1::bigint, $2::bigint, $3::bigint, $4::text, $5::text
 WHERE (SELECT count(*) FROM tele.signals s
         WHERE s.room_id = $1::bigint AND s.from_user = $2::bigint
           AND s.created_at > now() - interval '1 minute') < $6::integer
RETURNING id;

-- name: tele_seen
-- $1 room, $2 user: the heartbeat (touches no version: 034's trigger).
UPDATE tele.participants SET last_seen_at = now()
 WHERE room_id = $1::bigint AND user_id = $2::bigint;

-- name: tele_cleanup
-- $1 idle minutes, $2 hours after the visit's end: open rooms nobody in
-- them was seen in for $1 minutes (none joined either), or whose visit
-- ended over $2 hours ago, ended as 'stale' with everyone out: room id,
-- patient.
WITH stale AS (
    UPDATE tele.rooms r SET ended_at = now(), end_reason = 'stale'
      FROM appt.appointments a
     WHERE a.id = r.appointment_id AND r.ended_at IS NULL
       AND ((r.opened_at < now() - make_interval(mins => $1::integer)
             AND NOT EXISTS (SELECT 1 FROM tele.participants p
                              WHERE p.room_id = r.id AND p.state <> 'left'
                                AND p.last_seen_at > now() - make_interval(mins => $1::integer)))
            OR a.ends_at < now() - make_interval(hours => $2::integer))
    RETURNING r.id, a.patient_id),
  out AS (UPDATE tele.participants p SET state = 'left', left_at = now()
            FROM stale WHERE p.room_id = stale.id AND p.state <> 'left')
SELECT id, patient_id FROM stale;

-- name: tele_signals_purge
-- Signals of ended rooms (SDP and network addresses, nothing clinical):
-- how many were removed.
WITH gone AS (DELETE FROM tele.signals s USING tele.rooms r
               WHERE r.id = s.room_id AND r.ended_at IS NOT NULL RETURNING s.id)
SELECT count(*) FROM gone;
