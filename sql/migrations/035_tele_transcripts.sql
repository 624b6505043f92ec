-- The consultation transcript (issue 13, docs/tele.md "Transcript"): the
-- audio chunks each consenting browser uploads during the call, the lines
-- medsys-transcriber hears in them, merged with the in-call chat into one
-- transcript, and the doctor-reviewed transcript attached to the encounter.

-- One uploaded chunk of one participant's microphone, a self-contained
-- WebM or Ogg file in documents_dir named by its SHA-256 (DESIGN.md
-- "Files"). The row is also medsys-transcriber's work queue: a chunk not
-- yet transcribed is claimed with FOR UPDATE SKIP LOCKED for a lease
-- (claimed_until), like outbox.events. deleted_at: its file was released
-- (after transcription, or after the retention period).
CREATE TABLE tele.audio_chunks (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id         bigint NOT NULL REFERENCES tele.rooms(id),
    speaker         bigint NOT NULL REFERENCES auth.users(id),
    seq             integer NOT NULL CHECK (seq BETWEEN 0 AND 100000),
    -- The browser's offset of the chunk since its recording began (ms),
    -- and the chunk's length; started_at is the server's clock (upload
    -- time less the duration), one clock for both speakers.
    start_offset_ms bigint NOT NULL CHECK (start_offset_ms >= 0),
    duration_ms     integer NOT NULL CHECK (duration_ms BETWEEN 1 AND 600000),
    started_at      timestamptz NOT NULL,
    media_type      text NOT NULL CHECK (media_type IN ('audio/webm', 'audio/ogg')),
    byte_size       integer NOT NULL CHECK (byte_size > 0),
    sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    received_at     timestamptz NOT NULL DEFAULT now(),
    claimed_until   timestamptz,
    attempts        integer NOT NULL DEFAULT 0,
    transcribed_at  timestamptz,
    failed_at       timestamptz,             -- given up after the last attempt
    error           text NOT NULL DEFAULT '' CHECK (length(error) <= 500),
    deleted_at      timestamptz,
    UNIQUE (room_id, speaker, seq)
);
CREATE INDEX audio_chunks_todo ON tele.audio_chunks (id)
    WHERE transcribed_at IS NULL AND failed_at IS NULL AND deleted_at IS NULL;
CREATE INDEX audio_chunks_kept ON tele.audio_chunks (transcribed_at)
    WHERE deleted_at IS NULL;
CREATE INDEX audio_chunks_file ON tele.audio_chunks (sha256) WHERE deleted_at IS NULL;

-- A new chunk wakes medsys-transcriber (a wake-up only: the table is the truth).
CREATE FUNCTION tele.chunk_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('medsys_transcribe', NEW.id::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER audio_chunks_added AFTER INSERT ON tele.audio_chunks
    FOR EACH ROW EXECUTE FUNCTION tele.chunk_added();

-- What the engine heard in a chunk: one row per utterance, at the time it
-- was said (the chunk's start plus the engine's offset). Insert-only.
CREATE TABLE tele.speech_lines (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    chunk_id   bigint NOT NULL REFERENCES tele.audio_chunks(id),
    room_id    bigint NOT NULL REFERENCES tele.rooms(id),
    speaker    bigint NOT NULL REFERENCES auth.users(id),
    said_at    timestamptz NOT NULL,
    body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000)
);
CREATE INDEX speech_lines_room ON tele.speech_lines (room_id, said_at, id);
CREATE TRIGGER speech_lines_frozen BEFORE UPDATE OR DELETE ON tele.speech_lines
    FOR EACH ROW EXECUTE FUNCTION tele.refuse_change();
REVOKE UPDATE, DELETE, TRUNCATE ON tele.speech_lines FROM medsys_app;

-- The consultation transcript before review: speech and in-call chat of a
-- room, each line labelled by speaker, time and source, in time order.
CREATE VIEW tele.transcript_lines AS
SELECT room_id, speaker, said_at, body, 'speech'::text AS source, id AS line_id
  FROM tele.speech_lines
UNION ALL
SELECT room_id, author_id, created_at, body, 'chat'::text, id
  FROM tele.messages;

-- The transcript the doctor reviewed, attached to the encounter: each
-- save is a new version (who, when), never an update (DESIGN.md
-- "Clinical modules").
CREATE TABLE ehr.transcript_versions (
    encounter_id  bigint NOT NULL REFERENCES ehr.encounters(id),
    version       integer NOT NULL CHECK (version >= 1),
    room_id       bigint NOT NULL REFERENCES tele.rooms(id),
    body          text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 200000),
    saved_by      bigint NOT NULL REFERENCES auth.users(id),
    saved_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (encounter_id, version)
);
CREATE FUNCTION ehr.transcript_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a transcript version is never changed: save a new one';
END
$$;
CREATE TRIGGER transcript_versions_frozen BEFORE UPDATE OR DELETE ON ehr.transcript_versions
    FOR EACH ROW EXECUTE FUNCTION ehr.transcript_frozen();
REVOKE UPDATE, DELETE, TRUNCATE ON ehr.transcript_versions FROM medsys_app;
