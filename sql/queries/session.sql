-- session: sign-in sessions (fcgi/core/session.c). Tokens arrive hashed.

-- name: session_lookup
-- $1 token hash, $2 reauth window (s). Everything the pipeline needs about
-- the visitor in one statement (one round trip): the session and user,
-- roles, the doctor row of a doctor, the unread-notices and unread-messages
-- counts for the header (chat.unread_count, 031_chat.sql), and whether last_seen_at is due to move (session_touch, at
-- most every 15 s per session: a read-only statement on every other
-- request). Idle and absolute timeouts are decided here, by the database
-- clock, for every worker alike.
SELECT s.id, s.user_id, s.csrf_token, s.mfa_pending,
       s.reauth_at > now() - make_interval(secs => $2::int),
       u.email, u.full_name, u.language,
       u.email_verified_at IS NOT NULL, u.totp_enabled_at IS NOT NULL,
       coalesce((SELECT string_agg(r.role, ',' ORDER BY r.role)
                   FROM auth.user_roles r WHERE r.user_id = u.id), ''),
       (SELECT d.id FROM clinic.doctors d WHERE d.user_id = u.id),
       (SELECT count(*) FROM outbox.notices n
         WHERE n.user_id = u.id AND n.read_at IS NULL),
       chat.unread_count(u.id),
       s.last_seen_at < now() - interval '15 seconds'
  FROM auth.sessions s
  JOIN auth.users u ON u.id = s.user_id
 WHERE s.token_hash = $1::bytea
   AND s.revoked_at IS NULL
   AND s.expires_at > now()
   AND s.last_seen_at > now() - make_interval(secs => s.idle_seconds)
   AND u.disabled_at IS NULL;

-- name: session_touch
UPDATE auth.sessions SET last_seen_at = now()
 WHERE id = $1::bigint AND last_seen_at < now() - interval '15 seconds';

-- name: session_create
-- $1 user, $2 token hash, $3 csrf, $4 mfa pending, $5 staff idle (s),
-- $6 patient idle (s), $7 absolute lifetime (s), $8 address, $9 user agent.
INSERT INTO auth.sessions (user_id, token_hash, csrf_token, mfa_pending, idle_seconds,
                           expires_at, client_addr, user_agent)
SELECT $1::bigint, $2::bytea, $3::text, $4::boolean,
       CASE WHEN EXISTS (SELECT 1 FROM auth.user_roles
                          WHERE user_id = $1::bigint AND role <> 'patient')
            THEN $5::int ELSE $6::int END,
       now() + make_interval(secs => $7::int), $8::text, left($9::text, 300)
RETURNING id;

-- name: session_rotate
UPDATE auth.sessions
   SET token_hash = $2::bytea, csrf_token = $3::text, mfa_pending = $4::boolean,
       last_seen_at = now()
 WHERE id = $1::bigint AND revoked_at IS NULL;

-- name: session_revoke
UPDATE auth.sessions SET revoked_at = now() WHERE id = $1::bigint AND revoked_at IS NULL;

-- name: session_revoke_others
UPDATE auth.sessions SET revoked_at = now()
 WHERE user_id = $1::bigint AND id <> $2::bigint AND revoked_at IS NULL;

-- name: session_revoke_all
UPDATE auth.sessions SET revoked_at = now() WHERE user_id = $1::bigint AND revoked_at IS NULL;

-- name: session_reauth
UPDATE auth.sessions SET reauth_at = now() WHERE id = $1::bigint;

-- name: session_capabilities
-- What each role may do (auth.role_capabilities); the router checks a
-- route's capability against the roles of the signed-in user.
SELECT role, capability FROM auth.role_capabilities;
