-- rx_desk: the pharmacist's desk (fcgi/pages/rx/desk*.c,
-- docs/prescriptions.md "Pharmacist desk"). A pharmacist only ever reaches
-- a prescription presented to them: by its exact short code or its signed
-- token. No statement here lists or searches prescriptions.

-- name: rx_desk_by_code
-- $1 a short code as stored (10 Crockford base32 characters, no dash):
-- the signed prescription that carries it. No row: no such code (drafts
-- have no code a patient could hold).
SELECT p.id
  FROM rx.prescriptions p JOIN rx.signatures s ON s.prescription_id = p.id
 WHERE p.short_code = $1::text;

-- name: rx_desk_proof
-- $1 prescription: what a presentation is checked against (the patient,
-- the short code, the token the QR carries). No row: no such signed
-- prescription; the desk answers the same as for a wrong proof.
SELECT p.patient_id, p.short_code, s.token
  FROM rx.prescriptions p JOIN rx.signatures s ON s.prescription_id = p.id
 WHERE p.id = $1::bigint;

-- name: rx_desk_head
-- $1 prescription, $2 clinic time zone: the status, the patient (name,
-- birth date), the prescriber (name, licence), issue and expiry dates,
-- the cancellation (reason, when, by) and the short code.
SELECT st.status, pu.full_name, coalesce(to_char(pu.birth_date, 'YYYY-MM-DD'), ''),
       du.full_name, coalesce(cd.licence_number, ''),
       to_char(s.issued_on, 'YYYY-MM-DD'), to_char(s.expires_on, 'YYYY-MM-DD'),
       coalesce(c.reason, ''),
       coalesce(to_char(c.cancelled_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'), ''),
       p.short_code
  FROM rx.prescriptions p
  JOIN rx.signatures s ON s.prescription_id = p.id
  JOIN rx.prescription_status st ON st.prescription_id = p.id
  JOIN auth.users pu ON pu.id = p.patient_id
  JOIN auth.users du ON du.id = p.prescriber_id
  LEFT JOIN clinic.doctors cd ON cd.user_id = p.prescriber_id
  LEFT JOIN rx.cancellations c ON c.prescription_id = p.id
 WHERE p.id = $1::bigint;

-- name: rx_desk_items
-- $1 prescription, $2 language ('es'/'en'), $3 clinic time zone: each
-- item with the product's name, the instruction's parts, the quantity per
-- dispensing and refills, and from rx.item_status (020) what may be
-- dispensed in all, what was, what is left, and the newest dispensing
-- (who, when) for "already dispensed by ... at ...".
SELECT i.line, CASE WHEN $2::text = 'en' THEN pr.name_en ELSE pr.name_es END,
       i.dose_amount::text, i.dose_unit, i.route, coalesce(i.every_hours::text, ''),
       i.as_needed::text, coalesce(i.duration_days::text, ''), i.until_told::text, i.advice,
       i.quantity, i.refills, st.allowed, st.dispensed, st.remaining,
       coalesce(u.full_name, ''),
       coalesce(to_char(st.last_dispensed_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'), ''),
       i.product_code
  FROM rx.items i
  JOIN rx.item_status st ON st.prescription_id = i.prescription_id AND st.line = i.line
  JOIN rx.products pr ON pr.code = i.product_code
  LEFT JOIN auth.users u ON u.id = st.last_dispensed_by
 WHERE i.prescription_id = $1::bigint
 ORDER BY i.line;

-- name: rx_desk_overrides
-- $1 prescription, $2 clinic time zone: the warnings the prescriber
-- overrode (line, kind, severity, detail, reason, by, when), for the
-- pharmacist to see before dispensing.
SELECT coalesce(w.line::text, ''), w.kind, w.severity, w.detail, w.override_reason,
       coalesce(u.full_name, ''),
       coalesce(to_char(w.overridden_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'), '')
  FROM rx.warnings w LEFT JOIN auth.users u ON u.id = w.overridden_by
 WHERE w.prescription_id = $1::bigint AND w.override_reason IS NOT NULL
 ORDER BY w.line NULLS FIRST, w.id;

-- name: rx_desk_lock
-- $1 prescription. Taken first in a dispensing's transaction:
-- rx.lock_prescription (020) holds the prescription's row lock to the end
-- of the transaction, so concurrent dispensings of it run one after the
-- other and each sees what the one before it committed (no lost update,
-- no over-dispensing). Its own statement: a later statement's snapshot is
-- taken after the lock was granted (READ COMMITTED), this one's before.
SELECT rx.lock_prescription($1::bigint);

-- name: rx_desk_state
-- $1 prescription: its patient and status (rx.prescription_status, 020:
-- only 'active' and 'partly_dispensed' may be dispensed). Read under
-- rx_desk_lock.
SELECT st.patient_id, st.status
  FROM rx.prescription_status st
 WHERE st.prescription_id = $1::bigint;

-- name: rx_desk_dispense
-- $1 prescription, $2 line, $3 quantity, $4 pharmacist: one dispensing,
-- only when that much is still left on the line (run after rx_desk_lock;
-- the trigger of 020 refuses the same, as the last line). No row: the
-- line does not exist or less is left.
INSERT INTO rx.dispensings (prescription_id, line, quantity, pharmacist_id)
SELECT st.prescription_id, st.line, $3::int, $4::bigint
  FROM rx.item_status st
 WHERE st.prescription_id = $1::bigint AND st.line = $2::smallint AND $3::int <= st.remaining
RETURNING line;
