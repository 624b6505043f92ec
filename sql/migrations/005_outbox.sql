-- Events instead of a broker: writers insert into outbox.events in their own
-- transaction; the trigger wakes medsys-notifier, which claims rows with
-- FOR UPDATE SKIP LOCKED, performs the effect, and marks them done, retries
-- them later, or after max attempts marks them dead (admin page).

CREATE TABLE outbox.events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type         text NOT NULL CHECK (type ~ '^[a-z_]+\.[a-z_]+$'),
    payload      jsonb NOT NULL DEFAULT '{}',
    due_at       timestamptz NOT NULL DEFAULT now(),
    created_at   timestamptz NOT NULL DEFAULT now(),
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
    attempts     integer NOT NULL DEFAULT 0,
    last_error   text NOT NULL DEFAULT '' CHECK (length(last_error) <= 500),
    done_at      timestamptz,
    dedup_key    text UNIQUE      -- e.g. a reminder's appointment+kind: never twice
);
CREATE INDEX outbox_events_due ON outbox.events (due_at) WHERE status = 'pending';

CREATE FUNCTION outbox.notify_new_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('medsys_events', NEW.id::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER events_notify AFTER INSERT ON outbox.events
    FOR EACH ROW EXECUTE FUNCTION outbox.notify_new_event();

-- In-app notices: the text is chosen at display time from the language
-- files (kind) with its parameters, so it follows the reader's language.
CREATE TABLE outbox.notices (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind ~ '^[a-z_]+$'),
    params      jsonb NOT NULL DEFAULT '{}',
    link        text NOT NULL DEFAULT '' CHECK (link = '' OR link ~ '^/[^/\\]'),
    event_id    bigint UNIQUE REFERENCES outbox.events(id),  -- exactly once per event
    created_at  timestamptz NOT NULL DEFAULT now(),
    read_at     timestamptz
);
CREATE INDEX notices_unread ON outbox.notices (user_id) WHERE read_at IS NULL;
