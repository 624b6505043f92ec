-- documents: files in a patient's record (docs/record.md "Documents"):
-- ehr.items of kind 'document' and their ehr.document_versions. A file is
-- stored once per content (named by its SHA-256 in documents_dir); a
-- correction is a new version (a new title, or entered in error with a
-- reason) that points to the same file.

-- name: documents_list
-- $1 patient's user id, $2 'true' for staff (entries entered in error
-- too), $3 the clinic's time zone. The patient's name on every row (one
-- row with NULL document columns when there is no document), newest
-- first.
SELECT p.full_name, d.item_id, d.title, d.media_type, d.byte_size, d.status, d.version,
       to_char(d.created_at AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI'), d.author
  FROM auth.users p
  LEFT JOIN LATERAL (
       SELECT d.*, coalesce(u.full_name, '') AS author
         FROM ehr.documents d
         LEFT JOIN auth.users u ON u.id = d.created_by
        WHERE d.patient_id = p.id
          AND ($2::boolean OR d.status = 'current')
        ORDER BY d.created_at DESC, d.item_id DESC
        LIMIT 500) d ON true
 WHERE p.id = $1::bigint
 ORDER BY d.created_at DESC, d.item_id DESC;

-- name: documents_get
-- $1 patient's user id, $2 item id: its current version, no row when the
-- item is no document of that patient.
SELECT d.title, d.media_type, d.byte_size, encode(d.sha256, 'hex'), d.status, d.version
  FROM ehr.documents d
 WHERE d.item_id = $2::bigint AND d.patient_id = $1::bigint;

-- name: documents_versions
-- $1 patient's user id, $2 item id, $3 the clinic's time zone: every
-- version, newest first (staff see the history of a correction).
SELECT v.version, v.title, v.status, v.reason,
       to_char(v.recorded_at AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI'),
       coalesce(u.full_name, '')
  FROM ehr.document_versions v
  JOIN ehr.items i ON i.id = v.item_id
  LEFT JOIN auth.users u ON u.id = v.recorded_by
 WHERE v.item_id = $2::bigint AND i.patient_id = $1::bigint
 ORDER BY v.version DESC;

-- name: documents_lock
-- $1 a stored file's name (hex SHA-256): held until the transaction ends,
-- by an upload (from writing the file to committing its row) and by the
-- cleanup (from checking for rows to removing the file), so the cleanup
-- never removes a file a row is about to point to.
SELECT pg_advisory_xact_lock(1684890483, hashtext($1));

-- name: documents_item_insert
-- $1 patient's user id, $2 the doctor's user id: the new item's id.
INSERT INTO ehr.items (patient_id, kind, created_by)
VALUES ($1::bigint, 'document', $2::bigint)
RETURNING id;

-- name: documents_version_insert
-- $1 item, $2 title, $3 media type, $4 bytes, $5 hex SHA-256, $6 by: the
-- first version.
INSERT INTO ehr.document_versions (item_id, version, title, media_type, byte_size, sha256,
                                   status, recorded_by)
VALUES ($1::bigint, 1, $2, $3, $4::integer, decode($5, 'hex'), 'current', $6::bigint);

-- name: documents_correct
-- $1 patient, $2 item, $3 the version the form showed, $4 new title (NULL:
-- keep), $5 new status, $6 reason, $7 by. Inserts version $3 + 1 from
-- version $3: a unique violation means someone saved meanwhile; no row
-- means no such document of that patient.
INSERT INTO ehr.document_versions (item_id, version, title, media_type, byte_size, sha256,
                                   status, recorded_by, reason)
SELECT v.item_id, v.version + 1, coalesce($4, v.title), v.media_type, v.byte_size, v.sha256,
       $5, $7::bigint, $6
  FROM ehr.document_versions v
  JOIN ehr.items i ON i.id = v.item_id
 WHERE v.item_id = $2::bigint AND v.version = $3::integer AND i.patient_id = $1::bigint
RETURNING version;

-- name: documents_referenced
-- $1 a stored file's name (hex SHA-256): a row when a version or a chat
-- attachment (032, the same store) or an audio chunk whose audio is still
-- kept (035) points to it.
SELECT 1 FROM ehr.document_versions WHERE sha256 = decode($1, 'hex')
UNION ALL
SELECT 1 FROM chat.attachments WHERE sha256 = $1
UNION ALL
SELECT 1 FROM tele.audio_chunks WHERE sha256 = $1 AND deleted_at IS NULL
 LIMIT 1;
