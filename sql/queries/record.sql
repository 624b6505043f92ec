-- record: the patient's record pages (fcgi/pages/record/): the summary,
-- the versioned lists and their history, the ICD-10 picker.
--
-- Each kind of entry has two statements, record_<kind>_rows and
-- record_<kind>_insert. The rows statement takes $1 patient, $2 item,
-- $3 language, $4 time zone, $5 whether entries entered in error are
-- wanted (lists: staff yes, patients no): with an item, its every version,
-- newest first; with NULL, the patient's entries in their current version,
-- in the list's order. Its columns are the same for every kind, so that one
-- piece of code shows any: item id, version, when recorded (clinic time),
-- by whom, why, the code's title in the page's language ('' when the kind
-- has no code), then the kind's own fields in the order of its form
-- (fcgi/pages/record/kinds.c). The insert takes $1 item, $2 version,
-- $3 author, $4 reason, then the form's fields ('' for an empty optional
-- one).

-- name: record_patient
-- $1 patient, $2 time zone. The demographics line of the summary, and
-- the time it is read (clinic time: the PDF says when it was made).
SELECT u.full_name, coalesce(to_char(u.birth_date, 'YYYY-MM-DD'), ''),
       coalesce(extract(year FROM age(clinic.today(), u.birth_date))::int::text, ''),
       u.email, u.phone, to_char(now() AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI')
  FROM auth.users u WHERE u.id = $1::bigint;

-- name: record_lists
-- $1 patient. Each list's newest statement: list, version, assertion,
-- when (clinic time, $2), by whom.
SELECT DISTINCT ON (l.list) l.list, l.version, l.assertion,
       to_char(l.recorded_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'), u.full_name
  FROM ehr.list_versions l JOIN auth.users u ON u.id = l.recorded_by
 WHERE l.patient_id = $1::bigint
 ORDER BY l.list, l.version DESC;

-- name: record_item_new
-- $1 patient, $2 kind, $3 author. A new entry's item.
INSERT INTO ehr.items (patient_id, kind, created_by)
VALUES ($1::bigint, $2::text, $3::bigint) RETURNING id;

-- name: record_list_move
-- $1 patient, $2 list, $3 the version it moves to (the one the form saw
-- plus one: a unique violation says someone saved meanwhile), $4
-- assertion, $5 the entry that moved it (NULL for a statement), $6 author.
INSERT INTO ehr.list_versions (patient_id, list, version, assertion, item_id, recorded_by)
VALUES ($1::bigint, $2::text, $3::int, $4::text, $5::bigint, $6::bigint);

-- name: record_active_allergies
-- $1 patient. How many allergies are active now ("no known allergies"
-- cannot be said while one is).
SELECT count(*) FROM (
    SELECT DISTINCT ON (v.item_id) v.status
      FROM ehr.items i JOIN ehr.allergy_versions v ON v.item_id = i.id
     WHERE i.patient_id = $1::bigint AND i.kind = 'allergy'
     ORDER BY v.item_id, v.version DESC) c
 WHERE c.status = 'active';

-- name: record_encounters_recent
-- $1 patient, $2 time zone. The five newest visits: encounter, when,
-- doctor, signed ('t'/'f').
SELECT e.id, to_char(e.started_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'), d.display_name,
       (s.encounter_id IS NOT NULL)::text
  FROM ehr.encounters e
  JOIN clinic.doctors d ON d.id = e.doctor_id
  LEFT JOIN ehr.note_signatures s ON s.encounter_id = e.id
 WHERE e.patient_id = $1::bigint
 ORDER BY e.started_at DESC
 LIMIT 5;

-- ------------------------------------------------------------ problem

-- name: record_problem_rows
SELECT v.item_id, v.version, to_char(v.recorded_at AT TIME ZONE $4::text, 'YYYY-MM-DD HH24:MI'),
       u.full_name, v.reason,
       CASE WHEN $3::text = 'es' THEN coalesce(c.title_es, c.title_en) ELSE c.title_en END,
       v.code, v.note, v.status, coalesce(v.onset::text, ''), coalesce(v.resolved_on::text, '')
  FROM ehr.items i JOIN ehr.problem_versions v ON v.item_id = i.id
  JOIN auth.users u ON u.id = v.recorded_by
  JOIN ehr.icd10_codes c ON c.code = v.code
 WHERE i.patient_id = $1::bigint AND i.kind = 'problem'
   AND CASE WHEN $2::bigint IS NOT NULL THEN i.id = $2::bigint
            ELSE v.version = (SELECT max(x.version) FROM ehr.problem_versions x WHERE x.item_id = i.id)
                 AND ($5::boolean OR v.status <> 'entered_in_error') END
 ORDER BY CASE WHEN $2::bigint IS NULL THEN (v.status = 'active') END DESC,
          CASE WHEN $2::bigint IS NULL THEN (v.status = 'entered_in_error') END,
          CASE WHEN $2::bigint IS NULL THEN v.onset END DESC NULLS LAST,
          v.item_id DESC, v.version DESC;

-- name: record_problem_insert
-- $1 item, $2 version, $3 author, $4 reason, then the form's fields.
INSERT INTO ehr.problem_versions (item_id, version, recorded_by, reason, code, note, status, onset, resolved_on)
VALUES ($1::bigint, $2::int, $3::bigint, $4::text, upper($5::text), $6::text, $7::text,
        NULLIF($8::text, '')::date, NULLIF($9::text, '')::date);

-- ------------------------------------------------------------ allergy

-- name: record_allergy_rows
SELECT v.item_id, v.version, to_char(v.recorded_at AT TIME ZONE $4::text, 'YYYY-MM-DD HH24:MI'),
       u.full_name, v.reason,
       left($3::text, 0),
       v.substance, v.type, v.category, v.reaction, v.severity, v.status, coalesce(v.onset::text, '')
  FROM ehr.items i JOIN ehr.allergy_versions v ON v.item_id = i.id
  JOIN auth.users u ON u.id = v.recorded_by
 WHERE i.patient_id = $1::bigint AND i.kind = 'allergy'
   AND CASE WHEN $2::bigint IS NOT NULL THEN i.id = $2::bigint
            ELSE v.version = (SELECT max(x.version) FROM ehr.allergy_versions x WHERE x.item_id = i.id)
                 AND ($5::boolean OR v.status <> 'entered_in_error') END
 ORDER BY CASE WHEN $2::bigint IS NULL THEN (v.status = 'active') END DESC,
          CASE WHEN $2::bigint IS NULL THEN (v.status = 'entered_in_error') END,
          v.item_id DESC, v.version DESC;

-- name: record_allergy_insert
INSERT INTO ehr.allergy_versions (item_id, version, recorded_by, reason, substance, type, category,
                                  reaction, severity, status, onset)
VALUES ($1::bigint, $2::int, $3::bigint, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text,
        $10::text, NULLIF($11::text, '')::date);

-- ------------------------------------------------------------ medication

-- name: record_medication_rows
SELECT v.item_id, v.version, to_char(v.recorded_at AT TIME ZONE $4::text, 'YYYY-MM-DD HH24:MI'),
       u.full_name, v.reason,
       left($3::text, 0),
       v.name, v.dose, v.route, coalesce(v.started_on::text, ''), coalesce(v.ended_on::text, ''), v.status
  FROM ehr.items i JOIN ehr.medication_versions v ON v.item_id = i.id
  JOIN auth.users u ON u.id = v.recorded_by
 WHERE i.patient_id = $1::bigint AND i.kind = 'medication'
   AND CASE WHEN $2::bigint IS NOT NULL THEN i.id = $2::bigint
            ELSE v.version = (SELECT max(x.version) FROM ehr.medication_versions x WHERE x.item_id = i.id)
                 AND ($5::boolean OR v.status <> 'entered_in_error') END
 ORDER BY CASE WHEN $2::bigint IS NULL THEN (v.status = 'active') END DESC,
          CASE WHEN $2::bigint IS NULL THEN (v.status = 'entered_in_error') END,
          CASE WHEN $2::bigint IS NULL THEN v.started_on END DESC NULLS LAST,
          v.item_id DESC, v.version DESC;

-- name: record_medication_insert
INSERT INTO ehr.medication_versions (item_id, version, recorded_by, reason, name, dose, route,
                                     started_on, ended_on, status)
VALUES ($1::bigint, $2::int, $3::bigint, $4::text, $5::text, $6::text, $7::text,
        NULLIF($8::text, '')::date, NULLIF($9::text, '')::date, $10::text);

-- ------------------------------------------------------------ immunization

-- name: record_immunization_rows
SELECT v.item_id, v.version, to_char(v.recorded_at AT TIME ZONE $4::text, 'YYYY-MM-DD HH24:MI'),
       u.full_name, v.reason,
       left($3::text, 0),
       v.vaccine, v.given_on::text, coalesce(v.dose_number::text, ''), v.lot, v.status
  FROM ehr.items i JOIN ehr.immunization_versions v ON v.item_id = i.id
  JOIN auth.users u ON u.id = v.recorded_by
 WHERE i.patient_id = $1::bigint AND i.kind = 'immunization'
   AND CASE WHEN $2::bigint IS NOT NULL THEN i.id = $2::bigint
            ELSE v.version = (SELECT max(x.version) FROM ehr.immunization_versions x WHERE x.item_id = i.id)
                 AND ($5::boolean OR v.status <> 'entered_in_error') END
 ORDER BY CASE WHEN $2::bigint IS NULL THEN (v.status = 'entered_in_error') END,
          CASE WHEN $2::bigint IS NULL THEN v.given_on END DESC,
          v.item_id DESC, v.version DESC;

-- name: record_immunization_insert
INSERT INTO ehr.immunization_versions (item_id, version, recorded_by, reason, vaccine, given_on,
                                       dose_number, lot, status)
VALUES ($1::bigint, $2::int, $3::bigint, $4::text, $5::text, $6::date, NULLIF($7::text, '')::smallint,
        $8::text, $9::text);

-- ------------------------------------------------------------ family

-- name: record_family_rows
SELECT v.item_id, v.version, to_char(v.recorded_at AT TIME ZONE $4::text, 'YYYY-MM-DD HH24:MI'),
       u.full_name, v.reason,
       coalesce(CASE WHEN $3::text = 'es' THEN coalesce(c.title_es, c.title_en) ELSE c.title_en END, ''),
       v.relation, coalesce(v.code, ''), v.condition, v.status
  FROM ehr.items i JOIN ehr.family_versions v ON v.item_id = i.id
  JOIN auth.users u ON u.id = v.recorded_by
  LEFT JOIN ehr.icd10_codes c ON c.code = v.code
 WHERE i.patient_id = $1::bigint AND i.kind = 'family'
   AND CASE WHEN $2::bigint IS NOT NULL THEN i.id = $2::bigint
            ELSE v.version = (SELECT max(x.version) FROM ehr.family_versions x WHERE x.item_id = i.id)
                 AND ($5::boolean OR v.status <> 'entered_in_error') END
 ORDER BY CASE WHEN $2::bigint IS NULL THEN (v.status = 'entered_in_error') END,
          v.item_id DESC, v.version DESC;

-- name: record_family_insert
INSERT INTO ehr.family_versions (item_id, version, recorded_by, reason, relation, code, condition, status)
VALUES ($1::bigint, $2::int, $3::bigint, $4::text, $5::text, NULLIF(upper($6::text), ''), $7::text, $8::text);

-- ------------------------------------------------------------ social

-- name: record_social_rows
SELECT v.item_id, v.version, to_char(v.recorded_at AT TIME ZONE $4::text, 'YYYY-MM-DD HH24:MI'),
       u.full_name, v.reason,
       left($3::text, 0),
       v.smoking, coalesce(v.cigarettes_day::text, ''), v.alcohol, coalesce(v.drinks_week::text, ''), v.note
  FROM ehr.items i JOIN ehr.social_versions v ON v.item_id = i.id
  JOIN auth.users u ON u.id = v.recorded_by
 WHERE i.patient_id = $1::bigint AND i.kind = 'social'
   AND CASE WHEN $2::bigint IS NOT NULL THEN i.id = $2::bigint
            ELSE v.version = (SELECT max(x.version) FROM ehr.social_versions x WHERE x.item_id = i.id)
                 AND $5::boolean IS NOT NULL END
 ORDER BY v.item_id DESC, v.version DESC;

-- name: record_social_insert
INSERT INTO ehr.social_versions (item_id, version, recorded_by, reason, smoking, cigarettes_day,
                                 alcohol, drinks_week, note)
VALUES ($1::bigint, $2::int, $3::bigint, $4::text, $5::text, NULLIF($6::text, '')::smallint, $7::text,
        NULLIF($8::text, '')::smallint, $9::text);

-- name: record_item_owned
-- $1 item, $2 patient, $3 kind. One row when the entry is that patient's
-- and of that kind (a correction never lands on someone else's entry).
SELECT 1 FROM ehr.items WHERE id = $1::bigint AND patient_id = $2::bigint AND kind = $3::text;
