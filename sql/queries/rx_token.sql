-- rx_token: prescription signing keys, the published key set, the material
-- a signature covers, and what the public verification page shows
-- (docs/prescriptions.md "Token", "Keys", "Verification").

-- name: rx_keys_json
-- $1 clinic time zone, $2 issuer (base_url). One row: the published keys
-- (GET /.well-known/medsys-rx-keys.json; lib/rxkeys.h reads it back).
-- Days are the clinic's calendar days of each timestamp.
SELECT json_build_object(
           'issuer', $2::text,
           'keys', coalesce(json_agg(json_build_object(
               'key_id', encode(k.key_id, 'hex'),
               'alg', 'Ed25519',
               'public_key', encode(k.public_key, 'hex'),
               'valid_from', to_char(k.valid_from AT TIME ZONE $1::text, 'YYYY-MM-DD'),
               'valid_until', to_char(k.valid_until AT TIME ZONE $1::text, 'YYYY-MM-DD'),
               'revoked_on', to_char(k.revoked_at AT TIME ZONE $1::text, 'YYYY-MM-DD'),
               'revoke_reason', k.revoke_reason) ORDER BY k.valid_from, k.key_id), '[]'::json)
       )::text || E'\n'
  FROM rx.signing_keys k;

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

-- name: rx_verify_page
-- $1 prescription id (from the token), $2 clinic time zone, $3 the token.
-- One row: today's day number, the published keys and, when the
-- prescription exists, whether the token is the one its signature stored,
-- its status, validity, prescriber (name, licence) and patient id (never
-- shown to anonymous visitors; decides the patient's own link).
SELECT ((now() AT TIME ZONE $2::text)::date - date '1970-01-01') AS today,
       s.prescription_id IS NOT NULL AS known,
       coalesce(s.token = $3::text, false) AS same_token,
       st.status, to_char(s.issued_on, 'YYYY-MM-DD'), to_char(s.expires_on, 'YYYY-MM-DD'),
       coalesce(d.display_name, u.full_name), d.licence_number, p.patient_id
  FROM (SELECT 1) one
  LEFT JOIN rx.prescriptions p ON p.id = $1::bigint
  LEFT JOIN rx.signatures s ON s.prescription_id = p.id
  LEFT JOIN rx.prescription_status st ON st.prescription_id = p.id
  LEFT JOIN auth.users u ON u.id = p.prescriber_id
  LEFT JOIN clinic.doctors d ON d.user_id = p.prescriber_id;
