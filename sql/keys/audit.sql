-- keys: the audit row of a change of signing keys (fcgi/ctl/rx_keys.c).
-- medsysctl keys prepares only the statements of this directory, so the
-- statement core/audit.c appends with is named here too; it calls the same
-- audit.append as sql/queries/audit.sql's, the one way rows get in.

-- name: audit_append
-- $1 actor, $2 subject (NULL: none), $3 action, $4 object, $5 address, $6 request id.
SELECT audit.append($1::bigint, $2::bigint, $3::text, $4::text, $5::text, $6::text);
