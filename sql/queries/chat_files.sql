-- chat_files: attachments of chat messages (docs/chat.md "Attachments").
-- The files are in documents_dir with the record's documents; their lock
-- and "is it referenced" statements are documents_lock and
-- documents_referenced (documents.sql).

-- name: chat_attachment_insert
-- $1 hex SHA-256, $2 media type, $3 bytes, $4 the name it was sent under:
-- the attachment of the message chat_post inserted just before in this
-- session (currval of its identity).
INSERT INTO chat.attachments (message_id, sha256, media_type, size, original_name)
VALUES (currval(pg_get_serial_sequence('chat.messages', 'id')), $1, $2, $3::bigint, $4);

-- name: chat_attachments
-- $1 thread, $2 after (message id, 0: all): the attachments of its
-- messages after $2, in message order.
SELECT a.message_id, a.id, a.original_name, a.media_type, a.size
  FROM chat.attachments a
  JOIN chat.messages m ON m.id = a.message_id
 WHERE m.thread_id = $1::bigint AND m.id > $2::bigint
 ORDER BY a.message_id, a.id;

-- name: chat_attachment_get
-- $1 thread, $2 attachment id: its name, media type and stored file; no
-- row when it belongs to no message of that thread.
SELECT a.original_name, a.media_type, a.sha256
  FROM chat.attachments a
  JOIN chat.messages m ON m.id = a.message_id
 WHERE a.id = $2::bigint AND m.thread_id = $1::bigint;

-- name: chat_attachment_files
-- Every stored file an attachment points to, once: the cleanup reports
-- those missing from documents_dir.
SELECT DISTINCT sha256, (SELECT count(*) FROM chat.attachments b WHERE b.sha256 = a.sha256)
  FROM chat.attachments a
 ORDER BY 1;

-- name: chat_attachment_to_document
-- $1 thread, $2 attachment, $3 the doctor's user id: the attachment as a
-- new document of the thread's patient (the same stored file: rows are
-- never removed, so no lock is needed), titled with its name and the
-- link back to its message. The new item's id; no row when the
-- attachment is not the thread's.
WITH a AS (
    SELECT a.original_name, a.media_type, a.size, a.sha256, t.patient_id, m.id AS message_id
      FROM chat.attachments a
      JOIN chat.messages m ON m.id = a.message_id
      JOIN chat.threads t ON t.id = m.thread_id
     WHERE a.id = $2::bigint AND t.id = $1::bigint
), i AS (
    INSERT INTO ehr.items (patient_id, kind, created_by)
    SELECT patient_id, 'document', $3::bigint FROM a
    RETURNING id
)
INSERT INTO ehr.document_versions (item_id, version, title, media_type, byte_size, sha256,
                                   status, recorded_by)
SELECT i.id, 1, a.original_name || ' (/messages/' || $1 || '#m' || a.message_id || ')',
       a.media_type, a.size, decode(a.sha256, 'hex'), 'current', $3::bigint
  FROM i, a
RETURNING item_id;
