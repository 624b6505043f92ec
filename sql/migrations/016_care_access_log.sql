-- "Who viewed my record" (sql/queries/care_pages.sql, care_access_log):
-- the record.* rows about a patient written by someone else, newest first.
-- audit_events_subject (subject_id, at DESC) also holds the patient's own
-- rows (every sign-in, every look at their own record), which the list
-- skips: a patient who reads their record daily would make each page walk
-- years of their own rows. This partial index holds only the rows the list
-- shows, in its order (at, id: the keyset), so a page reads 51 entries.
CREATE INDEX audit_events_record_access ON audit.events (subject_id, at DESC, id DESC)
    WHERE action LIKE 'record.%' AND actor_id IS DISTINCT FROM subject_id;
