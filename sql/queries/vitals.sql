-- vitals: a patient's vital signs (fcgi/pages/record/vitals*.c; schema in
-- 012_ehr_record.sql, ehr.vital_versions). Local dates and times are in
-- the clinic time zone passed as a parameter; BMI is computed here from
-- the weight and the height taken with it, or else the latest height
-- taken before (the nearest after when there is none), never stored.

-- name: vitals_now
-- $1 tz: the clinic's local date and time now (the form's default), and
-- as seconds since 1970 of the local clock (the trend's window).
SELECT to_char(now() AT TIME ZONE $1::text, 'YYYY-MM-DD'),
       to_char(now() AT TIME ZONE $1::text, 'HH24:MI'),
       extract(epoch FROM now() AT TIME ZONE $1::text)::bigint;

-- name: vitals_series
-- $1 patient, $2 tz, $3 range ('3m', '1y', '5y', 'all'). The current,
-- valid readings of the range: one row per reading when there are at most
-- 64, else the means per day, week, month, quarter or year, the finest
-- that gives at most 64 rows: a chart and its table stay small whatever
-- the frequency of the readings. Columns: period label, local epoch
-- seconds of the period's start, readings, item id of a single reading
-- (unit 'reading'), systolic, diastolic, heart rate, temperature, weight,
-- height, SpO2, glucose, BMI, unit.
WITH ok AS (
    SELECT * FROM ehr.patient_vitals($1::bigint) WHERE status = 'final'
), inrange AS (
    SELECT o.*, o.taken_at AT TIME ZONE $2::text AS local,
           o.weight / (h.height / 100.0) ^ 2 AS bmi
      FROM ok o
      LEFT JOIN LATERAL (
          SELECT coalesce(o.height, (SELECT p.height FROM ok p WHERE p.height IS NOT NULL
                                      ORDER BY p.taken_at > o.taken_at, abs(extract(epoch FROM p.taken_at - o.taken_at))
                                      LIMIT 1)) AS height) h ON true
     WHERE $3::text = 'all'
        OR o.taken_at >= now() - CASE $3::text WHEN '3m' THEN interval '3 months'
                                               WHEN '1y' THEN interval '1 year'
                                               ELSE interval '5 years' END
), unit AS (
    SELECT coalesce((SELECT u FROM (VALUES (0, 'reading'), (1, 'day'), (2, 'week'), (3, 'month'),
                                           (4, 'quarter')) v(ord, u)
                      WHERE CASE WHEN u = 'reading' THEN (SELECT count(*) FROM inrange)
                                 ELSE (SELECT count(DISTINCT date_trunc(u, local)) FROM inrange) END <= 64
                      ORDER BY ord LIMIT 1), 'year') AS u
), b AS (
    SELECT CASE WHEN unit.u = 'reading' THEN local ELSE date_trunc(unit.u, local) END AS period,
           CASE WHEN unit.u = 'reading' THEN item_id END AS one, unit.u, inrange.*
      FROM inrange, unit
)
SELECT to_char(period, CASE u WHEN 'reading' THEN 'YYYY-MM-DD HH24:MI' WHEN 'day' THEN 'YYYY-MM-DD'
                              WHEN 'week' THEN 'YYYY-MM-DD' WHEN 'month' THEN 'YYYY-MM'
                              WHEN 'quarter' THEN 'YYYY-"Q"Q' ELSE 'YYYY' END),
       extract(epoch FROM period)::bigint, count(*), coalesce(max(one)::text, ''),
       round(avg(systolic)), round(avg(diastolic)), round(avg(heart_rate)),
       round(avg(temperature), 1), round(avg(weight), 1), round(avg(height), 1),
       round(avg(spo2)), round(avg(glucose)), round(avg(bmi)::numeric, 1), u
  FROM b
 GROUP BY period, one, u
 ORDER BY period, one;

-- name: vitals_recent
-- $1 patient, $2 tz: the last 8 readings with every value, current
-- version, entered-in-error ones included (staff correct from here).
-- Columns: item, version, local taken, status, systolic, diastolic, heart
-- rate, temperature, weight, height, SpO2, glucose.
SELECT item_id, version, to_char(taken_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'), status,
       systolic, diastolic, heart_rate, temperature, weight, height, spo2, glucose
  FROM ehr.patient_vitals($1::bigint)
 ORDER BY taken_at DESC, item_id DESC
 LIMIT 8;

-- name: vitals_latest
-- $1 patient: the latest valid value of each measure, for the record
-- summary (ehr.vitals_latest, migration 014): measure ('blood_pressure',
-- 'heart_rate', 'temperature', 'weight', 'height', 'bmi', 'spo2',
-- 'glucose'), value (text, '.' as decimal point; "120/80" for blood
-- pressure), unit (UCUM: docs/record.md "Vital signs"), taken_at (ISO
-- 8601 UTC). No row for a measure never taken. Display names and units:
-- Lang.vitals.m.<measure>.name / .unit (templates/lang/*/vitals.hdf).
SELECT measure, value, unit, to_char(taken_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
  FROM ehr.vitals_latest($1::bigint)
 ORDER BY ord;

-- name: vitals_latest_local
-- $1 patient, $2 tz: the same with the time in the clinic's zone
-- ("YYYY-MM-DD HH:MM"), for the vitals page.
SELECT measure, value, unit, to_char(taken_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI')
  FROM ehr.vitals_latest($1::bigint)
 ORDER BY ord;

-- name: vitals_insert
-- $1 patient, $2 recorded by, $3 local date, $4 local time, $5 tz, $6..$13
-- systolic, diastolic, heart rate, temperature, weight, height, SpO2,
-- glucose (NULL: not taken): a new reading (item and its version 1).
WITH i AS (
    INSERT INTO ehr.items (patient_id, kind, created_by)
    VALUES ($1::bigint, 'vitals', $2::bigint) RETURNING id
)
INSERT INTO ehr.vital_versions (item_id, version, taken_at, systolic, diastolic, heart_rate,
                                temperature, weight, height, spo2, glucose, status, recorded_by)
SELECT i.id, 1, ($3::date + $4::time) AT TIME ZONE $5::text, $6::smallint, $7::smallint,
       $8::smallint, $9::numeric, $10::numeric, $11::numeric, $12::smallint, $13::smallint,
       'final', $2::bigint
  FROM i
RETURNING item_id;

-- name: vitals_versions
-- $1 patient, $2 item, $3 tz: every version of one reading of the
-- patient, newest first, with who recorded it. Columns: version, local
-- taken date, local taken time, status, systolic, diastolic, heart rate,
-- temperature, weight, height, SpO2, glucose, recorded by (name),
-- recorded at (local), reason.
SELECT v.version, to_char(v.taken_at AT TIME ZONE $3::text, 'YYYY-MM-DD'),
       to_char(v.taken_at AT TIME ZONE $3::text, 'HH24:MI'), v.status,
       v.systolic, v.diastolic, v.heart_rate, v.temperature, trim_scale(v.weight), trim_scale(v.height),
       v.spo2, v.glucose, u.full_name,
       to_char(v.recorded_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'), v.reason
  FROM ehr.items i
  JOIN ehr.vital_versions v ON v.item_id = i.id
  JOIN auth.users u ON u.id = v.recorded_by
 WHERE i.id = $2::bigint AND i.patient_id = $1::bigint AND i.kind = 'vitals'
 ORDER BY v.version DESC;

-- name: vitals_correct
-- $1 patient, $2 item, $3 the version the form was based on, $4 recorded
-- by, $5 local date, $6 local time, $7 tz, $8..$15 the values as in
-- vitals_insert, $16 status, $17 reason: version $3 + 1 of the reading.
-- A unique violation means someone saved another version meanwhile.
INSERT INTO ehr.vital_versions (item_id, version, taken_at, systolic, diastolic, heart_rate,
                                temperature, weight, height, spo2, glucose, status, recorded_by, reason)
SELECT i.id, $3::integer + 1, ($5::date + $6::time) AT TIME ZONE $7::text, $8::smallint, $9::smallint,
       $10::smallint, $11::numeric, $12::numeric, $13::numeric, $14::smallint, $15::smallint,
       $16::text, $4::bigint, $17::text
  FROM ehr.items i
 WHERE i.id = $2::bigint AND i.patient_id = $1::bigint AND i.kind = 'vitals'
RETURNING version;

-- name: vitals_future
-- $1 local date, $2 local time, $3 tz: whether that moment is later than
-- now (with five minutes for clocks that differ).
SELECT ($1::date + $2::time) AT TIME ZONE $3::text > now() + interval '5 minutes';
