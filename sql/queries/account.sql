-- account: registration, e-mail verification, sign-in with a second factor,
-- password recovery and throttling (fcgi/pages/account.c). Secrets arrive
-- hashed ($n::bytea is the SHA-256 of a token or recovery code).

-- name: account_user_by_email
-- $1 e-mail (lower case).
SELECT id, password_hash, full_name, email, language,
       email_verified_at IS NOT NULL, disabled_at IS NOT NULL, totp_enabled_at IS NOT NULL
  FROM auth.users
 WHERE email = $1::text;

-- name: account_user_by_id
-- The same columns as account_user_by_email, plus the TOTP secret and last step.
SELECT id, password_hash, full_name, email, language,
       email_verified_at IS NOT NULL, disabled_at IS NOT NULL, totp_enabled_at IS NOT NULL,
       coalesce(totp_secret, ''), totp_last_step
  FROM auth.users
 WHERE id = $1::bigint;

-- name: account_create_user
-- $1 e-mail, $2 full name, $3 birth date, $4 phone, $5 language, $6 password hash.
INSERT INTO auth.users (email, full_name, birth_date, phone, language, password_hash)
VALUES ($1::text, $2::text, $3::date, $4::text, $5::text, $6::text)
RETURNING id;

-- name: account_add_patient_role
INSERT INTO auth.user_roles (user_id, role) VALUES ($1::bigint, 'patient');

-- name: account_rehash
-- A stronger hash of the password just typed; only if nobody changed it meanwhile.
UPDATE auth.users SET password_hash = $3::text, updated_at = now()
 WHERE id = $1::bigint AND password_hash = $2::text;

-- name: account_set_password
-- A password reset also proves the mailbox: the address counts as verified.
UPDATE auth.users
   SET password_hash = $2::text, updated_at = now(),
       email_verified_at = coalesce(email_verified_at, now())
 WHERE id = $1::bigint AND disabled_at IS NULL;

-- name: account_mark_verified
UPDATE auth.users SET email_verified_at = coalesce(email_verified_at, now()), updated_at = now()
 WHERE id = $1::bigint;

-- name: account_token_create
-- $1 user, $2 purpose, $3 token hash, $4 lifetime (s).
INSERT INTO auth.tokens (user_id, purpose, token_hash, expires_at)
VALUES ($1::bigint, $2::text, $3::bytea, now() + make_interval(secs => $4::int));

-- name: account_token_lookup
-- $1 token hash, $2 purpose. Columns: token id, user, used, expired, user
-- disabled, name, e-mail, language.
SELECT t.id, t.user_id, t.used_at IS NOT NULL, t.expires_at <= now(), u.disabled_at IS NOT NULL,
       u.full_name, u.email, u.language
  FROM auth.tokens t
  JOIN auth.users u ON u.id = t.user_id
 WHERE t.token_hash = $1::bytea AND t.purpose = $2::text;

-- name: account_token_use
-- Consume a token exactly once (two concurrent clicks: one wins).
UPDATE auth.tokens SET used_at = now()
 WHERE id = $1::bigint AND used_at IS NULL AND expires_at > now()
RETURNING user_id;

-- name: account_tokens_use_all
-- Every other open token of that purpose for the user ends too.
UPDATE auth.tokens SET used_at = now()
 WHERE user_id = $1::bigint AND purpose = $2::text AND used_at IS NULL;

-- name: account_totp_step
-- Accept the TOTP step only if it is newer than the last accepted one:
-- atomic, so a code is never accepted twice, even by two workers at once.
UPDATE auth.users SET totp_last_step = $2::bigint
 WHERE id = $1::bigint AND totp_last_step < $2::bigint AND totp_enabled_at IS NOT NULL;

-- name: account_recovery_use
-- $1 user, $2 code hash. Single use.
UPDATE auth.recovery_codes SET used_at = now()
 WHERE user_id = $1::bigint AND code_hash = $2::bytea AND used_at IS NULL
RETURNING id;

-- name: account_throttle_wait
-- Seconds until the longer of two keys' blocks ends (0: not blocked).
SELECT coalesce(max(ceil(extract(epoch FROM blocked_until - now()))), 0)::int
  FROM auth.throttle
 WHERE key IN ($1::text, $2::text) AND blocked_until > now();

-- name: account_throttle_fail
-- One more failure (or counted request) for key $1. Failures older than the
-- window ($3 s) are forgotten. From the $2-th failure on, the key is blocked
-- for 2^(failures - $2 + 1) seconds (2, 4, 8, ...), at most $4 seconds.
INSERT INTO auth.throttle AS t (key, failures, window_start, blocked_until)
VALUES ($1::text, 1, now(),
        CASE WHEN 1 >= $2::int THEN now() + make_interval(secs => least($4::int, 2))
             ELSE '-infinity'::timestamptz END)
ON CONFLICT (key) DO UPDATE SET
    failures = CASE WHEN t.window_start < now() - make_interval(secs => $3::int)
                    THEN 1 ELSE t.failures + 1 END,
    window_start = CASE WHEN t.window_start < now() - make_interval(secs => $3::int)
                        THEN now() ELSE t.window_start END,
    blocked_until = greatest(t.blocked_until,
        CASE WHEN (CASE WHEN t.window_start < now() - make_interval(secs => $3::int)
                        THEN 1 ELSE t.failures + 1 END) >= $2::int
             THEN now() + make_interval(secs => least($4::int,
                      power(2, least(20, (CASE WHEN t.window_start < now() - make_interval(secs => $3::int)
                                               THEN 1 ELSE t.failures + 1 END) - $2::int + 1))::int))
             ELSE '-infinity'::timestamptz END)
RETURNING failures;

-- name: account_throttle_clear
DELETE FROM auth.throttle WHERE key = $1::text;

-- name: account_throttle_sweep
-- Forget keys whose window and block are both over ($1 window in s).
DELETE FROM auth.throttle
 WHERE blocked_until < now() AND window_start < now() - make_interval(secs => $1::int);

-- name: account_limit_once
-- At most one action per $2 seconds for key $1: a row comes back when the
-- action may go ahead (and the next one is blocked until now() + $2 s).
INSERT INTO auth.throttle AS t (key, failures, window_start, blocked_until)
VALUES ($1::text, 1, now(), now() + make_interval(secs => $2::int))
ON CONFLICT (key) DO UPDATE SET
    failures = t.failures + 1, window_start = now(),
    blocked_until = now() + make_interval(secs => $2::int)
 WHERE t.blocked_until <= now()
RETURNING 1;
