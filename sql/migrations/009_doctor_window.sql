-- One definition of "a doctor's appointments on these local days", for the
-- statements that must agree on it: the agenda that shows them
-- (schedule_agenda) and the audit rows naming the patients shown
-- (schedule_agenda_audit). A plain SQL function: PostgreSQL inlines it
-- into each statement, so it costs no call.
CREATE FUNCTION appt.doctor_window(p_doctor integer, p_first date, p_after date, p_tz text)
RETURNS SETOF appt.appointments
LANGUAGE sql STABLE AS $$
    SELECT *
      FROM appt.appointments a
     WHERE a.doctor_id = p_doctor
       AND a.starts_at >= p_first::timestamp AT TIME ZONE p_tz
       AND a.starts_at < p_after::timestamp AT TIME ZONE p_tz
$$;
