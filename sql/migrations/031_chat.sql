-- Messaging (issue 12, docs/chat.md): threads between a patient and a
-- doctor (or the clinic's front desk), insert-only messages, read state per
-- participant, out-of-office replies. The thread's version is the poll's
-- ETag: a trigger moves it on every new message and every state change.

CREATE TABLE chat.threads (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id       bigint NOT NULL REFERENCES auth.users(id),
    doctor_id        integer REFERENCES clinic.doctors(id),  -- NULL: the front desk
    subject          text NOT NULL CHECK (length(subject) BETWEEN 1 AND 120),
    started_by       bigint NOT NULL REFERENCES auth.users(id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    needs_reply      boolean NOT NULL DEFAULT false,
    closed_at        timestamptz,
    closed_by        bigint REFERENCES auth.users(id),
    version          bigint NOT NULL DEFAULT 1,
    -- The newest message, kept by the trigger below: the thread list and
    -- the header's unread count read it instead of scanning messages.
    last_message_id  bigint,
    last_message_at  timestamptz,
    last_author_id   bigint REFERENCES auth.users(id)
);
CREATE INDEX threads_patient ON chat.threads (patient_id, last_message_at DESC);
CREATE INDEX threads_doctor ON chat.threads (doctor_id, last_message_at DESC)
    WHERE doctor_id IS NOT NULL;
CREATE INDEX threads_desk ON chat.threads (last_message_at DESC) WHERE doctor_id IS NULL;

-- Body: plain text, at most 4000 characters (docs/chat.md); empty only
-- when the message carries an attachment (the page checks that).
CREATE TABLE chat.messages (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id   bigint NOT NULL REFERENCES chat.threads(id),
    author_id   bigint NOT NULL REFERENCES auth.users(id),
    body        text NOT NULL CHECK (length(body) <= 4000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    auto_reply  boolean NOT NULL DEFAULT false
);
CREATE INDEX messages_thread ON chat.messages (thread_id, id);

-- How far each participant has read (the newest message id seen).
CREATE TABLE chat.reads (
    thread_id          bigint NOT NULL REFERENCES chat.threads(id),
    user_id            bigint NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    last_read_message  bigint NOT NULL,
    read_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (thread_id, user_id)
);

-- A doctor's out-of-office message: answers a patient's message once a day
-- per thread while set (until: the last day away, NULL: until removed).
CREATE TABLE chat.away (
    doctor_user  bigint PRIMARY KEY REFERENCES auth.users(id) ON DELETE CASCADE,
    message      text NOT NULL CHECK (length(message) BETWEEN 1 AND 1000),
    until        date,
    set_at       timestamptz NOT NULL DEFAULT now()
);

-- Messages are never changed or removed.
CREATE FUNCTION chat.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'chat.% rows are insert-only', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER messages_frozen BEFORE UPDATE OR DELETE ON chat.messages
    FOR EACH ROW EXECUTE FUNCTION chat.refuse_change();
REVOKE UPDATE, DELETE, TRUNCATE ON chat.messages FROM medsys_app;
REVOKE DELETE, TRUNCATE ON chat.threads FROM medsys_app;

-- Every change of a thread moves its version (the poll's ETag).
CREATE FUNCTION chat.bump_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END
$$;
CREATE TRIGGER threads_version BEFORE UPDATE ON chat.threads
    FOR EACH ROW EXECUTE FUNCTION chat.bump_version();

-- A new message is the thread's newest (and so moves its version).
CREATE FUNCTION chat.message_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE chat.threads
       SET last_message_id = NEW.id, last_message_at = NEW.created_at,
           last_author_id = NEW.author_id
     WHERE id = NEW.thread_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER messages_added AFTER INSERT ON chat.messages
    FOR EACH ROW EXECUTE FUNCTION chat.message_added();

-- The threads a user takes part in: their own as a patient, their
-- doctor's, and the front desk's for reception. (Whether a doctor may
-- still open one is the care decision's, at the page.)
CREATE FUNCTION chat.user_threads(p_user bigint)
RETURNS SETOF chat.threads
LANGUAGE sql STABLE AS $$
    SELECT t.* FROM chat.threads t WHERE t.patient_id = p_user
    UNION ALL
    SELECT t.* FROM chat.threads t JOIN clinic.doctors d ON d.id = t.doctor_id
     WHERE d.user_id = p_user AND t.patient_id <> p_user
    UNION ALL
    SELECT t.* FROM chat.threads t
     WHERE t.doctor_id IS NULL AND t.patient_id <> p_user
       AND EXISTS (SELECT 1 FROM auth.user_roles r
                    WHERE r.user_id = p_user AND r.role = 'reception')
$$;

-- Messages from others the user has not read yet, over all their threads
-- (the header's count, read with the session). Threads whose newest
-- message is already read cost one index probe each.
CREATE FUNCTION chat.unread_count(p_user bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum((SELECT count(*) FROM chat.messages m
                          WHERE m.thread_id = t.id
                            AND m.id > coalesce(rd.last_read_message, 0)
                            AND m.author_id <> p_user)), 0)::bigint
      FROM chat.user_threads(p_user) t
      LEFT JOIN chat.reads rd ON rd.thread_id = t.id AND rd.user_id = p_user
     WHERE t.last_message_id > coalesce(rd.last_read_message, 0)
$$;
GRANT EXECUTE ON FUNCTION chat.user_threads(bigint), chat.unread_count(bigint) TO medsys_app;

-- E-mail about unread messages: at most one pending per thread and
-- recipient (docs/chat.md "Notifications"); a new message while one is
-- pending adds nothing (INSERT ... ON CONFLICT DO NOTHING).
CREATE UNIQUE INDEX events_chat_mail_pending
    ON outbox.events ((payload->>'thread'), (payload->>'user'))
    WHERE type = 'chat.mail' AND status = 'pending';

-- Every change of a thread is announced on the per-worker cache channel
-- (fcgi/core/pollcache.c: a worker answers a repeated poll 304 from memory
-- only while nothing was announced since).
CREATE FUNCTION chat.announce() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('medsys_cache', 'chat');
    RETURN NULL;
END
$$;
CREATE TRIGGER threads_announce AFTER UPDATE ON chat.threads
    FOR EACH ROW EXECUTE FUNCTION chat.announce();
