-- audit: appending to the trail (sql/migrations/007_audit_seal.sql). Seals
-- and verification: sql/sealer/seals.sql.

-- name: audit_append
-- $1 actor, $2 subject (NULL: none), $3 action, $4 object, $5 address, $6 request id.
SELECT audit.append($1::bigint, $2::bigint, $3::text, $4::text, $5::text, $6::text);

-- name: audit_read
-- A read of clinical data (fcgi/core/audit.c: audit_read_add), sent in
-- one batch with the page's statements: $1 actor, $2 subjects (bigint
-- array; empty: one row without subject), $3 action, $4 object,
-- $5 address, $6 request id, $7 synchronous_commit for this transaction
-- ('off' unless audit_read_sync is set: medsys.conf.sample).
SELECT audit.append_many($1::bigint,
                         CASE WHEN cardinality($2::bigint[]) = 0 THEN ARRAY[NULL]::bigint[]
                              ELSE $2::bigint[] END,
                         $3::text, $4::text, $5::text, $6::text),
       set_config('synchronous_commit', $7::text, true);
