-- rx_keys: `medsysctl keys rotate|revoke` (run as db_admin: the
-- application role may only read rx.signing_keys; migration 019).

-- name: rx_key_retire
-- The current key, if any, stops signing now (it keeps verifying what it
-- signed). Its id (hex), or no row.
UPDATE rx.signing_keys SET valid_until = now()
 WHERE valid_until IS NULL AND revoked_at IS NULL
RETURNING encode(key_id, 'hex');

-- name: rx_key_insert
-- $1 key id (16 hex), $2 public key (64 hex), $3 first day it signs for
-- (NULL: now; a past day only for back-dated demo prescriptions): the new
-- current key.
INSERT INTO rx.signing_keys (key_id, public_key, valid_from)
VALUES (decode($1::text, 'hex'), decode($2::text, 'hex'), coalesce($3::date::timestamptz, now()));

-- name: rx_key_revoke
-- $1 key id (16 hex), $2 reason. The key verifies nothing from now on;
-- if it was the current key it also stops signing. No row: no such key,
-- or already revoked (then $3 tells which: see rx_key_state).
UPDATE rx.signing_keys SET revoked_at = now(), revoke_reason = $2::text,
       valid_until = coalesce(valid_until, now())
 WHERE key_id = decode($1::text, 'hex') AND revoked_at IS NULL
RETURNING encode(key_id, 'hex');

-- name: rx_key_state
-- $1 key id (16 hex): 'revoked' or 'known'; no row: unknown.
SELECT CASE WHEN revoked_at IS NULL THEN 'known' ELSE 'revoked' END
  FROM rx.signing_keys WHERE key_id = decode($1::text, 'hex');
