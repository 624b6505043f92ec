-- Appointment rules of issue 15: a patient is never offered a slot that
-- overlaps one of their own booked visits, and searches for patients and
-- doctors ignore accents and case ("lucia" finds "Lucía").

-- 1 when patient has a booked appointment (other than p_except, the one
-- being moved) overlapping [p_from, p_to). NULL patient: false. The
-- exclusion constraint appointments_patient_no_overlap's GiST index
-- answers it.
CREATE FUNCTION appt.patient_busy(p_patient bigint, p_from timestamptz, p_to timestamptz,
                                  p_except bigint)
    RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE
    RETURN EXISTS (SELECT 1 FROM appt.appointments a
                    WHERE a.patient_id = p_patient AND a.status = 'booked'
                      AND a.id IS DISTINCT FROM p_except
                      AND tstzrange(a.starts_at, a.ends_at) && tstzrange(p_from, p_to));

-- The LIKE pattern of a search for text containing q, folded the way
-- ehr.icd10_fold folds (lowercase, no accents) with \ % _ escaped: the
-- caller compares ehr.icd10_fold(column) LIKE appt.search_like(q). Unlike
-- ehr.search_patterns it keeps q whole and needs no three-letter word:
-- reception finds "Li" among a few thousand names without an index.
CREATE FUNCTION appt.search_like(q text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN '%' || replace(replace(replace(ehr.icd10_fold(btrim(q)), '\', '\\'), '%', '\%'), '_', '\_') || '%';

GRANT EXECUTE ON FUNCTION appt.patient_busy(bigint, timestamptz, timestamptz, bigint) TO medsys_app;
GRANT EXECUTE ON FUNCTION appt.search_like(text) TO medsys_app;
