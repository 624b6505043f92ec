-- The public verification page's answers are kept per worker for a few
-- seconds (fcgi/core/rxverify.c: rxverify_public), so a code scanned
-- again costs no database round trip. Whatever changes what that page
-- says about a prescription (its signature, a cancellation, a
-- dispensing) tells every worker to drop its copies at once, the way the
-- clinic's details and the published keys already do (008, 019).
CREATE TRIGGER signatures_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rx.signatures
    FOR EACH STATEMENT EXECUTE FUNCTION clinic.notify_cache();
CREATE TRIGGER cancellations_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rx.cancellations
    FOR EACH STATEMENT EXECUTE FUNCTION clinic.notify_cache();
CREATE TRIGGER dispensings_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rx.dispensings
    FOR EACH STATEMENT EXECUTE FUNCTION clinic.notify_cache();
