-- The clinic's calendar day in SQL. A prescription's issue and expiry
-- days are days of the clinic's time zone (core/rxsign.c computes them
-- there), while database sessions run in UTC: in the hour or two after
-- the clinic's midnight, `current_date` and `timestamptz::date` still
-- give the day before, and a prescription issued "today" could not be
-- dispensed until UTC's midnight (tests/integration/rx_midnight.stack).
--
-- medsysd, medsys-notifier, medsys-sealer and medsysctl set
-- medsys.clinic_tz on every connection from the config's clinic_timezone
-- (core/db.c); any other session (psql) falls back to the clinic's
-- settings row.
CREATE FUNCTION clinic.time_zone() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('medsys.clinic_tz', true), ''),
                    (SELECT s.time_zone FROM clinic.settings s WHERE s.id = 1),
                    'UTC')
$$;

-- The clinic's calendar day of an instant.
CREATE FUNCTION clinic.day_of(p_at timestamptz) RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT (p_at AT TIME ZONE clinic.time_zone())::date
$$;

-- Today in the clinic.
CREATE FUNCTION clinic.today() RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT clinic.day_of(now())
$$;

-- Dispensing: valid from the issue day to the expiry day of the clinic's
-- calendar (020 compared them with UTC days).
CREATE OR REPLACE FUNCTION rx.dispensing_allowed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    s rx.signatures;
    allowed integer;
    done integer;
BEGIN
    PERFORM rx.lock_prescription(NEW.prescription_id);
    SELECT * INTO s FROM rx.signatures WHERE prescription_id = NEW.prescription_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'prescription % is not signed', NEW.prescription_id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF EXISTS (SELECT 1 FROM rx.cancellations c WHERE c.prescription_id = NEW.prescription_id) THEN
        RAISE EXCEPTION 'prescription % is cancelled', NEW.prescription_id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF clinic.today() > s.expires_on OR clinic.day_of(NEW.dispensed_at) > s.expires_on
       OR clinic.day_of(NEW.dispensed_at) < s.issued_on THEN
        RAISE EXCEPTION 'prescription % is not valid on that day (valid % to %)',
            NEW.prescription_id, s.issued_on, s.expires_on
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    SELECT i.quantity * (1 + i.refills) INTO allowed
      FROM rx.items i WHERE i.prescription_id = NEW.prescription_id AND i.line = NEW.line;
    SELECT coalesce(sum(d.quantity), 0) INTO done
      FROM rx.dispensings d WHERE d.prescription_id = NEW.prescription_id AND d.line = NEW.line;
    IF done + NEW.quantity > allowed THEN
        RAISE EXCEPTION 'item % of prescription %: % remain, % asked', NEW.line, NEW.prescription_id,
            allowed - done, NEW.quantity
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

-- The status every page shows: expired after the expiry day of the
-- clinic's calendar.
CREATE OR REPLACE VIEW rx.prescription_status AS
    SELECT p.id AS prescription_id, p.patient_id, p.prescriber_id, p.encounter_id, p.short_code,
           p.created_at, s.signed_at, s.issued_on, s.expires_on, c.cancelled_at,
           CASE WHEN c.prescription_id IS NOT NULL THEN 'cancelled'
                WHEN s.prescription_id IS NULL THEN 'draft'
                WHEN t.remaining = 0 THEN 'dispensed'
                WHEN clinic.today() > s.expires_on THEN 'expired'
                WHEN t.dispensed > 0 THEN 'partly_dispensed'
                ELSE 'active' END AS status,
           coalesce(t.lines, '{}') AS lines,
           coalesce(t.dispensed_each, '{}') AS dispensed,
           coalesce(t.remaining_each, '{}') AS remaining
      FROM rx.prescriptions p
      LEFT JOIN rx.signatures s ON s.prescription_id = p.id
      LEFT JOIN rx.cancellations c ON c.prescription_id = p.id
      LEFT JOIN LATERAL (
           SELECT sum(x.dispensed) AS dispensed, sum(x.remaining) AS remaining,
                  array_agg(x.line ORDER BY x.line) AS lines,
                  array_agg(x.dispensed ORDER BY x.line) AS dispensed_each,
                  array_agg(x.remaining ORDER BY x.line) AS remaining_each
             FROM rx.item_status x WHERE x.prescription_id = p.id) t ON true;
