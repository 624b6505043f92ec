-- Fixtures for the test stacks (tests/harness/with-stack). Every value holds
-- a marker so that a test can tell where text on a page came from.
INSERT INTO clinic.settings (id, name, tagline_es, tagline_en, address, phone, email)
VALUES (1, 'Clínica de Pruebas', 'Lema-ES-marker', 'Tagline-EN-marker',
        'Calle Prueba 1', '+34 600 000 001', 'pruebas@clinic.test');

INSERT INTO clinic.specialties (code, name_es, name_en) VALUES
    ('family', 'Medicina familiar', 'Family medicine'),
    ('cardiology', 'Cardiología', 'Cardiology');

INSERT INTO clinic.doctors (display_name, licence_number) VALUES
    ('Dra. Test Uno', 'T-0001'),
    ('Dr. Test Dos', 'T-0002');

INSERT INTO clinic.doctor_specialties (doctor_id, specialty_id)
SELECT d.id, s.id FROM clinic.doctors d, clinic.specialties s
 WHERE (d.licence_number, s.code) IN (('T-0001', 'family'), ('T-0002', 'cardiology'));
