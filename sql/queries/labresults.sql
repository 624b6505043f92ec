-- labresults: released lab results as the patient and the doctor read
-- them (fcgi/pages/labresults/; docs/lab-results.md): only through
-- lab.released_results (migration 025), never lab.results, so an entered
-- value nobody released cannot show by any route.

-- lab.released_results picks the newest released version per (order,
-- analyte) with DISTINCT ON: PostgreSQL moves a condition into it only
-- when it names those columns, so every statement reaches it through an
-- order (a LATERAL join on order_id: an index scan per order, not the
-- whole table for one patient).

-- name: labr_results
-- $1 patient, $2 clinic time zone, $3 language, $4 order id (0: all).
-- Every released result, orders newest first, in the order's test
-- order: order id, order code, collection day, ordering doctor, result
-- id, analyte code, name, kind, value as shown (numbers rounded to the
-- analyte's decimals), unit, flag ('' none), range low, range high (''
-- none), corrected, correction reason, release day.
SELECT o.id, o.order_code,
       to_char(coalesce(o.collected_at, o.created_at) AT TIME ZONE $2::text, 'YYYY-MM-DD'),
       coalesce(d.display_name, du.full_name),
       rr.result_id, rr.analyte, CASE WHEN $3::text = 'en' THEN a.name_en ELSE a.name_es END, a.kind,
       coalesce(round(rr.value_num, a.decimals)::text, rr.value_text), rr.unit, coalesce(rr.flag, ''),
       coalesce(round(rr.ref_low, a.decimals)::text, ''), coalesce(round(rr.ref_high, a.decimals)::text, ''),
       rr.corrected, coalesce(rr.correction_reason, ''),
       to_char(rr.released_at AT TIME ZONE $2::text, 'YYYY-MM-DD')
  FROM lab.orders o
 CROSS JOIN LATERAL (SELECT * FROM lab.released_results x WHERE x.order_id = o.id) rr
  JOIN lab.analytes a ON a.code = rr.analyte
  JOIN auth.users du ON du.id = o.ordered_by
  LEFT JOIN clinic.doctors d ON d.user_id = o.ordered_by
  LEFT JOIN lab.order_tests t ON t.order_id = rr.order_id AND t.analyte = rr.analyte
 WHERE o.patient_id = $1::bigint AND ($4::bigint = 0 OR o.id = $4::bigint)
 ORDER BY coalesce(o.collected_at, o.created_at) DESC, o.id DESC, t.position, rr.analyte;

-- name: labr_trend
-- $1 patient, $2 analyte, $3 clinic time zone. The patient's released
-- numeric results of one analyte, oldest first: collection day number,
-- value, range low, range high ('' none), outside (flag not normal),
-- collection day, order id.
SELECT ((coalesce(o.collected_at, o.created_at) AT TIME ZONE $3::text)::date - date '1970-01-01'),
       rr.value_num::text, coalesce(rr.ref_low::text, ''), coalesce(rr.ref_high::text, ''),
       coalesce(rr.flag, 'normal') <> 'normal',
       to_char(coalesce(o.collected_at, o.created_at) AT TIME ZONE $3::text, 'YYYY-MM-DD'), o.id
  FROM lab.orders o
 CROSS JOIN LATERAL (SELECT * FROM lab.released_results x
                      WHERE x.order_id = o.id AND x.analyte = $2::text) rr
 WHERE o.patient_id = $1::bigint AND rr.value_num IS NOT NULL
 ORDER BY coalesce(o.collected_at, o.created_at), o.id;

-- name: labr_analyte
-- $1 analyte, $2 language. Its name, unit, decimals, plausible low and
-- high ('' none). No row: no such analyte.
SELECT CASE WHEN $2::text = 'en' THEN a.name_en ELSE a.name_es END, a.unit, a.decimals,
       coalesce(a.plausible_low::text, ''), coalesce(a.plausible_high::text, '')
  FROM lab.analytes a WHERE a.code = $1::text;

-- name: labr_head
-- $1 patient, $2 order, $3 clinic time zone. The report's header, when
-- the order is the patient's and has a released result (else no row):
-- order code, ordering doctor, licence, collection day, last release
-- day, patient name, birth date (''), sex ('').
SELECT o.order_code, coalesce(d.display_name, du.full_name), coalesce(d.licence_number, ''),
       to_char(coalesce(o.collected_at, o.created_at) AT TIME ZONE $3::text, 'YYYY-MM-DD'),
       (SELECT to_char(max(rr.released_at) AT TIME ZONE $3::text, 'YYYY-MM-DD')
          FROM lab.released_results rr WHERE rr.order_id = o.id),
       pu.full_name, coalesce(to_char(pu.birth_date, 'YYYY-MM-DD'), ''), coalesce(pu.sex, '')
  FROM lab.orders o
  JOIN auth.users pu ON pu.id = o.patient_id
  JOIN auth.users du ON du.id = o.ordered_by
  LEFT JOIN clinic.doctors d ON d.user_id = o.ordered_by
 WHERE o.id = $2::bigint AND o.patient_id = $1::bigint
   AND EXISTS (SELECT 1 FROM lab.released_results rr WHERE rr.order_id = o.id);

-- name: labr_digest_rows
-- $1 order. What a report's token digests (lib/rxtoken.h lab_digest):
-- the order's released results by result id, values as PostgreSQL prints
-- them (not rounded: the stored value). Read when signing and verifying.
SELECT rr.result_id, rr.analyte, coalesce(rr.value_num::text, rr.value_text), rr.unit,
       coalesce(rr.flag, '')
  FROM lab.released_results rr
 WHERE rr.order_id = $1::bigint
 ORDER BY rr.result_id;

-- name: labr_sign_day
-- $1 clinic time zone. Today's day number in the clinic's calendar: the
-- day a report is signed.
SELECT (now() AT TIME ZONE $1::text)::date - date '1970-01-01';

-- name: labr_verify
-- $1 clinic time zone, $2 order id (from the token; 0: none). One row:
-- today's day number and, when the order exists (else NULLs), its
-- patient (never shown: the digest covers it; it decides the own link),
-- order code, collection day, ordering doctor, released results now,
-- corrected ones among them.
SELECT ((now() AT TIME ZONE $1::text)::date - date '1970-01-01'),
       o.patient_id, o.order_code,
       to_char(coalesce(o.collected_at, o.created_at) AT TIME ZONE $1::text, 'YYYY-MM-DD'),
       coalesce(d.display_name, du.full_name),
       (SELECT count(*) FROM lab.released_results rr WHERE rr.order_id = o.id),
       (SELECT count(*) FROM lab.released_results rr WHERE rr.order_id = o.id AND rr.corrected)
  FROM (SELECT 1) one
  LEFT JOIN lab.orders o ON o.id = $2::bigint
  LEFT JOIN auth.users du ON du.id = o.ordered_by
  LEFT JOIN clinic.doctors d ON d.user_id = o.ordered_by;

-- name: labr_inbox
-- $1 doctor's user id, $2 clinic time zone. The doctor's orders with a
-- result released since the doctor last marked the order seen: critical
-- first, then abnormal, then the newest release: order id, code,
-- patient id, patient name, collection day, last release (day and
-- time), new results, abnormal ones, critical ones, any corrected.
SELECT o.id, o.order_code, o.patient_id, pu.full_name,
       to_char(coalesce(o.collected_at, o.created_at) AT TIME ZONE $2::text, 'YYYY-MM-DD'),
       to_char(max(rr.released_at) AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'),
       count(*), count(*) FILTER (WHERE coalesce(rr.flag, 'normal') <> 'normal'),
       count(*) FILTER (WHERE rr.flag IN ('critical_low', 'critical_high')), bool_or(rr.corrected)
  FROM lab.orders o
 CROSS JOIN LATERAL (SELECT * FROM lab.released_results x WHERE x.order_id = o.id) rr
  JOIN auth.users pu ON pu.id = o.patient_id
 WHERE o.ordered_by = $1::bigint
   AND rr.released_at > coalesce((SELECT max(s.seen_at) FROM lab.results_seen s
                                   WHERE s.doctor_user = $1::bigint AND s.order_id = o.id), '-infinity')
 GROUP BY o.id, o.order_code, o.patient_id, pu.full_name
 ORDER BY count(*) FILTER (WHERE rr.flag IN ('critical_low', 'critical_high')) > 0 DESC,
          count(*) FILTER (WHERE coalesce(rr.flag, 'normal') <> 'normal') > 0 DESC,
          max(rr.released_at) DESC, o.id DESC
 LIMIT 200;

-- name: labr_seen
-- $1 doctor's user id, $2 order. Mark the order seen when it is the
-- doctor's (one row inserted), else nothing. Its patient.
INSERT INTO lab.results_seen (doctor_user, order_id)
SELECT $1::bigint, o.id FROM lab.orders o WHERE o.id = $2::bigint AND o.ordered_by = $1::bigint
RETURNING (SELECT o.patient_id FROM lab.orders o WHERE o.id = $2::bigint);

-- name: labr_summary
-- $1 patient, $2 clinic time zone, $3 language. The record summary's
-- lab line: the newest order with released results (no row: none):
-- order id, collection day, its released results, then per flagged
-- result (NULLs when none is): name, value, unit, flag.
WITH o AS (
    SELECT o.id, coalesce(o.collected_at, o.created_at) AS at
      FROM lab.orders o
     WHERE o.patient_id = $1::bigint
       AND EXISTS (SELECT 1 FROM lab.released_results x WHERE x.order_id = o.id)
     ORDER BY 2 DESC, 1 DESC LIMIT 1
)
SELECT o.id, to_char(o.at AT TIME ZONE $2::text, 'YYYY-MM-DD'),
       (SELECT count(*) FROM lab.released_results x WHERE x.order_id = o.id),
       f.name, f.value, f.unit, f.flag
  FROM o
  LEFT JOIN LATERAL (
        SELECT CASE WHEN $3::text = 'en' THEN a.name_en ELSE a.name_es END AS name,
               coalesce(round(rr.value_num, a.decimals)::text, rr.value_text) AS value, rr.unit, rr.flag
          FROM lab.released_results rr JOIN lab.analytes a ON a.code = rr.analyte
         WHERE rr.order_id = o.id AND coalesce(rr.flag, 'normal') <> 'normal'
         ORDER BY rr.analyte) f ON true;
