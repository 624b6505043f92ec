-- profile: the signed-in user's own account (fcgi/pages/profile.c):
-- details, password, e-mail change, sessions, second factor, re-auth.

-- name: profile_get
-- $1 user. The profile page and the second-factor page.
SELECT u.full_name, u.email, u.phone, u.language, u.time_zone,
       u.email_verified_at IS NOT NULL, u.totp_enabled_at IS NOT NULL,
       (SELECT count(*) FROM auth.recovery_codes c
         WHERE c.user_id = u.id AND c.used_at IS NULL),
       coalesce(u.sex, '')
  FROM auth.users u
 WHERE u.id = $1::bigint;

-- name: profile_tz_valid
-- $1 a time zone name; one row when PostgreSQL knows it (IANA database).
SELECT 1 FROM pg_timezone_names WHERE name = $1::text;

-- name: profile_update
-- $1 user, $2 name, $3 phone, $4 language, $5 time zone, $6 sex
-- ('female', 'male', '' unknown; 'keep': not on the form, unchanged).
UPDATE auth.users
   SET full_name = $2::text, phone = $3::text, language = $4::text,
       time_zone = $5::text, updated_at = now(),
       sex = CASE WHEN $6::text = 'keep' THEN sex ELSE nullif($6::text, '') END
 WHERE id = $1::bigint;

-- name: profile_password_hash
SELECT password_hash FROM auth.users WHERE id = $1::bigint AND disabled_at IS NULL;

-- name: profile_set_password
-- $1 user, $2 new argon2id hash.
UPDATE auth.users SET password_hash = $2::text, updated_at = now() WHERE id = $1::bigint;

-- name: profile_email_in_use
-- $1 address: the account that has it (its language for the mail telling
-- it someone asked for its address), no row when none has.
SELECT id, language FROM auth.users WHERE email = $1::text;

-- name: profile_email_requests_forget
-- $1 user: requests older than a day no longer count (029).
DELETE FROM auth.email_change_requests
 WHERE user_id = $1::bigint AND requested_at <= now() - interval '1 day';

-- name: profile_email_request_count
-- $1 user: one more request, and how many the last 24 hours hold with it.
-- The account row is locked first, so two requests at once count in turn.
WITH lock AS (SELECT id FROM auth.users WHERE id = $1::bigint FOR UPDATE),
     ins AS (INSERT INTO auth.email_change_requests (user_id) SELECT id FROM lock RETURNING id)
SELECT (SELECT count(*) FROM auth.email_change_requests
         WHERE user_id = $1::bigint AND requested_at > now() - interval '1 day')
       + (SELECT count(*) FROM ins);

-- name: profile_email_tokens_void
-- A new request replaces any earlier unused change-of-address link.
UPDATE auth.tokens SET used_at = now()
 WHERE user_id = $1::bigint AND purpose = 'change_email' AND used_at IS NULL;

-- name: profile_email_token_create
-- $1 user, $2 token hash, $3 new address, $4 lifetime (s).
INSERT INTO auth.tokens (user_id, purpose, token_hash, new_email, expires_at)
VALUES ($1::bigint, 'change_email', $2::bytea, $3::text,
        now() + make_interval(secs => $4::int));

-- name: profile_email_token_find
-- $1 token hash: a usable change-of-address link (the confirmation page).
SELECT t.id, t.user_id, t.new_email
  FROM auth.tokens t
  JOIN auth.users u ON u.id = t.user_id
 WHERE t.token_hash = $1::bytea AND t.purpose = 'change_email'
   AND t.used_at IS NULL AND t.expires_at > now() AND u.disabled_at IS NULL;

-- name: profile_email_token_claim
-- The same, locked until the end of the transaction (the change itself).
SELECT t.id, t.user_id, t.new_email
  FROM auth.tokens t
  JOIN auth.users u ON u.id = t.user_id
 WHERE t.token_hash = $1::bytea AND t.purpose = 'change_email'
   AND t.used_at IS NULL AND t.expires_at > now() AND u.disabled_at IS NULL
   FOR UPDATE OF t;

-- name: profile_email_old
-- $1 user: the address, name and language before a change (the mail to
-- the old address), the row locked until the change.
SELECT email, full_name, language FROM auth.users WHERE id = $1::bigint FOR UPDATE;

-- name: profile_email_change
-- $1 user, $2 new address (unique index users_email decides a race).
UPDATE auth.users
   SET email = $2::text, email_verified_at = now(), updated_at = now()
 WHERE id = $1::bigint;

-- name: profile_tokens_void_all
-- After an address change no link sent earlier (to either address) works.
UPDATE auth.tokens SET used_at = now() WHERE user_id = $1::bigint AND used_at IS NULL;

-- name: profile_sessions
-- $1 user, $2 the current session, $3 the clinic's time zone (times are
-- local there, like every time a page shows).
SELECT s.id,
       to_char(s.created_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'),
       to_char(s.last_seen_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'),
       s.client_addr, s.user_agent, s.id = $2::bigint, s.mfa_pending
  FROM auth.sessions s
  JOIN auth.users u ON u.id = s.user_id
 WHERE s.user_id = $1::bigint AND s.revoked_at IS NULL AND s.expires_at > now()
   AND s.last_seen_at > now() - make_interval(secs => s.idle_seconds)
 ORDER BY s.id = $2::bigint DESC, s.last_seen_at DESC
 LIMIT 100;

-- name: profile_session_end
-- $1 session, $2 user: only one's own sessions.
UPDATE auth.sessions SET revoked_at = now()
 WHERE id = $1::bigint AND user_id = $2::bigint AND revoked_at IS NULL;

-- name: profile_session_owned
SELECT 1 FROM auth.sessions WHERE id = $1::bigint AND user_id = $2::bigint;

-- name: profile_totp_get
-- $1 user: the (maybe pending) secret, enabled or not, last used step.
SELECT totp_secret, totp_enabled_at IS NOT NULL, totp_last_step
  FROM auth.users WHERE id = $1::bigint;

-- name: profile_totp_set_pending
-- $1 user, $2 base32 secret: only when there is neither factor nor pending secret.
UPDATE auth.users SET totp_secret = $2::text, totp_last_step = 0
 WHERE id = $1::bigint AND totp_enabled_at IS NULL AND totp_secret IS NULL;

-- name: profile_totp_enable
-- $1 user, $2 the secret the code was checked against, $3 matched step.
UPDATE auth.users
   SET totp_enabled_at = now(), totp_last_step = $3::bigint, updated_at = now()
 WHERE id = $1::bigint AND totp_secret = $2::text AND totp_enabled_at IS NULL;

-- name: profile_totp_disable
UPDATE auth.users
   SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = 0, updated_at = now()
 WHERE id = $1::bigint AND totp_enabled_at IS NOT NULL;

-- name: profile_recovery_clear
DELETE FROM auth.recovery_codes WHERE user_id = $1::bigint;

-- name: profile_recovery_add
-- $1 user, $2 comma-separated hex SHA-256 hashes of the new codes.
INSERT INTO auth.recovery_codes (user_id, code_hash)
SELECT $1::bigint, decode(h, 'hex') FROM unnest(string_to_array($2::text, ',')) AS h;

-- name: profile_throttle_wait
-- $1 key: seconds until another attempt is allowed (no row: allowed now).
SELECT ceil(extract(epoch FROM blocked_until - now()))::int
  FROM auth.throttle WHERE key = $1::text AND blocked_until > now();

-- name: profile_throttle_fail
-- $1 key, $2 window (s): count a failure; a window that has passed starts over.
INSERT INTO auth.throttle AS t (key, failures, window_start) VALUES ($1::text, 1, now())
ON CONFLICT (key) DO UPDATE
   SET failures = CASE WHEN t.window_start < now() - make_interval(secs => $2::int)
                       THEN 1 ELSE t.failures + 1 END,
       window_start = CASE WHEN t.window_start < now() - make_interval(secs => $2::int)
                           THEN now() ELSE t.window_start END
RETURNING failures;

-- name: profile_throttle_block
-- $1 key, $2 seconds to refuse further attempts.
UPDATE auth.throttle SET blocked_until = now() + make_interval(secs => $2::int)
 WHERE key = $1::text;

-- name: profile_throttle_clear
DELETE FROM auth.throttle WHERE key = $1::text;
