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
