-- Workers keep a copy of what changes rarely (the clinic's details, its
-- doctors and specialties) and refill it when told: every change of those
-- tables sends NOTIFY medsys_cache (delivered at commit), which medsysd
-- LISTENs to (fcgi/core/db.c: db_cached_query).

CREATE FUNCTION clinic.notify_cache() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('medsys_cache', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER settings_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON clinic.settings
    FOR EACH STATEMENT EXECUTE FUNCTION clinic.notify_cache();
CREATE TRIGGER specialties_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON clinic.specialties
    FOR EACH STATEMENT EXECUTE FUNCTION clinic.notify_cache();
CREATE TRIGGER doctors_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON clinic.doctors
    FOR EACH STATEMENT EXECUTE FUNCTION clinic.notify_cache();
CREATE TRIGGER doctor_specialties_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON clinic.doctor_specialties
    FOR EACH STATEMENT EXECUTE FUNCTION clinic.notify_cache();
