-- Demo data for script/server only: a video visit of Ana Pérez (the demo
-- patient) with Dra. Fernández (the demo doctor) starting five minutes
-- after the stack starts, so that its room (docs/tele.md) is open at
-- once: the patient's home shows "Join video visit". Safe to load twice:
-- nothing is added while a booked video visit of the pair has not ended.
INSERT INTO appt.appointments (doctor_id, patient_id, starts_at, ends_at, mode, reason, created_by)
SELECT d.id, u.id, s.t, s.t + interval '30 minutes', 'video', 'Revisión por videoconsulta', u.id
  FROM clinic.doctors d, auth.users u,
       -- the next whole minute, plus five
       LATERAL (SELECT date_trunc('minute', now()) + interval '6 minutes' AS t) s
 WHERE d.licence_number = '28-28-45123' AND u.email = 'paciente@demo.medsys'
   AND NOT EXISTS (SELECT 1 FROM appt.appointments a
                    WHERE a.doctor_id = d.id AND a.patient_id = u.id AND a.mode = 'video'
                      AND a.status = 'booked' AND a.ends_at > now())
   -- the doctor and the patient are free then (the exclusion constraints)
   AND NOT EXISTS (SELECT 1 FROM appt.appointments a
                    WHERE a.status = 'booked' AND (a.doctor_id = d.id OR a.patient_id = u.id)
                      AND tstzrange(a.starts_at, a.ends_at) && tstzrange(s.t, s.t + interval '30 minutes'));
