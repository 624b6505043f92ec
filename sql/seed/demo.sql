-- Demo data for script/server only (never loaded by the tests or in
-- production). Safe to load twice.
INSERT INTO clinic.settings (id, name, tagline_es, tagline_en, address, phone, email, time_zone)
VALUES (1, 'Clínica San Rafael',
        'Medicina familiar y especialistas, cerca de casa.',
        'Family medicine and specialists, close to home.',
        'Calle Mayor 12, 28013 Madrid', '+34 910 000 000', 'citas@sanrafael.example',
        'Europe/Madrid')
ON CONFLICT (id) DO NOTHING;

INSERT INTO clinic.specialties (code, name_es, name_en) VALUES
    ('family',      'Medicina familiar', 'Family medicine'),
    ('paediatrics', 'Pediatría',         'Paediatrics'),
    ('cardiology',  'Cardiología',       'Cardiology'),
    ('dermatology', 'Dermatología',      'Dermatology'),
    ('gynaecology', 'Ginecología',       'Gynaecology'),
    ('psychiatry',  'Psiquiatría',       'Psychiatry')
ON CONFLICT (code) DO NOTHING;

INSERT INTO clinic.doctors (display_name, licence_number) VALUES
    ('Dra. Lucía Fernández Ortega', '28-28-45123'),
    ('Dr. Javier Morales Ruiz',     '28-28-51872'),
    ('Dra. Carmen Navarro Gil',     '28-28-60311'),
    ('Dr. Andrés Iglesias Peña',    '28-28-47790'),
    ('Dra. Sofía Romero Castro',    '28-28-63005')
ON CONFLICT (licence_number) DO NOTHING;

INSERT INTO clinic.doctor_specialties (doctor_id, specialty_id)
SELECT d.id, s.id
  FROM (VALUES ('28-28-45123', 'family'), ('28-28-51872', 'cardiology'),
               ('28-28-60311', 'paediatrics'), ('28-28-60311', 'family'),
               ('28-28-47790', 'dermatology'), ('28-28-63005', 'gynaecology'),
               ('28-28-63005', 'psychiatry')) AS v(licence, code)
  JOIN clinic.doctors d ON d.licence_number = v.licence
  JOIN clinic.specialties s ON s.code = v.code
ON CONFLICT DO NOTHING;

-- Demo accounts, one per role (script/server prints them). Staff have TOTP
-- enabled with the secrets below; add them to an authenticator app.
--   paciente@demo.medsys     demo-patient-2026
--   doctora@demo.medsys      demo-doctor-2026       TOTP GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
--   farmacia@demo.medsys     demo-pharmacist-2026   TOTP MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U
--   laboratorio@demo.medsys  demo-lab-2026          TOTP ONSWG4TFORZXGZLDOJSXI43FMNZGK5DT
--   recepcion@demo.medsys    demo-reception-2026    TOTP NBSWY3DPNBSWY3DPNBSWY3DPNBSWY3DP
--   admin@demo.medsys        demo-admin-2026        TOTP KBUGC4TNMFRXSMJSGM2DKNRXHA4TA4TB
INSERT INTO auth.users (email, full_name, birth_date, language, password_hash, email_verified_at,
                        totp_secret, totp_enabled_at) VALUES
    ('paciente@demo.medsys', 'Ana Pérez Demo', '1985-03-14', 'es', '$argon2id$v=19$m=19456,t=2,p=1$Nf/lNbsXsQmny/uJ03w6dQ$Xg4S52SOJGJ37afsMUm/2pShhiZ/Reqi4D/n7Q4wJY0', now(), NULL, NULL),
    ('doctora@demo.medsys', 'Dra. Lucía Fernández Ortega', NULL, 'es', '$argon2id$v=19$m=19456,t=2,p=1$+SfqHBvKgs4pBFhH5K7wTg$+sR0Oni/lX+AKhjV4X96Fpyy3qJimrlt1VDQLWiRfeY', now(),
     'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', now()),
    ('farmacia@demo.medsys', 'Farmacia Central Demo', NULL, 'es', '$argon2id$v=19$m=19456,t=2,p=1$SaMfJuRvA2k7sxXuGN0DXQ$t+7vzinwYLGELF7L5Bsjr4/wKamX0ZVRKIv8epkHaqU', now(),
     'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U', now()),
    ('laboratorio@demo.medsys', 'Laboratorio Demo', NULL, 'es', '$argon2id$v=19$m=19456,t=2,p=1$PLAQHuaLnqZykJnSWLhGAQ$4wcZ2oL4KHEnAcvexF+uazyBRIzHIHi5ZSHHgRWePiU', now(),
     'ONSWG4TFORZXGZLDOJSXI43FMNZGK5DT', now()),
    ('recepcion@demo.medsys', 'Recepción Demo', NULL, 'es', '$argon2id$v=19$m=19456,t=2,p=1$vKmIDq/DaLL1fCfR8vu/Tg$U+sYNMGxFoinz0OCVi747otIk+C/S9kndNDGB416kTo', now(),
     'NBSWY3DPNBSWY3DPNBSWY3DPNBSWY3DP', now()),
    ('admin@demo.medsys', 'Administración Demo', NULL, 'es', '$argon2id$v=19$m=19456,t=2,p=1$tBoEn3tMTsr4BUzZvU2e6Q$ZI8+Ktpqm50lxewRQclvQSQMgBv6vNWSBd5j1VKlp10', now(),
     'KBUGC4TNMFRXSMJSGM2DKNRXHA4TA4TB', now())
ON CONFLICT (email) DO NOTHING;

INSERT INTO auth.user_roles (user_id, role)
SELECT u.id, v.role
  FROM (VALUES ('paciente@demo.medsys', 'patient'), ('doctora@demo.medsys', 'doctor'),
               ('farmacia@demo.medsys', 'pharmacist'), ('laboratorio@demo.medsys', 'lab'),
               ('recepcion@demo.medsys', 'reception'), ('admin@demo.medsys', 'admin')) AS v(email, role)
  JOIN auth.users u ON u.email = v.email
ON CONFLICT DO NOTHING;

INSERT INTO auth.pharmacists (user_id, pharmacy_name, licence_number)
SELECT id, 'Farmacia Central', 'F-28-0001' FROM auth.users WHERE email = 'farmacia@demo.medsys'
ON CONFLICT DO NOTHING;

UPDATE clinic.doctors SET user_id = (SELECT id FROM auth.users WHERE email = 'doctora@demo.medsys')
 WHERE licence_number = '28-28-45123' AND user_id IS NULL;

-- Demo availability: every demo doctor Monday to Friday, 09:00-14:00 in
-- 30-minute visits (Wednesdays also 16:00-19:00 by video), from today on.
INSERT INTO appt.schedules (doctor_id, weekday, start_time, end_time, slot_minutes, mode, location, valid_from)
SELECT d.id, w, '09:00', '14:00', 30, 'in_person', 'Consulta ' || d.id, current_date
  FROM clinic.doctors d, generate_series(1, 5) w
 WHERE NOT EXISTS (SELECT 1 FROM appt.schedules s WHERE s.doctor_id = d.id);
INSERT INTO appt.schedules (doctor_id, weekday, start_time, end_time, slot_minutes, mode, valid_from)
SELECT d.id, 3, '16:00', '19:00', 30, 'video', current_date
  FROM clinic.doctors d
 WHERE NOT EXISTS (SELECT 1 FROM appt.schedules s WHERE s.doctor_id = d.id AND s.mode = 'video');
