-- rx: writing, checking, signing and cancelling prescriptions, and the
-- patient's prescriptions (fcgi/pages/rx/; schema: migration 020,
-- docs/prescriptions.md). Every statement about a prescription names its
-- patient too, so an id never reaches across records.

-- name: rx_encounter
-- $1 patient, $2 encounter, $3 tz: the encounter a prescription is
-- written in: id, started, doctor, patient name, age in years ('' when
-- the birth date is unknown), latest weight in kg ('' when none).
SELECT e.id, to_char(e.started_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'), d.display_name,
       u.full_name, coalesce(extract(year FROM age(clinic.today(), u.birth_date))::int::text, ''),
       coalesce((SELECT w.value FROM ehr.vitals_latest($1::bigint) w WHERE w.measure = 'weight'), '')
  FROM ehr.encounters e
  JOIN clinic.doctors d ON d.id = e.doctor_id
  JOIN auth.users u ON u.id = e.patient_id
 WHERE e.id = $2::bigint AND e.patient_id = $1::bigint;

-- name: rx_of_encounter
-- $1 patient, $2 encounter, $3 tz: the encounter's prescriptions, newest
-- first: id, short code, created, prescriber, status.
SELECT s.prescription_id, s.short_code, to_char(s.created_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'),
       u.full_name, s.status
  FROM rx.prescription_status s JOIN auth.users u ON u.id = s.prescriber_id
 WHERE s.encounter_id = $2::bigint AND s.patient_id = $1::bigint
 ORDER BY s.prescription_id DESC;

-- name: rx_create
-- $1 patient, $2 encounter, $3 prescriber, $4 weight kg ('' none), $5
-- pregnant ('' unknown, 't', 'f'): a new draft; no row when the encounter
-- is not this patient's.
INSERT INTO rx.prescriptions (patient_id, encounter_id, prescriber_id, patient_weight_kg, pregnant)
SELECT e.patient_id, e.id, $3::bigint, nullif($4::text, '')::numeric, nullif($5::text, '')::boolean
  FROM ehr.encounters e
 WHERE e.id = $2::bigint AND e.patient_id = $1::bigint
RETURNING id;

-- name: rx_head
-- $1 patient, $2 prescription, $3 tz, $4 't': signed ones only (the
-- patient's pages). id, short code, encounter, created, prescriber,
-- licence, status, signed at, issued on, expires on, cancelled at, cancel
-- reason, weight, pregnant, patient name, birth date, token, prescriber
-- id, canceller.
SELECT s.prescription_id, s.short_code, s.encounter_id,
       to_char(s.created_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'),
       pu.full_name, coalesce(d.licence_number, ''), s.status,
       coalesce(to_char(s.signed_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'), ''),
       coalesce(to_char(s.issued_on, 'YYYY-MM-DD'), ''), coalesce(to_char(s.expires_on, 'YYYY-MM-DD'), ''),
       coalesce(to_char(s.cancelled_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'), ''),
       coalesce(c.reason, ''), coalesce(p.patient_weight_kg::text, ''), coalesce(p.pregnant::text, ''),
       u.full_name, coalesce(to_char(u.birth_date, 'YYYY-MM-DD'), ''), coalesce(g.token, ''),
       s.prescriber_id, coalesce(cu.full_name, '')
  FROM rx.prescription_status s
  JOIN rx.prescriptions p ON p.id = s.prescription_id
  JOIN auth.users pu ON pu.id = s.prescriber_id
  JOIN auth.users u ON u.id = s.patient_id
  LEFT JOIN clinic.doctors d ON d.user_id = s.prescriber_id
  LEFT JOIN rx.signatures g ON g.prescription_id = s.prescription_id
  LEFT JOIN rx.cancellations c ON c.prescription_id = s.prescription_id
  LEFT JOIN auth.users cu ON cu.id = c.cancelled_by
 WHERE s.prescription_id = $2::bigint AND s.patient_id = $1::bigint
   AND (NOT $4::boolean OR s.signed_at IS NOT NULL);

-- name: rx_items
-- $1 patient, $2 prescription, $3 language, $4 tz: the items in line
-- order: line, product code, product name, dose amount (no trailing
-- zeros), dose unit, route, every hours, as needed, duration days, until
-- told, advice, quantity, refills, allowed, dispensed, remaining, last
-- dispensed at, by, product's dose unit.
SELECT i.line, i.product_code, CASE WHEN $3::text = 'es' THEN q.name_es ELSE q.name_en END,
       trim_scale(i.dose_amount)::text, i.dose_unit, i.route, coalesce(i.every_hours::text, ''),
       i.as_needed, coalesce(i.duration_days::text, ''), i.until_told, i.advice, i.quantity, i.refills,
       t.allowed, t.dispensed, t.remaining,
       coalesce(to_char(t.last_dispensed_at AT TIME ZONE $4::text, 'YYYY-MM-DD HH24:MI'), ''),
       coalesce(lu.full_name, ''), q.dose_unit
  FROM rx.items i
  JOIN rx.prescriptions p ON p.id = i.prescription_id
  JOIN rx.products q ON q.code = i.product_code
  JOIN rx.item_status t ON t.prescription_id = i.prescription_id AND t.line = i.line
  LEFT JOIN auth.users lu ON lu.id = t.last_dispensed_by
 WHERE i.prescription_id = $2::bigint AND p.patient_id = $1::bigint
 ORDER BY i.line;

-- name: rx_product
-- $1 product code, $2 language: an active product the form picked: code,
-- name, dose unit, route.
SELECT q.code, CASE WHEN $2::text = 'es' THEN q.name_es ELSE q.name_en END, q.dose_unit, q.route
  FROM rx.products q WHERE q.code = $1::text AND q.active;

-- name: rx_draft_lock
-- $1 patient, $2 prescription, $3 actor: the draft, locked for the
-- transaction, when it is the actor's, unsigned and not cancelled: id,
-- next free line. No row: 404 or 409 (rx_head says which).
SELECT p.id, coalesce((SELECT max(i.line) FROM rx.items i WHERE i.prescription_id = p.id), 0) + 1
  FROM rx.prescriptions p, rx.lock_prescription(p.id) l
 WHERE p.id = $2::bigint AND p.patient_id = $1::bigint AND p.prescriber_id = $3::bigint
   AND NOT rx.is_signed(p.id)
   AND NOT EXISTS (SELECT 1 FROM rx.cancellations c WHERE c.prescription_id = p.id);

-- name: rx_item_add
-- $1 prescription (locked by rx_draft_lock), $2 line, $3 product, $4 dose
-- amount, $5 dose unit, $6 route, $7 every hours ('' single dose), $8 as
-- needed, $9 duration days (''), $10 until told, $11 advice, $12
-- quantity, $13 refills.
INSERT INTO rx.items (prescription_id, line, product_code, dose_amount, dose_unit, route, every_hours,
                      as_needed, duration_days, until_told, advice, quantity, refills)
VALUES ($1::bigint, $2::smallint, $3::text, $4::numeric, $5::text, $6::text, nullif($7::text, '')::smallint,
        $8::boolean, nullif($9::text, '')::smallint, $10::boolean, $11::text, $12::integer, $13::smallint);

-- name: rx_item_remove
-- $1 prescription (locked by rx_draft_lock), $2 line.
DELETE FROM rx.items WHERE prescription_id = $1::bigint AND line = $2::smallint RETURNING line;

-- name: rx_check
-- $1 prescription, $2 language (of the findings' words: staff pages), $3
-- patient.
-- The safety checks of a draft (docs/prescriptions.md "Safety checks"),
-- stored in rx.warnings: a finding still found keeps its row (and its
-- override), one no longer found goes, a new one is added. Nothing for a
-- signed or cancelled prescription. Returns: found, removed, added.
WITH p AS (
    SELECT x.id, x.patient_id, x.patient_weight_kg AS kg, x.pregnant,
           extract(year FROM age(clinic.today(), u.birth_date)) AS age
      FROM rx.prescriptions x JOIN auth.users u ON u.id = x.patient_id
     WHERE x.id = $1::bigint AND x.patient_id = $3::bigint AND NOT rx.is_signed(x.id)
       AND NOT EXISTS (SELECT 1 FROM rx.cancellations c WHERE c.prescription_id = x.id)
), it AS (       -- the draft's items and their products
    SELECT i.*, q AS prod, q.ingredients, q.atc,
           CASE WHEN $2::text = 'es' THEN q.name_es ELSE q.name_en END AS name
      FROM rx.items i JOIN p ON p.id = i.prescription_id JOIN rx.products q ON q.code = i.product_code
), other AS (    -- what the patient takes already: other active prescriptions' items ...
    SELECT q AS prod, q.ingredients, q.atc, CASE WHEN $2::text = 'es' THEN q.name_es ELSE q.name_en END AS name
      FROM p
      JOIN rx.prescription_status s ON s.patient_id = p.patient_id AND s.prescription_id <> p.id
                                   AND s.status IN ('active', 'partly_dispensed')
      JOIN rx.items oi ON oi.prescription_id = s.prescription_id
      JOIN rx.products q ON q.code = oi.product_code
    UNION ALL    -- ... and the record's active medications not ended, recognised by name
    SELECT r.q, (r.q).ingredients, (r.q).atc, m.name
      FROM p JOIN ehr.medications m ON m.patient_id = p.patient_id AND m.status = 'active'
                                   AND (m.ended_on IS NULL OR m.ended_on >= clinic.today())
      JOIN LATERAL (
           SELECT q FROM rx.products q
            WHERE starts_with(ehr.icd10_fold(m.name), rx.base_name(q.name_es))
               OR starts_with(ehr.icd10_fold(m.name), rx.base_name(q.name_en))
               OR EXISTS (SELECT 1 FROM unnest(q.ingredients) g
                           WHERE length(g) >= 4 AND starts_with(ehr.icd10_fold(m.name), g))
            ORDER BY q.active DESC, q.code LIMIT 1) r ON true
), pairs AS (    -- each item with each other item (once) and with what is taken
    SELECT a.line, a.name AS aname, a.prod AS aprod, a.ingredients AS aing, a.atc AS aatc,
           b.name AS bname, b.prod AS bprod, b.ingredients AS bing, b.atc AS batc
      FROM it a JOIN it b ON b.line > a.line
    UNION ALL
    SELECT a.line, a.name, a.prod, a.ingredients, a.atc, o.name, o.prod, o.ingredients, o.atc
      FROM it a CROSS JOIN other o
), alg AS (      -- the patient's active allergies
    SELECT a.substance, ehr.icd10_fold(a.substance) AS f, a.substance_code, a.type, a.severity
      FROM p JOIN ehr.allergies a ON a.patient_id = p.patient_id AND a.status = 'active'
), found AS (
    SELECT it.line, 'allergy' AS kind,
           CASE WHEN alg.type = 'intolerance' THEN 'moderate'
                WHEN alg.severity = 'severe' THEN 'contraindicated' ELSE 'major' END AS severity,
           format(CASE WHEN $2::text = 'es' THEN '%s: alergia registrada a «%s»'
                       ELSE '%s: recorded allergy to "%s"' END, it.name, alg.substance) AS detail
      FROM it JOIN alg ON
           EXISTS (SELECT 1 FROM rx.allergy_terms t WHERE t.term = alg.f AND rx.product_matches(it.prod, t.matches))
        OR rx.product_matches(it.prod, alg.f)
        OR (alg.substance_code IS NOT NULL AND rx.product_matches(it.prod, alg.substance_code))
        OR alg.f IN (rx.base_name((it.prod).name_es), rx.base_name((it.prod).name_en))
    UNION ALL
    SELECT x.line, 'duplicate',
           CASE WHEN x.aing && x.bing THEN 'major' ELSE 'moderate' END,
           format(CASE WHEN $2::text = 'es' THEN
                       CASE WHEN x.aing && x.bing THEN '%s: mismo principio activo que %s'
                            ELSE '%s: mismo grupo terapéutico (ATC %s) que %s' END
                  ELSE CASE WHEN x.aing && x.bing THEN '%s: same active ingredient as %s'
                            ELSE '%s: same therapeutic group (ATC %s) as %s' END END,
                  x.aname, CASE WHEN x.aing && x.bing THEN x.bname ELSE left(x.aatc, 5) END, x.bname)
      FROM pairs x
     WHERE x.aing && x.bing OR left(x.aatc, 5) = left(x.batc, 5)
    UNION ALL
    SELECT x.line, 'interaction', ia.severity,
           format('%s + %s: %s', x.aname, x.bname, CASE WHEN $2::text = 'es' THEN ia.effect_es ELSE ia.effect_en END)
      FROM pairs x JOIN rx.interactions ia ON
           (rx.product_matches(x.aprod, ia.a) AND rx.product_matches(x.bprod, ia.b))
        OR (rx.product_matches(x.aprod, ia.b) AND rx.product_matches(x.bprod, ia.a))
    UNION ALL
    SELECT d.line, 'max_dose', 'major',
           format(CASE WHEN $2::text = 'es' THEN '%s: %s mg al día; máximo %s mg al día%s'
                       ELSE '%s: %s mg a day; at most %s mg a day%s' END,
                  d.name, trim_scale(round(d.daily, 2)), trim_scale(round(d.lim, 2)),
                  CASE WHEN d.by_weight THEN format(CASE WHEN $2::text = 'es' THEN ' (%s mg/kg, %s kg)'
                                                         ELSE ' (%s mg/kg, %s kg)' END,
                                                    trim_scale(d.per_kg), trim_scale(d.kg)) ELSE '' END)
      FROM (SELECT it.line, it.name, p.kg, (it.prod).max_daily_mg_kg AS per_kg,
                   -- as lib/rxtext.h's rxtext_mg_per_day
                   CASE WHEN it.dose_unit = 'mg' THEN it.dose_amount
                        WHEN it.dose_unit = 'g' THEN it.dose_amount * 1000
                        WHEN it.dose_unit = 'mcg' THEN it.dose_amount / 1000
                        WHEN it.dose_unit = (it.prod).dose_unit THEN it.dose_amount * (it.prod).unit_mg END
                   * CASE WHEN it.every_hours IS NULL THEN 1 ELSE 24.0 / it.every_hours END AS daily,
                   -- a child's maximum by weight when it is known, never above the adult's
                   CASE WHEN p.age < 18 AND p.kg IS NOT NULL AND (it.prod).max_daily_mg_kg IS NOT NULL
                        THEN least((it.prod).max_daily_mg_kg * p.kg, coalesce((it.prod).max_daily_mg, 'Infinity'))
                        ELSE (it.prod).max_daily_mg END AS lim,
                   p.age < 18 AND p.kg IS NOT NULL AND (it.prod).max_daily_mg_kg IS NOT NULL AS by_weight
              FROM it CROSS JOIN p) d
     WHERE d.daily > d.lim
    UNION ALL
    SELECT it.line, 'pregnancy', CASE WHEN (it.prod).pregnancy = 'avoid' THEN 'major' ELSE 'moderate' END,
           format(CASE WHEN $2::text = 'es' THEN
                       CASE WHEN (it.prod).pregnancy = 'avoid' THEN '%s: evitar en el embarazo' ELSE '%s: precaución en el embarazo' END
                  ELSE CASE WHEN (it.prod).pregnancy = 'avoid' THEN '%s: avoid in pregnancy' ELSE '%s: caution in pregnancy' END END,
                  it.name)
      FROM it CROSS JOIN p
     WHERE p.pregnant AND (it.prod).pregnancy IN ('avoid', 'caution')
), gone AS (
    DELETE FROM rx.warnings w USING p
     WHERE w.prescription_id = p.id
       AND NOT EXISTS (SELECT 1 FROM found f WHERE f.kind = w.kind AND f.line IS NOT DISTINCT FROM w.line
                                               AND f.detail = w.detail)
    RETURNING 1
), added AS (
    INSERT INTO rx.warnings (prescription_id, line, kind, severity, detail)
    SELECT p.id, f.line, f.kind, f.severity, left(f.detail, 500) FROM found f CROSS JOIN p
    ON CONFLICT (prescription_id, kind, (coalesce(line, 0)), detail) DO NOTHING
    RETURNING 1
)
SELECT (SELECT count(*) FROM found), (SELECT count(*) FROM gone), (SELECT count(*) FROM added);

-- name: rx_warnings
-- $1 patient, $2 prescription, $3 tz: the findings, most severe first:
-- id, line, kind, severity, detail, override reason, confirmed, by, at.
SELECT w.id, coalesce(w.line::text, ''), w.kind, w.severity, w.detail, coalesce(w.override_reason, ''),
       w.override_confirmed, coalesce(u.full_name, ''),
       coalesce(to_char(w.overridden_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'), '')
  FROM rx.warnings w
  JOIN rx.prescriptions p ON p.id = w.prescription_id
  LEFT JOIN auth.users u ON u.id = w.overridden_by
 WHERE w.prescription_id = $2::bigint AND p.patient_id = $1::bigint
 ORDER BY CASE w.severity WHEN 'contraindicated' THEN 0 WHEN 'major' THEN 1 ELSE 2 END, w.line NULLS LAST, w.id;

-- name: rx_override
-- $1 prescription (locked by rx_draft_lock), $2 warning, $3 reason, $4
-- confirmed ('t'/'f'), $5 actor: the override, once; a severe finding
-- without the confirmation is refused by the table's CHECK. kind, severity.
UPDATE rx.warnings
   SET override_reason = $3::text, override_confirmed = $4::boolean,
       overridden_by = $5::bigint, overridden_at = now()
 WHERE prescription_id = $1::bigint AND id = $2::bigint AND override_reason IS NULL
RETURNING kind, severity;

-- name: rx_warning_severity
-- $1 prescription, $2 warning: its severity, when it waits for an override.
SELECT severity FROM rx.warnings
 WHERE prescription_id = $1::bigint AND id = $2::bigint AND override_reason IS NULL;

-- name: rx_open_warnings
-- $1 prescription: findings still without an override.
SELECT count(*) FROM rx.warnings WHERE prescription_id = $1::bigint AND override_reason IS NULL;

-- name: rx_signature_add
-- $1 prescription, $2 signer, $3 issued on, $4 expires on, $5 digest
-- (hex), $6 key id (hex), $7 token, $8 signed at ('' now). The table's
-- trigger refuses it without items, with a finding not overridden, or by
-- another than the prescriber.
INSERT INTO rx.signatures (prescription_id, signed_by, signed_at, issued_on, expires_on, digest, key_id, token)
VALUES ($1::bigint, $2::bigint, coalesce(nullif($8::text, '')::timestamptz, now()), $3::date, $4::date,
        decode($5::text, 'hex'), decode($6::text, 'hex'), $7::text);

-- name: rx_medication_add
-- $1 patient, $2 encounter, $3 author, $4 prescription, $5 name, $6 dose
-- (the plain-language instruction), $7 route, $8 started on (the issue
-- day), $9 duration in days ('': none, the entry stays open): a signed item as an entry of the patient's medication list, and
-- the list's version moved, in one statement. A unique violation: the
-- list moved meanwhile (the caller answers 409).
WITH i AS (
    INSERT INTO ehr.items (patient_id, kind, encounter_id, created_by)
    VALUES ($1::bigint, 'medication', $2::bigint, $3::bigint) RETURNING id
), v AS (
    INSERT INTO ehr.medication_versions (item_id, version, name, dose, route, started_on, ended_on, status,
                                         prescription_id, recorded_by)
    SELECT i.id, 1, left($5::text, 200), left($6::text, 200), $7::text, $8::date, $8::date + nullif($9::text, '')::integer - 1,
           'active', $4::bigint, $3::bigint
      FROM i RETURNING item_id
)
INSERT INTO ehr.list_versions (patient_id, list, version, assertion, item_id, recorded_by)
SELECT $1::bigint, 'medications',
       coalesce((SELECT max(l.version) FROM ehr.list_versions l
                  WHERE l.patient_id = $1::bigint AND l.list = 'medications'), 0) + 1,
       'recorded', v.item_id, $3::bigint
  FROM v;

-- name: rx_cancel
-- $1 patient, $2 prescription, $3 actor, $4 reason: cancelled by its
-- prescriber while nothing was dispensed (the table's trigger refuses it
-- after a dispensing, under the prescription's lock). No row: not theirs.
INSERT INTO rx.cancellations (prescription_id, cancelled_by, reason)
SELECT p.id, $3::bigint, $4::text
  FROM rx.prescriptions p
 WHERE p.id = $2::bigint AND p.patient_id = $1::bigint AND p.prescriber_id = $3::bigint
   AND NOT EXISTS (SELECT 1 FROM rx.dispensings d WHERE d.prescription_id = p.id)
ON CONFLICT (prescription_id) DO NOTHING
RETURNING prescription_id;

-- name: rx_list
-- $1 patient, $2 tz, $3 language, $4 't': signed ones only (the patient).
-- The patient's prescriptions, newest first: id, short code, created,
-- prescriber, status, issued on, expires on, the products' names.
SELECT s.prescription_id, s.short_code, to_char(s.created_at AT TIME ZONE $2::text, 'YYYY-MM-DD'),
       u.full_name, s.status, coalesce(to_char(s.issued_on, 'YYYY-MM-DD'), ''),
       coalesce(to_char(s.expires_on, 'YYYY-MM-DD'), ''),
       coalesce((SELECT string_agg(CASE WHEN $3::text = 'es' THEN q.name_es ELSE q.name_en END, ', ' ORDER BY i.line)
                   FROM rx.items i JOIN rx.products q ON q.code = i.product_code
                  WHERE i.prescription_id = s.prescription_id), '')
  FROM rx.prescription_status s JOIN auth.users u ON u.id = s.prescriber_id
 WHERE s.patient_id = $1::bigint AND (NOT $4::boolean OR s.signed_at IS NOT NULL)
 ORDER BY s.created_at DESC, s.prescription_id DESC
 LIMIT 100;

-- name: rx_sign_queue
-- The seeded prescriptions waiting for the instance key (medsysctl
-- rx-sign-pending): id, patient, prescriber, signed at (ISO), issued on,
-- expires on.
SELECT q.prescription_id, p.patient_id, p.prescriber_id,
       to_char(q.signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char((q.signed_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD'),
       to_char((q.signed_at AT TIME ZONE 'UTC')::date + q.valid_days - 1, 'YYYY-MM-DD')
  FROM rx.sign_queue q JOIN rx.prescriptions p ON p.id = q.prescription_id
 ORDER BY q.prescription_id;

-- name: rx_sign_queue_finish
-- $1 prescription: replay its queued story (rx.sign_queue_finish).
SELECT rx.sign_queue_finish($1::bigint);

-- name: notifier_rx
-- $1 an rx.notify event ({"prescription_id": N, "what": "issued" |
-- "cancelled" | "dispensed"}): for medsys-notifier, the patient's address,
-- language and name, the prescriber's name, what happened, whether the
-- patient's account is disabled. No row: no such prescription (or not
-- that type of event, or another "what"). Nothing of what was prescribed.
SELECT u.email, u.language, u.full_name, coalesce(d.display_name, pu.full_name), e.payload->>'what',
       (u.disabled_at IS NOT NULL OR u.email IS NULL)
  FROM outbox.events e
  JOIN rx.prescriptions p
    ON p.id = CASE WHEN e.payload->>'prescription_id' ~ '^[0-9]{1,18}$'
                   THEN (e.payload->>'prescription_id')::bigint END
  JOIN auth.users u ON u.id = p.patient_id
  JOIN auth.users pu ON pu.id = p.prescriber_id
  LEFT JOIN clinic.doctors d ON d.user_id = p.prescriber_id
 WHERE e.id = $1::bigint AND e.type = 'rx.notify'
   AND e.payload->>'what' IN ('issued', 'cancelled', 'dispensed');

-- name: rx_clinic
-- The clinic as the prescription's header prints it: name, details
-- (address and telephone, '' when none).
SELECT s.name, concat_ws(' · ', nullif(s.address, ''), nullif(s.phone, ''))
  FROM clinic.settings s WHERE s.id = 1;

-- name: rx_sign_queue_lock
-- $1 prescription: its lock, before medsysctl rx-sign-pending signs it.
SELECT rx.lock_prescription($1::bigint);
