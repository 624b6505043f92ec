-- The clinic's own settings and its public directory of doctors.

CREATE TABLE clinic.settings (
    id          smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),  -- exactly one row
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    tagline_es  text NOT NULL DEFAULT '' CHECK (length(tagline_es) <= 500),
    tagline_en  text NOT NULL DEFAULT '' CHECK (length(tagline_en) <= 500),
    address     text NOT NULL DEFAULT '' CHECK (length(address) <= 500),
    phone       text NOT NULL DEFAULT '' CHECK (length(phone) <= 50),
    email       text NOT NULL DEFAULT '' CHECK (length(email) <= 254),
    time_zone   text NOT NULL DEFAULT 'Europe/Madrid'
);

CREATE TABLE clinic.specialties (
    id       integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code     text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_]{0,49}$'),
    name_es  text NOT NULL CHECK (length(name_es) BETWEEN 1 AND 100),
    name_en  text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100)
);

CREATE TABLE clinic.doctors (
    id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    display_name    text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    licence_number  text NOT NULL UNIQUE CHECK (length(licence_number) BETWEEN 1 AND 50),
    active          boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE clinic.doctor_specialties (
    doctor_id     integer NOT NULL REFERENCES clinic.doctors(id) ON DELETE CASCADE,
    specialty_id  integer NOT NULL REFERENCES clinic.specialties(id) ON DELETE RESTRICT,
    PRIMARY KEY (doctor_id, specialty_id)
);
CREATE INDEX doctor_specialties_specialty ON clinic.doctor_specialties (specialty_id);
