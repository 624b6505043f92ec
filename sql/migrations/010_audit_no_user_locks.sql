-- Audit rows name accounts by id without foreign keys to auth.users.
-- Each key made every appended row lock its user's row (SELECT ... FOR KEY
-- SHARE, twice per row): many requests of one doctor or patient at once
-- then share those locks through multixacts, and every append dirtied a
-- user row's page. The trail is append-only and must outlive whatever
-- happens to an account (an erasure request keeps the audit record), so a
-- key to the account table is the wrong tie; the ids stay indexed for
-- "who viewed my record".
ALTER TABLE audit.events DROP CONSTRAINT IF EXISTS events_actor_id_fkey;
ALTER TABLE audit.events DROP CONSTRAINT IF EXISTS events_subject_id_fkey;
