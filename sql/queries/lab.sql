-- lab: ordering tests from an encounter, the lab's worklist, collection,
-- entry, release and correction of results, critical values (fcgi/pages/
-- lab/; schema: migrations 024, 025; docs/lab.md). Every statement about
-- an order names what scopes it (the doctor's patient, or the order id
-- the lab works on), so an id never reaches across records.

-- name: lab_catalog_panels
-- $1 language: every active panel for the order form: code, name,
-- member names (comma separated, in position order).
SELECT p.code, CASE WHEN $1::text = 'en' THEN p.name_en ELSE p.name_es END,
       (SELECT string_agg(CASE WHEN $1::text = 'en' THEN a.name_en ELSE a.name_es END, ', ' ORDER BY m.position)
          FROM lab.panel_members m JOIN lab.analytes a ON a.code = m.analyte WHERE m.panel = p.code)
  FROM lab.panels p
 WHERE p.active
 ORDER BY 2;

-- name: lab_catalog_search
-- $1 what the doctor typed, $2 language: up to 30 active single tests
-- whose code or name (either language, accents folded) contains it; with
-- '' none. Columns: code, name, unit.
SELECT a.code, CASE WHEN $2::text = 'en' THEN a.name_en ELSE a.name_es END, a.unit
  FROM lab.analytes a
 WHERE a.active AND length(btrim($1::text)) >= 2
   AND a.search LIKE '%' || ehr.icd10_fold(btrim($1::text)) || '%'
 ORDER BY 2
 LIMIT 30;

-- name: lab_catalog_names
-- $1 comma-separated analyte codes, $2 language: those that exist and
-- are active (the order form's chosen single tests): code, name, unit.
SELECT a.code, CASE WHEN $2::text = 'en' THEN a.name_en ELSE a.name_es END, a.unit
  FROM lab.analytes a
 WHERE a.active AND a.code = ANY (string_to_array($1::text, ','))
 ORDER BY 2;

-- name: lab_order_create
-- $1 patient, $2 encounter, $3 doctor (user id), $4 clinical note, $5
-- priority, $6 panel codes, $7 single test codes (comma separated): the
-- order with its panels expanded into tests (a test both in a panel and
-- chosen alone, or in two panels, once). Columns: order id, tests. No
-- row when the encounter is not this patient's.
WITH o AS (
    INSERT INTO lab.orders (patient_id, encounter_id, ordered_by, clinical_note, priority)
    SELECT e.patient_id, e.id, $3::bigint, $4::text, $5::text
      FROM ehr.encounters e
     WHERE e.id = $2::bigint AND e.patient_id = $1::bigint
    RETURNING id
), wanted AS (
    SELECT m.analyte, m.panel, pp.n AS grp, m.position AS pos
      FROM unnest(string_to_array($6::text, ',')) WITH ORDINALITY pp(code, n)
      JOIN lab.panels p ON p.code = pp.code AND p.active
      JOIN lab.panel_members m ON m.panel = p.code
      JOIN lab.analytes a ON a.code = m.analyte AND a.active
    UNION ALL
    SELECT a.code, NULL, 1000 + t.n, 0
      FROM unnest(string_to_array($7::text, ',')) WITH ORDINALITY t(code, n)
      JOIN lab.analytes a ON a.code = t.code AND a.active
), once AS (
    SELECT DISTINCT ON (analyte) analyte, panel, grp, pos FROM wanted ORDER BY analyte, grp, pos
), tests AS (
    INSERT INTO lab.order_tests (order_id, analyte, panel, position)
    SELECT o.id, w.analyte, w.panel, row_number() OVER (ORDER BY w.grp, w.pos, w.analyte)
      FROM o, once w
    RETURNING order_id
)
SELECT o.id, (SELECT count(*) FROM tests) FROM o;

-- name: lab_of_encounter
-- $1 patient, $2 encounter, $3 tz: the encounter's lab orders, newest
-- first: id, code, created, priority, tests, released tests.
SELECT o.id, o.order_code, to_char(o.created_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'), o.priority,
       (SELECT count(*) FROM lab.order_tests t WHERE t.order_id = o.id),
       (SELECT count(*) FROM lab.released_results x WHERE x.order_id = o.id)
  FROM lab.orders o
 WHERE o.encounter_id = $2::bigint AND o.patient_id = $1::bigint
 ORDER BY o.id DESC;

-- name: lab_worklist
-- $1 tz, $2 order code ('' all; 10 Crockford characters otherwise): the
-- orders with a test not yet released, urgent first, then oldest first
-- (at most 200). Columns: id, code, priority, created, patient, doctor,
-- tests, entered (a value stored), released, collected ('' not yet).
SELECT o.id, o.order_code, o.priority, to_char(o.created_at AT TIME ZONE $1::text, 'YYYY-MM-DD HH24:MI'),
       u.full_name, du.full_name, s.tests, s.entered, s.released,
       coalesce(to_char(o.collected_at AT TIME ZONE $1::text, 'YYYY-MM-DD HH24:MI'), '')
  FROM lab.orders o
  JOIN auth.users u ON u.id = o.patient_id
  JOIN auth.users du ON du.id = o.ordered_by
  CROSS JOIN LATERAL (
      SELECT count(*) AS tests,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM lab.results r
                                             WHERE r.order_id = t.order_id AND r.analyte = t.analyte)) AS entered,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM lab.released_results x
                                             WHERE x.order_id = t.order_id AND x.analyte = t.analyte)) AS released
        FROM lab.order_tests t WHERE t.order_id = o.id) s
 WHERE ($2::text = '' OR o.order_code = $2::text)
   AND EXISTS (SELECT 1 FROM lab.order_tests t
                WHERE t.order_id = o.id
                  AND NOT EXISTS (SELECT 1 FROM lab.results r JOIN lab.releases l ON l.result_id = r.id
                                   WHERE r.order_id = t.order_id AND r.analyte = t.analyte
                                     AND r.version = (SELECT max(v.version) FROM lab.results v
                                                       WHERE v.order_id = t.order_id AND v.analyte = t.analyte)))
 ORDER BY o.priority = 'urgent' DESC, o.created_at, o.id
 LIMIT 200;

-- name: lab_order_find
-- $1 order code: the order's id (the worklist's search, released or not).
SELECT o.id FROM lab.orders o WHERE o.order_code = $1::text;

-- name: lab_order_head
-- $1 order, $2 tz: id, code, priority, clinical note, created, patient
-- id, patient name, birth date, sex ('' unknown), ordering doctor,
-- collected at ('' not yet), collected by, encounter, doctor's user id.
SELECT o.id, o.order_code, o.priority, o.clinical_note,
       to_char(o.created_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'), o.patient_id, u.full_name,
       coalesce(to_char(u.birth_date, 'YYYY-MM-DD'), ''), coalesce(u.sex, ''), du.full_name,
       coalesce(to_char(o.collected_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'), ''),
       coalesce(cu.full_name, ''), o.encounter_id, o.ordered_by
  FROM lab.orders o
  JOIN auth.users u ON u.id = o.patient_id
  JOIN auth.users du ON du.id = o.ordered_by
  LEFT JOIN auth.users cu ON cu.id = o.collected_by
 WHERE o.id = $1::bigint;

-- name: lab_order_tests
-- $1 order, $2 language, $3 tz: each test with its newest version.
-- Columns: analyte, name, kind, unit, decimals, plausible low, plausible
-- high, choices (comma separated), other units it converts from (comma
-- separated), panel name, version (0: nothing entered), value as text,
-- flag, ref low, ref high, critical low, critical high, entered by
-- (name), entered by (id), entered at, released ('t'/'f'), a released
-- version exists ('t'/'f'), correction reason.
SELECT t.analyte, CASE WHEN $2::text = 'en' THEN a.name_en ELSE a.name_es END, a.kind, a.unit, a.decimals,
       coalesce(a.plausible_low::text, ''), coalesce(a.plausible_high::text, ''),
       coalesce(array_to_string(a.choices, ','), ''),
       coalesce((SELECT string_agg(DISTINCT x.u, ',') FROM (
                    SELECT c.from_unit AS u FROM lab.unit_conversions c
                     WHERE c.to_unit = a.unit AND (c.analyte = a.code OR c.analyte IS NULL)
                    UNION SELECT c.to_unit FROM lab.unit_conversions c
                     WHERE c.from_unit = a.unit AND (c.analyte = a.code OR c.analyte IS NULL)) x
                  WHERE a.unit <> ''), ''),
       coalesce(CASE WHEN $2::text = 'en' THEN p.name_en ELSE p.name_es END, ''),
       coalesce(r.version, 0),
       coalesce(r.value_text, round(r.value_num, a.decimals)::text, ''),
       coalesce(r.flag, ''), coalesce(r.ref_low::text, ''), coalesce(r.ref_high::text, ''),
       coalesce(r.critical_low::text, ''), coalesce(r.critical_high::text, ''),
       coalesce(eu.full_name, ''), coalesce(r.entered_by::text, ''),
       coalesce(to_char(r.entered_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'), ''),
       (l.result_id IS NOT NULL),
       EXISTS (SELECT 1 FROM lab.results q JOIN lab.releases ql ON ql.result_id = q.id
                WHERE q.order_id = t.order_id AND q.analyte = t.analyte),
       coalesce(r.correction_reason, '')
  FROM lab.order_tests t
  JOIN lab.analytes a ON a.code = t.analyte
  LEFT JOIN lab.panels p ON p.code = t.panel
  LEFT JOIN LATERAL (SELECT * FROM lab.results v WHERE v.order_id = t.order_id AND v.analyte = t.analyte
                      ORDER BY v.version DESC LIMIT 1) r ON true
  LEFT JOIN lab.releases l ON l.result_id = r.id
  LEFT JOIN auth.users eu ON eu.id = r.entered_by
 WHERE t.order_id = $1::bigint
 ORDER BY t.position;

-- name: lab_collect
-- $1 order, $2 lab user: the specimen taken now; no row when it was
-- collected already.
UPDATE lab.orders SET collected_at = now(), collected_by = $2::bigint
 WHERE id = $1::bigint AND collected_at IS NULL
RETURNING id;

-- name: lab_lock
-- $1 order: its lock, for the rest of the transaction (entry, release).
SELECT lab.lock_order($1::bigint);

-- name: lab_value_check
-- $1 analyte, $2 unit typed, $3 value (numeric text): the value in the
-- analyte's unit ('' when that unit does not convert), and whether it is
-- plausible ('t'/'f').
SELECT coalesce(v::text, ''),
       (v IS NOT NULL AND (a.plausible_low IS NULL OR v >= a.plausible_low)
                      AND (a.plausible_high IS NULL OR v <= a.plausible_high))
  FROM lab.analytes a, lab.convert_value($1::text, $2::text, $3::numeric) v
 WHERE a.code = $1::text;

-- name: lab_result_add
-- $1 order, $2 analyte, $3 numeric value in the analyte's unit ('' for
-- none), $4 text value ('' none), $5 user, $6 version, $7 correction
-- reason ('' none): the result, its flag computed by the trigger (025).
-- Columns: id, flag ('' none).
INSERT INTO lab.results (order_id, analyte, version, value_num, value_text, entered_by, correction_reason)
VALUES ($1::bigint, $2::text, $6::smallint, nullif($3::text, '')::numeric, nullif($4::text, ''), $5::bigint,
        nullif($7::text, ''))
RETURNING id, coalesce(flag, '');

-- name: lab_release_pending
-- $1 order: the newest versions not yet released: result id, entered
-- by (user id, '' for the import).
SELECT r.id, coalesce(r.entered_by::text, '')
  FROM lab.results r
 WHERE r.order_id = $1::bigint
   AND NOT EXISTS (SELECT 1 FROM lab.results n WHERE n.order_id = r.order_id AND n.analyte = r.analyte
                                                AND n.version > r.version)
   AND NOT EXISTS (SELECT 1 FROM lab.releases l WHERE l.result_id = r.id);

-- name: lab_release
-- $1 order, $2 user releasing, $3 verified by ('' none: the person who
-- entered them confirmed): every newest unreleased version of the order
-- released in one statement (so its notices are one per order: 025).
-- Columns: result id, flag.
INSERT INTO lab.releases (result_id, released_by, verified_by)
SELECT r.id, $2::bigint, nullif($3::text, '')::bigint
  FROM lab.results r
 WHERE r.order_id = $1::bigint
   AND NOT EXISTS (SELECT 1 FROM lab.results n WHERE n.order_id = r.order_id AND n.analyte = r.analyte
                                                AND n.version > r.version)
   AND NOT EXISTS (SELECT 1 FROM lab.releases l WHERE l.result_id = r.id)
RETURNING result_id, (SELECT coalesce(x.flag, '') FROM lab.results x WHERE x.id = result_id);

-- name: lab_critical_list
-- $1 doctor (user id), $2 tz, $3 language: the doctor's critical values,
-- unacknowledged first, then the last 30 days'. Columns: result id,
-- patient, analyte name, notified, acknowledged ('' not yet), escalated
-- ('' not).
SELECT c.result_id, u.full_name, CASE WHEN $3::text = 'en' THEN a.name_en ELSE a.name_es END,
       to_char(c.notified_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'),
       coalesce(to_char(c.acknowledged_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'), ''),
       coalesce(to_char(c.escalated_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'), '')
  FROM lab.critical_alerts c
  JOIN lab.results r ON r.id = c.result_id
  JOIN lab.orders o ON o.id = r.order_id
  JOIN auth.users u ON u.id = o.patient_id
  JOIN lab.analytes a ON a.code = r.analyte
 WHERE c.doctor_user = $1::bigint
   AND (c.acknowledged_at IS NULL OR c.notified_at > now() - interval '30 days')
 ORDER BY c.acknowledged_at IS NULL DESC, c.notified_at DESC
 LIMIT 100;

-- name: lab_critical_one
-- $1 result, $2 doctor (user id), $3 tz, $4 language: one critical value
-- of the doctor's. Columns: result id, patient id, patient name, order
-- id, order code, analyte name, value, unit, flag, critical low, critical
-- high, notified, acknowledged ('' not yet), escalated ('' not).
SELECT c.result_id, o.patient_id, u.full_name, o.id, o.order_code,
       CASE WHEN $4::text = 'en' THEN a.name_en ELSE a.name_es END,
       coalesce(r.value_text, round(r.value_num, a.decimals)::text), r.unit, coalesce(r.flag, ''),
       coalesce(r.critical_low::text, ''), coalesce(r.critical_high::text, ''),
       to_char(c.notified_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'),
       coalesce(to_char(c.acknowledged_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'), ''),
       coalesce(to_char(c.escalated_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'), '')
  FROM lab.critical_alerts c
  JOIN lab.results r ON r.id = c.result_id
  JOIN lab.orders o ON o.id = r.order_id
  JOIN auth.users u ON u.id = o.patient_id
  JOIN lab.analytes a ON a.code = r.analyte
 WHERE c.result_id = $1::bigint AND c.doctor_user = $2::bigint;

-- name: lab_critical_ack
-- $1 result, $2 doctor: acknowledged now, once; the patient's id, or no
-- row (not the doctor's, or acknowledged already).
UPDATE lab.critical_alerts c SET acknowledged_at = now(), acknowledged_by = $2::bigint
  FROM lab.results r JOIN lab.orders o ON o.id = r.order_id
 WHERE c.result_id = $1::bigint AND c.doctor_user = $2::bigint AND c.acknowledged_at IS NULL
   AND r.id = c.result_id
RETURNING o.patient_id;

-- name: notifier_lab
-- $1 a lab event (lab.results_ready, lab.result_corrected {"order_id",
-- "who"}; lab.critical, lab.critical_escalate {"result_id"}): for
-- medsys-notifier, who gets the mail and in what words. Columns: address
-- ('' none), language, the addressee's name, the ordering doctor's name,
-- the addressee's account disabled ('t'/'f'), what ('ready',
-- 'corrected_patient', 'corrected_doctor', 'critical', 'escalate'),
-- result or order id, acknowledged ('t'/'f'). Nothing clinical: no test,
-- no value.
SELECT coalesce(t.email, ''), coalesce(t.language, ''), coalesce(t.full_name, ''), du.full_name,
       coalesce(t.disabled_at IS NOT NULL, false), w.what, w.id::text, w.acked
  FROM outbox.events e
  CROSS JOIN LATERAL (
      SELECT CASE WHEN e.payload->>'order_id' ~ '^[0-9]{1,18}$' THEN (e.payload->>'order_id')::bigint END AS oid,
             CASE WHEN e.payload->>'result_id' ~ '^[0-9]{1,18}$' THEN (e.payload->>'result_id')::bigint END AS rid) p
  LEFT JOIN lab.critical_alerts c ON c.result_id = p.rid
  LEFT JOIN lab.results r ON r.id = c.result_id
  JOIN lab.orders o ON o.id = coalesce(p.oid, r.order_id)
  JOIN auth.users du ON du.id = o.ordered_by
  CROSS JOIN LATERAL (
      SELECT CASE e.type WHEN 'lab.results_ready' THEN 'ready'
                         WHEN 'lab.result_corrected' THEN 'corrected_' || (e.payload->>'who')
                         WHEN 'lab.critical' THEN 'critical'
                         WHEN 'lab.critical_escalate' THEN 'escalate' END AS what,
             coalesce(p.rid, p.oid) AS id, c.acknowledged_at IS NOT NULL AS acked) w
  LEFT JOIN auth.users t ON t.id = CASE WHEN w.what IN ('ready', 'corrected_patient') THEN o.patient_id
                                        WHEN w.what IN ('corrected_doctor', 'critical') THEN o.ordered_by END
 WHERE e.id = $1::bigint AND w.what IN ('ready', 'corrected_patient', 'corrected_doctor', 'critical', 'escalate')
   AND (p.rid IS NULL) = (e.type IN ('lab.results_ready', 'lab.result_corrected'));

-- name: notifier_lab_schedule
-- $1 result, $2 minutes: the escalation of a critical value, due when the
-- doctor has had that long to acknowledge it; once per result (dedup).
INSERT INTO outbox.events (type, payload, due_at, dedup_key)
VALUES ('lab.critical_escalate', jsonb_build_object('result_id', $1::bigint),
        now() + make_interval(mins => $2::int), 'lab.critical_escalate:' || $1::bigint)
ON CONFLICT (dedup_key) DO NOTHING;

-- name: notifier_lab_escalated
-- $1 result: the escalation recorded (once: lab.critical_escalated, 025)
-- with its audit row. 't' when this call recorded it.
SELECT lab.critical_escalated($1::bigint);
