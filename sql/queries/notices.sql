-- notices: a user's in-app notices and their own security activity
-- (fcgi/pages/notices.c). Every statement is bound to the reader's id.

-- name: notices_list
-- $1 user, $2 before id (keyset; NULL: newest), $3 the clinic's time
-- zone. 51 rows: the 51st only says there is an older page.
SELECT id, kind, link, to_char(created_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'),
       read_at IS NULL
  FROM outbox.notices
 WHERE user_id = $1::bigint AND ($2::bigint IS NULL OR id < $2::bigint)
 ORDER BY id DESC
 LIMIT 51;

-- name: notices_params
-- $1 user, $2 lowest id, $3 highest id: the parameters of the notices on a
-- page, one row per (notice, key), values cut to 200 characters.
SELECT n.id, p.key, left(p.value, 200)
  FROM outbox.notices n
 CROSS JOIN LATERAL jsonb_each_text(CASE WHEN jsonb_typeof(n.params) = 'object'
                                         THEN n.params ELSE '{}'::jsonb END) p
 WHERE n.user_id = $1::bigint AND n.id BETWEEN $2::bigint AND $3::bigint
 ORDER BY n.id, p.key;

-- name: notices_mark_read
-- $1 notice, $2 user. No row: not this user's notice (or none at all).
UPDATE outbox.notices SET read_at = coalesce(read_at, now())
 WHERE id = $1::bigint AND user_id = $2::bigint
RETURNING id, link;

-- name: notices_owner
-- $1 notice: whose it is, for the audit row of a refused access.
SELECT user_id FROM outbox.notices WHERE id = $1::bigint;

-- name: notices_mark_all_read
UPDATE outbox.notices SET read_at = now()
 WHERE user_id = $1::bigint AND read_at IS NULL;

-- name: notices_security
-- $1 user, $2 before id (keyset; NULL: newest), $3 the clinic's time zone
-- (the time shown is local there): the audit events about this user's own
-- account. 51 rows. Who: 'self', 'anonymous' (no one
-- signed in), 'staff' (with the name and the staff roles, comma-separated)
-- or 'other' (another patient: no name). The network address only of the
-- user's own actions: never another person's (issue 15).
SELECT e.id, to_char(e.at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'), e.action,
       CASE WHEN e.actor_id = $1::bigint THEN e.client_addr END,
       CASE WHEN e.actor_id IS NULL THEN 'anonymous'
            WHEN e.actor_id = $1::bigint THEN 'self'
            WHEN s.roles IS NOT NULL THEN 'staff'
            ELSE 'other' END,
       CASE WHEN e.actor_id <> $1::bigint AND s.roles IS NOT NULL THEN u.full_name END,
       s.roles
  FROM audit.events e
  LEFT JOIN auth.users u ON u.id = e.actor_id
  LEFT JOIN LATERAL (SELECT string_agg(r.role, ',' ORDER BY r.role) AS roles
                       FROM auth.user_roles r
                      WHERE r.user_id = e.actor_id AND r.role <> 'patient') s ON true
 WHERE e.subject_id = $1::bigint AND ($2::bigint IS NULL OR e.id < $2::bigint)
 ORDER BY e.id DESC
 LIMIT 51;
