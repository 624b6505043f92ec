-- audit: the hash-chained trail (sql/migrations/004_audit.sql).

-- name: audit_append
-- $1 actor, $2 subject (NULL: none), $3 action, $4 object, $5 address, $6 request id.
SELECT audit.append($1::bigint, $2::bigint, $3::text, $4::text, $5::text, $6::text);

-- name: audit_verify
SELECT broken_id, reason FROM audit.verify();
