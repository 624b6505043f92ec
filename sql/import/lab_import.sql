-- HL7 result import: the statements of `medsysctl lab-import FILE`
-- (fcgi/ctl/lab_import.c), run as the migration role, one message per
-- transaction. Results are inserted like the lab's own entries (025's
-- trigger computes the flag); a release, when configured, goes through
-- lab.releases like the page's, so its notices and critical alerts follow.

-- name: lab_import_order
-- $1 the placer order number (10 characters, as stored). Columns: the
-- order's id, its patient, whether its collection is recorded.
SELECT id, patient_id, collected_at IS NOT NULL FROM lab.orders WHERE order_code = $1::text;

-- name: lab_import_analyte
-- $1 order id, $2 LOINC code. Columns: kind, canonical unit, the answers
-- of a coded analyte (';'-separated), whether the order has the test, its
-- newest version (0: none). No row: no such analyte.
SELECT a.kind, a.unit, coalesce(array_to_string(a.choices, ';'), ''),
       EXISTS (SELECT 1 FROM lab.order_tests t WHERE t.order_id = $1::bigint AND t.analyte = a.code),
       coalesce((SELECT max(r.version) FROM lab.results r
                  WHERE r.order_id = $1::bigint AND r.analyte = a.code), 0)
  FROM lab.analytes a WHERE a.code = $2::text;

-- name: lab_import_value
-- $1 analyte, $2 unit as sent, $3 the number as sent. Columns: the value
-- in the analyte's unit (NULL: no conversion from that unit), whether it
-- is plausible, the plausible limits (for the message).
SELECT c.v, (c.v < a.plausible_low OR c.v > a.plausible_high) IS NOT TRUE,
       coalesce(a.plausible_low::text, ''), coalesce(a.plausible_high::text, '')
  FROM lab.analytes a, LATERAL (SELECT lab.convert_value(a.code, $2::text, $3::numeric) AS v) c
 WHERE a.code = $1::text;

-- name: lab_import_collect
-- $1 order id, $2 collection time (ISO text), $3 'offset' when $2 has a
-- UTC offset, else it is the clinic's local time. Only an order whose
-- collection is not recorded yet (025 records it once).
UPDATE lab.orders
   SET collected_at = CASE WHEN $3::text = 'offset' THEN $2::timestamptz
                           ELSE $2::timestamp AT TIME ZONE
                                coalesce((SELECT time_zone FROM clinic.settings WHERE id = 1), 'Europe/Madrid')
                      END
 WHERE id = $1::bigint AND collected_at IS NULL;

-- name: lab_import_result
-- $1 order id, $2 analyte, $3 version, $4 value_num ('' = none),
-- $5 value_text ('' = none), $6 correction reason ('' = none), $7 the
-- patient (audit), $8 the message's control id (audit). Columns: the
-- result's id and its flag ('' = none).
WITH r AS (
    INSERT INTO lab.results (order_id, analyte, version, value_num, value_text, source, correction_reason)
    VALUES ($1::bigint, $2::text, $3::smallint, nullif($4::text, '')::numeric, nullif($5::text, ''), 'hl7',
            nullif($6::text, ''))
    RETURNING id, flag
)
SELECT r.id, coalesce(r.flag, ''),
       audit.append(NULL, $7::bigint, CASE WHEN $3::smallint > 1 THEN 'lab.result_corrected'
                                           ELSE 'lab.result_entered' END,
                    'lab_order:' || $1 || ' analyte:' || $2 || ' version:' || $3 || ' source:hl7 msg:' || $8,
                    '', '')
  FROM r;

-- name: lab_import_release
-- $1 result id, $2 the patient (audit): released by the import itself
-- (config lab_import_release = yes; released_by stays NULL).
WITH l AS (INSERT INTO lab.releases (result_id) VALUES ($1::bigint) RETURNING result_id)
SELECT audit.append(NULL, $2::bigint, 'lab.released', 'result:' || l.result_id || ' source:hl7', '', '')
  FROM l;
