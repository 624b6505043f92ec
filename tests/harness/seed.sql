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

-- Fixture accounts (tests only). Passwords and TOTP secrets are here on
-- purpose, for the tests to sign in (tests/integration/fixtures.h names them):
--   patient1@clinic.test  Patient-One-Pass-2026  (patient, verified, no 2FA)
--   patient2@clinic.test  Patient-Two-Pass-2026  (patient, verified, no 2FA)
--   doctor1@clinic.test   Doctor-One-Pass-2026   (doctor "Dra. Test Uno", TOTP JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP)
--   admin1@clinic.test    Admin-One-Pass-2026    (admin, TOTP KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU)
INSERT INTO auth.users (email, full_name, birth_date, language, password_hash, email_verified_at,
                        totp_secret, totp_enabled_at) VALUES
    ('patient1@clinic.test', 'Paciente Uno', '1980-05-01', 'es', '$argon2id$v=19$m=19456,t=2,p=1$sLjwd6EYebPC7TkJUp5PeA$hHBms+CBz1AReL3eJ+DzEPYuqzuXHx5EbuyNPnTFV4E', now(), NULL, NULL),
    ('patient2@clinic.test', 'Paciente Dos', '1991-11-23', 'en', '$argon2id$v=19$m=19456,t=2,p=1$27BoOl3i92F0FHaCJkrFAQ$YsOb46vJGrOF0PGbQSK9sRAOsKUNTkTdCt8xVJ+8jxU', now(), NULL, NULL),
    ('doctor1@clinic.test', 'Dra. Test Uno', NULL, 'es', '$argon2id$v=19$m=19456,t=2,p=1$s152ajiaQsf212M/9JboWA$G5oRGu0/iOKsEE6oV2JECBsM+RXm6nGeysni9XeZJ0E', now(),
     'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', now()),
    ('admin1@clinic.test', 'Admin Uno', NULL, 'es', '$argon2id$v=19$m=19456,t=2,p=1$OQUXUrgLkOfrW5/58aTOnA$ac7QYUUQsW040GGaTd3bZ9TYcUUqNFTEhE56adw83Cw', now(),
     'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU', now());
INSERT INTO auth.user_roles (user_id, role)
SELECT id, r FROM auth.users, (VALUES ('patient1@clinic.test', 'patient'), ('patient2@clinic.test', 'patient'),
                                      ('doctor1@clinic.test', 'doctor'), ('admin1@clinic.test', 'admin')) v(e, r)
 WHERE email = v.e;
UPDATE clinic.doctors SET user_id = (SELECT id FROM auth.users WHERE email = 'doctor1@clinic.test')
 WHERE licence_number = 'T-0001';
