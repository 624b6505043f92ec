-- Attachments of chat messages (issue 12, docs/chat.md "Attachments"):
-- PDF, JPEG and PNG files, typed from their bytes, photos stripped of
-- their metadata, stored once per content in documents_dir (named by the
-- hex SHA-256, the same store as the record's documents: one sweep,
-- `medsysctl chat-cleanup` / `documents-cleanup`). The file is durable
-- before the row commits; rows are never changed.

CREATE TABLE chat.attachments (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id     bigint NOT NULL REFERENCES chat.messages(id),
    sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    media_type     text NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size           bigint NOT NULL CHECK (size > 0),
    original_name  text NOT NULL CHECK (length(original_name) BETWEEN 1 AND 120)
);
CREATE INDEX attachments_message ON chat.attachments (message_id);
-- The cleanup asks, for each stored file, whether a row points to it.
CREATE INDEX attachments_sha256 ON chat.attachments (sha256);

CREATE TRIGGER attachments_frozen BEFORE UPDATE OR DELETE ON chat.attachments
    FOR EACH ROW EXECUTE FUNCTION chat.refuse_change();
REVOKE UPDATE, DELETE, TRUNCATE ON chat.attachments FROM medsys_app;
