-- The audit trail: security events now, every read or change of clinical
-- data later. Rows are hash-chained: each row's hash covers its content and
-- the previous row's hash, so a changed or deleted row breaks the chain
-- (medsysctl audit-verify).

CREATE TABLE audit.events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    bigint REFERENCES auth.users(id),   -- who did it (NULL: anonymous)
    subject_id  bigint REFERENCES auth.users(id),   -- whose account or record
    action      text NOT NULL CHECK (action ~ '^[a-z_]+\.[a-z_]+$'),
    object      text NOT NULL DEFAULT '' CHECK (length(object) <= 200),
    client_addr text NOT NULL DEFAULT '',
    request_id  text NOT NULL DEFAULT '',
    prev_hash   bytea NOT NULL,
    hash        bytea NOT NULL
);
CREATE INDEX audit_events_subject ON audit.events (subject_id, at DESC);
CREATE INDEX audit_events_actor ON audit.events (actor_id, at DESC);
CREATE INDEX audit_events_action ON audit.events (action, at DESC);

-- The text a row's hash covers (also used by verification).
CREATE FUNCTION audit.row_text(e audit.events) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT concat_ws('|', e.id, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
                     coalesce(e.actor_id::text, '-'), coalesce(e.subject_id::text, '-'),
                     e.action, e.object, e.client_addr, e.request_id, encode(e.prev_hash, 'hex'))
$$;

-- Append one event. A transaction-level advisory lock orders the chain;
-- rows are appended in the caller's transaction.
CREATE FUNCTION audit.append(p_actor bigint, p_subject bigint, p_action text,
                             p_object text, p_addr text, p_request text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    prev bytea;
    e audit.events;
BEGIN
    PERFORM pg_advisory_xact_lock(7366208);
    SELECT hash INTO prev FROM audit.events ORDER BY id DESC LIMIT 1;
    e.id := nextval(pg_get_serial_sequence('audit.events', 'id'));
    e.at := clock_timestamp();
    e.actor_id := p_actor; e.subject_id := p_subject; e.action := p_action;
    e.object := coalesce(p_object, ''); e.client_addr := coalesce(p_addr, '');
    e.request_id := coalesce(p_request, '');
    e.prev_hash := coalesce(prev, '\x'::bytea);
    e.hash := sha256(convert_to(audit.row_text(e), 'UTF8'));
    INSERT INTO audit.events OVERRIDING SYSTEM VALUE
    VALUES (e.id, e.at, e.actor_id, e.subject_id, e.action, e.object, e.client_addr,
            e.request_id, e.prev_hash, e.hash);
    RETURN e.id;
END
$$;

-- The first broken link (id of the row where the chain stops holding), or
-- no row when the whole trail verifies.
CREATE FUNCTION audit.verify() RETURNS TABLE (broken_id bigint, reason text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    e audit.events;
    prev bytea := '\x'::bytea;
BEGIN
    FOR e IN SELECT * FROM audit.events ORDER BY id LOOP
        IF e.prev_hash <> prev THEN
            broken_id := e.id; reason := 'previous row changed or deleted'; RETURN NEXT; RETURN;
        END IF;
        IF e.hash <> sha256(convert_to(audit.row_text(e), 'UTF8')) THEN
            broken_id := e.id; reason := 'row changed'; RETURN NEXT; RETURN;
        END IF;
        prev := e.hash;
    END LOOP;
END
$$;
