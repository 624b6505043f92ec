-- Teleconsultation (issue 13, docs/tele.md): one room per video-mode
-- appointment, who is in it (waiting, admitted, left), the WebRTC
-- signalling between the two browsers, and the in-call chat. The room's
-- version is the signalling poll's change mark: a trigger moves it on every
-- change of the room, its participants, its signals and its chat, and
-- announces it on medsys_poll (medsys-notifier rewrites the room's poll
-- file; docs/chat.md "Polling").

CREATE TABLE tele.rooms (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    appointment_id  bigint NOT NULL UNIQUE REFERENCES appt.appointments(id),
    -- The visit's encounter, made when the doctor first admits the patient.
    encounter_id    bigint REFERENCES ehr.encounters(id),
    opened_at       timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,            -- first admission
    ended_at        timestamptz,
    ended_by        bigint REFERENCES auth.users(id),  -- NULL with 'stale'
    end_reason      text CHECK (end_reason IN ('ended', 'stale')),
    version         bigint NOT NULL DEFAULT 1,
    CHECK ((ended_at IS NULL) = (end_reason IS NULL))
);

-- Who is in the room. role 'guest': a doctor the patient invited (an
-- interpreter); state moves waiting -> admitted -> left (and back to
-- waiting on a rejoin: a rejoining patient waits to be admitted again).
CREATE TABLE tele.participants (
    room_id       bigint NOT NULL REFERENCES tele.rooms(id),
    user_id       bigint NOT NULL REFERENCES auth.users(id),
    role          text NOT NULL CHECK (role IN ('patient', 'doctor', 'guest')),
    state         text NOT NULL CHECK (state IN ('waiting', 'admitted', 'left')),
    joined_at     timestamptz NOT NULL DEFAULT now(),
    admitted_at   timestamptz,
    admitted_by   bigint REFERENCES auth.users(id),
    left_at       timestamptz,
    -- The last signalling poll or page of this participant: a room whose
    -- participants all went quiet is closed as stale.
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, user_id)
);

-- Offers, answers and ICE candidates, from one participant to another,
-- read in id order by the addressee. Insert-only; removed with the room's
-- data once the room has ended (the bodies are SDP: network addresses,
-- no clinical content).
CREATE TABLE tele.signals (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id     bigint NOT NULL REFERENCES tele.rooms(id),
    from_user   bigint NOT NULL REFERENCES auth.users(id),
    to_user     bigint NOT NULL REFERENCES auth.users(id),
    kind        text NOT NULL CHECK (kind IN ('offer', 'answer', 'candidate', 'bye')),
    body        text NOT NULL CHECK (length(body) <= 65536),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX signals_to ON tele.signals (room_id, to_user, id);

-- The in-call chat: plain text, merged into the consultation transcript.
CREATE TABLE tele.messages (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id     bigint NOT NULL REFERENCES tele.rooms(id),
    author_id   bigint NOT NULL REFERENCES auth.users(id),
    body        text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tele_messages_room ON tele.messages (room_id, id);

-- Each participant's answer to "may this consultation be transcribed?",
-- asked when they first enter the room (docs/tele.md "Transcript"). Nothing
-- is recorded unless both the patient and the doctor said yes.
CREATE TABLE tele.consents (
    room_id      bigint NOT NULL REFERENCES tele.rooms(id),
    user_id      bigint NOT NULL REFERENCES auth.users(id),
    transcribe   boolean NOT NULL,
    answered_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, user_id)
);

CREATE FUNCTION tele.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tele.% rows are insert-only', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER messages_frozen BEFORE UPDATE OR DELETE ON tele.messages
    FOR EACH ROW EXECUTE FUNCTION tele.refuse_change();
REVOKE UPDATE, DELETE, TRUNCATE ON tele.messages FROM medsys_app;
REVOKE UPDATE, TRUNCATE ON tele.signals FROM medsys_app;
REVOKE DELETE, TRUNCATE ON tele.rooms, tele.participants FROM medsys_app;

-- Every change of a room moves its version and announces it.
CREATE FUNCTION tele.bump_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    PERFORM pg_notify('medsys_poll', 'room ' || NEW.id || ' ' || NEW.version);
    -- The per-worker answers of the signals poll (fcgi/core/pollcache.c)
    -- go stale with any change, as the chat poll's do.
    PERFORM pg_notify('medsys_cache', 'room');
    RETURN NEW;
END
$$;
CREATE TRIGGER rooms_version BEFORE UPDATE ON tele.rooms
    FOR EACH ROW EXECUTE FUNCTION tele.bump_version();

CREATE FUNCTION tele.room_opened() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('medsys_poll', 'room ' || NEW.id || ' ' || NEW.version);
    RETURN NULL;
END
$$;
CREATE TRIGGER rooms_opened AFTER INSERT ON tele.rooms
    FOR EACH ROW EXECUTE FUNCTION tele.room_opened();

-- A participant's move, a signal or a chat line touches the room. A
-- participant's last_seen_at alone (the poll's heartbeat) does not: the
-- heartbeat must not wake every other poller.
CREATE FUNCTION tele.touch_room() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Nested: PL/pgSQL would evaluate NEW.state on a signal's row (no
    -- such field) if the tests were one AND expression.
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'participants' THEN
        IF NEW.state = OLD.state AND NEW.admitted_at IS NOT DISTINCT FROM OLD.admitted_at
           AND NEW.left_at IS NOT DISTINCT FROM OLD.left_at THEN
            RETURN NULL;
        END IF;
    END IF;
    UPDATE tele.rooms SET version = version WHERE id = NEW.room_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER participants_touch AFTER INSERT OR UPDATE ON tele.participants
    FOR EACH ROW EXECUTE FUNCTION tele.touch_room();
CREATE TRIGGER signals_touch AFTER INSERT ON tele.signals
    FOR EACH ROW EXECUTE FUNCTION tele.touch_room();
CREATE TRIGGER messages_touch AFTER INSERT ON tele.messages
    FOR EACH ROW EXECUTE FUNCTION tele.touch_room();
CREATE TRIGGER consents_touch AFTER INSERT OR UPDATE ON tele.consents
    FOR EACH ROW EXECUTE FUNCTION tele.touch_room();

-- Where an appointment's room stands (docs/tele.md "Window"): 'none' (not
-- a video visit, or cancelled), 'early' (more than 10 minutes before the
-- start), 'open', 'ended' (the room was ended or closed as stale), or
-- 'closed' (never entered, and the visit ended over 30 minutes ago or
-- was marked completed / no-show). The room page, the patient's home and
-- the appointment page all ask this one function.
CREATE FUNCTION tele.window_state(appointment bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE
             WHEN a.mode <> 'video' OR a.status = 'cancelled' THEN 'none'
             WHEN r.ended_at IS NOT NULL THEN 'ended'
             WHEN now() < a.starts_at - interval '10 minutes' THEN 'early'
             WHEN r.id IS NOT NULL THEN 'open'
             WHEN a.status <> 'booked' OR now() > a.ends_at + interval '30 minutes' THEN 'closed'
             ELSE 'open'
           END
      FROM appt.appointments a
      LEFT JOIN tele.rooms r ON r.appointment_id = a.id
     WHERE a.id = appointment
$$;
GRANT EXECUTE ON FUNCTION tele.window_state(bigint) TO medsys_app;
