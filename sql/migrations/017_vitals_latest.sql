-- The latest value of each vital sign, kept as rows instead of computed
-- on every read.
--
-- The record summary shows a patient's newest reading of each measure.
-- Computing it walks every reading the patient ever had (six years of
-- weekly readings: ~1.2 ms of PostgreSQL per view, 70% of the summary's
-- database time, bench/README.md). Readings are written a few times a
-- visit and read on every view of the summary, so the answer is now kept
-- in ehr.vitals_current, recomputed for a patient by a trigger in the
-- transaction that adds or corrects one of their readings, and
-- ehr.vitals_latest() reads it (same columns, same order, same values).
--
-- It is derived data, not part of the record: the readings stay the
-- source (ehr.vital_versions, never changed in place), the rows here are
-- replaced whole for a patient, and `SELECT ehr.vitals_current_refresh(id)`
-- rebuilds a patient's rows from the readings at any time.

-- The computation of migration 014, unchanged, under a new name: the
-- trigger's source of truth.
ALTER FUNCTION ehr.vitals_latest(bigint) RENAME TO vitals_latest_compute;
REVOKE EXECUTE ON FUNCTION ehr.vitals_latest_compute(bigint) FROM medsys_app;

CREATE TABLE ehr.vitals_current (
    patient_id bigint NOT NULL REFERENCES auth.users(id),
    ord        integer NOT NULL,
    measure    text NOT NULL,
    value      text NOT NULL,
    unit       text NOT NULL,
    taken_at   timestamptz NOT NULL,
    PRIMARY KEY (patient_id, ord)
);

-- Replace one patient's rows by what the readings say now. Writers of
-- the same patient's readings take turns here (a transaction-scoped lock
-- per patient), and under READ COMMITTED each statement below sees what
-- the other committed: the last to commit wrote rows that include both
-- readings.
CREATE FUNCTION ehr.vitals_current_refresh(p_patient bigint) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('ehr.vitals_current'), (p_patient % 2147483647)::integer);
    DELETE FROM ehr.vitals_current WHERE patient_id = p_patient;
    INSERT INTO ehr.vitals_current (patient_id, ord, measure, value, unit, taken_at)
    SELECT p_patient, l.ord, l.measure, l.value, l.unit, l.taken_at
      FROM ehr.vitals_latest_compute(p_patient) l
     WHERE l.value IS NOT NULL;
END
$$;

-- After any statement that adds readings or versions of readings: refresh
-- each patient they belong to, once (a seed inserting years of readings
-- refreshes its patient once, not once per row).
CREATE FUNCTION ehr.vitals_current_after_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_patient bigint;
BEGIN
    FOR v_patient IN
        SELECT DISTINCT i.patient_id FROM new_rows n JOIN ehr.items i ON i.id = n.item_id ORDER BY 1
    LOOP
        PERFORM ehr.vitals_current_refresh(v_patient);
    END LOOP;
    RETURN NULL;
END
$$;

CREATE TRIGGER vital_versions_current AFTER INSERT ON ehr.vital_versions
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ehr.vitals_current_after_insert();

-- Every patient who has readings today.
SELECT ehr.vitals_current_refresh(p.patient_id)
  FROM (SELECT DISTINCT patient_id FROM ehr.items WHERE kind = 'vitals') p;

-- The reader keeps its name, columns and order (sql/queries/vitals.sql,
-- the summary); an index scan of a few rows instead of every reading.
CREATE FUNCTION ehr.vitals_latest(p_patient bigint)
RETURNS TABLE (ord integer, measure text, value text, unit text, taken_at timestamptz)
-- A plain SQL body so that PostgreSQL inlines it into the caller's plan.
LANGUAGE sql STABLE AS $$
    SELECT c.ord, c.measure, c.value, c.unit, c.taken_at
      FROM ehr.vitals_current c
     WHERE c.patient_id = p_patient
     ORDER BY c.ord
$$;

REVOKE ALL ON FUNCTION ehr.vitals_current_refresh(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION ehr.vitals_current_after_insert() FROM PUBLIC;
GRANT SELECT ON ehr.vitals_current TO medsys_app;
GRANT EXECUTE ON FUNCTION ehr.vitals_latest(bigint) TO medsys_app;
