-- Demo data (lab-core, issue 11): orders still in the lab's worklist
-- (/lab, laboratorio@demo.medsys), so the worklist, the order page, the
-- label and the release can be shown at once. The demo patient's released
-- results over the years are in record_4_lab_results.sql. Runs
-- after demo.sql and the lab catalog (data/lab, loaded by the stack), and
-- before the record's seeds, so it makes its own two walk-in visits with
-- the demo doctor. Rows as the pages write them: the order codes are
-- random, the flags are computed by the results trigger (025).
WITH d AS (
    SELECT c.id AS doctor_id, c.user_id FROM clinic.doctors c
      JOIN auth.users u ON u.id = c.user_id WHERE u.email = 'doctora@demo.medsys'
), p AS (
    SELECT id FROM auth.users WHERE email = 'paciente@demo.medsys'
), e AS (
    INSERT INTO ehr.encounters (patient_id, doctor_id, kind, started_at, created_by)
    SELECT p.id, d.doctor_id, 'walk_in', now() - v.ago, d.user_id
      FROM p, d, (VALUES (interval '3 hours'), (interval '1 day 2 hours')) v(ago)
     -- once: a restart of script/server runs the seeds again
     WHERE NOT EXISTS (SELECT 1 FROM lab.orders x WHERE x.patient_id = p.id AND x.clinical_note = 'Control anual.')
    RETURNING id, patient_id, started_at, created_by
), o AS (
    INSERT INTO lab.orders (patient_id, encounter_id, ordered_by, clinical_note, priority, created_at)
    SELECT e.patient_id, e.id, e.created_by,
           CASE WHEN e.started_at > now() - interval '5 hours'
                THEN 'Mareo y debilidad; toma diuréticos. Control de potasio.' ELSE 'Control anual.' END,
           CASE WHEN e.started_at > now() - interval '5 hours' THEN 'urgent' ELSE 'routine' END,
           e.started_at + interval '15 minutes'
      FROM e
    RETURNING id, priority
)
INSERT INTO lab.order_tests (order_id, analyte, panel, position)
SELECT o.id, m.analyte, m.panel, m.position
  FROM o JOIN lab.panel_members m
    ON m.panel = CASE o.priority WHEN 'urgent' THEN '51990-0' ELSE '58410-2' END;

-- The routine order's specimen was taken this morning and part of its
-- values are entered, not released yet: the page shows them waiting for
-- the release.
UPDATE lab.orders o SET collected_at = o.created_at + interval '1 hour',
       collected_by = (SELECT id FROM auth.users WHERE email = 'laboratorio@demo.medsys')
 WHERE o.clinical_note = 'Control anual.' AND o.collected_at IS NULL
   AND o.patient_id = (SELECT id FROM auth.users WHERE email = 'paciente@demo.medsys')
   AND NOT EXISTS (SELECT 1 FROM lab.results r WHERE r.order_id = o.id);

INSERT INTO lab.results (order_id, analyte, version, value_num, entered_by)
SELECT o.id, v.analyte, 1, v.value, o.collected_by
  FROM lab.orders o
  CROSS JOIN (VALUES ('6690-2', 7.2), ('789-8', 4.52), ('718-7', 13.4), ('4544-3', 40.1)) v(analyte, value)
 WHERE o.clinical_note = 'Control anual.' AND o.collected_at IS NOT NULL
   AND o.patient_id = (SELECT id FROM auth.users WHERE email = 'paciente@demo.medsys')
   AND NOT EXISTS (SELECT 1 FROM lab.results r WHERE r.order_id = o.id);
