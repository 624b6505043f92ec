-- rx_token: prescription signing keys, the published key set, the material
-- a signature covers, and what the public verification page shows
-- (docs/prescriptions.md "Token", "Keys", "Verification").

-- name: rx_keys_json
-- $1 clinic time zone, $2 issuer (base_url). One row: the published keys
-- (GET /.well-known/medsys-rx-keys.json; lib/rxkeys.h reads it back).
SELECT json_build_object('issuer', $2::text, 'keys', rx.published_keys($1::text))::text || E'\n';

-- name: rx_sign_head
-- $1 prescription id, $2 clinic time zone, $3 signing time (NULL: now).
-- The patient, the issue day (day number of the clinic's date), the
-- current key's id (NULL: none). No row: no such prescription.
SELECT p.patient_id,
       ((coalesce($3::timestamptz, now()) AT TIME ZONE $2::text)::date - date '1970-01-01') AS day,
       (SELECT encode(k.key_id, 'hex') FROM rx.signing_keys k
         WHERE k.valid_until IS NULL AND k.revoked_at IS NULL) AS key_id
  FROM rx.prescriptions p
 WHERE p.id = $1::bigint;

-- name: rx_sign_items
-- $1 prescription id. Its items in line order, as rx_digest takes them.
SELECT i.line, i.product_code, i.dose_amount::text, i.dose_unit, i.route,
       coalesce(i.every_hours, -1), i.as_needed, coalesce(i.duration_days, -1), i.until_told,
       i.quantity, i.refills, i.advice
  FROM rx.items i
 WHERE i.prescription_id = $1::bigint
 ORDER BY i.line;

-- name: rx_verify_keys
-- $1 clinic time zone. One row: the published keys (rx_keys_json's
-- document, without the issuer), kept by each worker until a change of
-- rx.signing_keys notifies (migration 019).
SELECT json_build_object('keys', rx.published_keys($1::text))::text;

-- name: rx_verify_page
-- $1 clinic time zone, $2 prescription id (from the token; 0: none). One
-- row: today's day number and, when a signed prescription has that id
-- (else NULLs): its patient (never shown; the digest covers it, and it
-- decides the patient's own link), status, issue and expiry days,
-- prescriber's name and licence. Read for every check: a cancellation or
-- a dispensing counts at once.
SELECT ((now() AT TIME ZONE $1::text)::date - date '1970-01-01'),
       st.patient_id, st.status, to_char(st.issued_on, 'YYYY-MM-DD'), to_char(st.expires_on, 'YYYY-MM-DD'),
       coalesce(d.display_name, u.full_name), coalesce(d.licence_number, '')
  FROM (SELECT 1) one
  LEFT JOIN rx.prescription_status st ON st.prescription_id = $2::bigint AND st.signed_at IS NOT NULL
  LEFT JOIN auth.users u ON u.id = st.prescriber_id
  LEFT JOIN clinic.doctors d ON d.user_id = st.prescriber_id;

-- name: rx_current_key
-- The current signing key's id (hex); no row when there is none. What a
-- lab report is signed with (core/rxsign.h rxsign_token).
SELECT encode(k.key_id, 'hex') FROM rx.signing_keys k
 WHERE k.valid_until IS NULL AND k.revoked_at IS NULL;
