-- audit: appending to the trail (sql/migrations/007_audit_seal.sql). Seals
-- and verification: sql/sealer/seals.sql.

-- name: audit_append
-- $1 actor, $2 subject (NULL: none), $3 action, $4 object, $5 address, $6 request id.
SELECT audit.append($1::bigint, $2::bigint, $3::text, $4::text, $5::text, $6::text);

-- name: audit_append_many
-- One row per subject in one statement: $1 actor, $2 subjects as an array
-- ("{7,12,31}"), $3 action, $4 object, $5 address, $6 request id. Returns
-- the number of rows written.
SELECT audit.append_many($1::bigint, $2::bigint[], $3::text, $4::text, $5::text, $6::text);
