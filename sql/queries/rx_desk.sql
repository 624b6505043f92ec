-- rx_desk: the pharmacist's desk (fcgi/pages/rx/desk*.c,
-- docs/prescriptions.md "Pharmacist desk"). A pharmacist only ever reaches
-- a prescription presented to them: by its exact short code or its signed
-- token. No statement here lists or searches prescriptions. The page
-- itself reads rx-core's rx_head, rx_items and rx_warnings (rx.sql).

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
