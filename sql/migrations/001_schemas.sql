-- One schema per module (DESIGN.md "Data"). Empty where nothing uses them yet.
CREATE SCHEMA IF NOT EXISTS clinic;   -- the clinic, its doctors and specialties (public directory)
CREATE SCHEMA IF NOT EXISTS auth;     -- accounts, roles, sessions
CREATE SCHEMA IF NOT EXISTS appt;     -- schedules and appointments
CREATE SCHEMA IF NOT EXISTS ehr;      -- medical history
CREATE SCHEMA IF NOT EXISTS rx;       -- prescriptions
CREATE SCHEMA IF NOT EXISTS lab;      -- lab orders and results
CREATE SCHEMA IF NOT EXISTS chat;     -- patient-doctor messages
CREATE SCHEMA IF NOT EXISTS bot;      -- symptom-checker sessions
CREATE SCHEMA IF NOT EXISTS tele;     -- teleconsultations
CREATE SCHEMA IF NOT EXISTS audit;    -- audit trail
CREATE SCHEMA IF NOT EXISTS outbox;   -- events for medsys-notifier
