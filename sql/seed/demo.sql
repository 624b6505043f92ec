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
