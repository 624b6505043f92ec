-- seals: the statements of medsys-sealer and medsysctl audit-verify
-- (sql/migrations/007_audit_seal.sql). A directory of their own, not
-- sql/queries/: db.c prepares every statement of its directory when it
-- connects, and the sealer's role may see only the audit schema.
-- Times travel as microseconds since 1970 (fcgi/lib/seal.h).

-- name: seal_lock
-- One sealer per database: a session lock, released when the connection
-- ends. true when this connection holds it.
SELECT pg_try_advisory_lock(7366209);

-- name: seal_head
-- The newest seal: id, last row, hash (hex).
SELECT seal_id, last_id, encode(hash, 'hex') FROM audit.seals ORDER BY seal_id DESC LIMIT 1;

-- name: seal_position
-- The last id drawn from the row sequence (0: none yet). Read before
-- seal_horizon: every id drawn so far belongs to a transaction that had
-- its id before (audit.append takes it first), hence older than the
-- horizon read next.
SELECT coalesce(pg_sequence_last_value('audit.events_id_seq'::regclass), 0);

-- name: seal_horizon
-- The first transaction id not yet given out.
SELECT pg_snapshot_xmax(pg_current_snapshot())::text;

-- name: seal_settled
-- $1 horizon: true once every transaction older than it has ended; and
-- the database's time (µs), which a seal made now carries.
SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::xid8,
       (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;

-- name: seal_rows
-- Rows after $1 up to $2 in id order, at most $3: what a seal covers and
-- what verification recomputes.
SELECT id, (extract(epoch FROM at) * 1000000)::bigint, actor_id, subject_id, action, object,
       client_addr, request_id, xid::text, encode(hash, 'hex')
  FROM audit.events
 WHERE id > $1::bigint AND id <= $2::bigint
 ORDER BY id
 LIMIT $3::int;

-- name: seal_flush
-- A transaction with an id commits synchronously: the WAL is on disk up to
-- here, so rows committed asynchronously (synchronous_commit = off) that a
-- seal is about to cover cannot vanish in a crash after the seal file has
-- them.
SELECT pg_current_xact_id();

-- name: seal_insert
-- $1 seal id, $2 first, $3 last, $4 rows, $5 at (µs), $6 key id,
-- $7 root, $8 prev, $9 hash, $10 signature (hex).
INSERT INTO audit.seals (seal_id, first_id, last_id, rows, at, key_id, root, prev_hash, hash, signature)
VALUES ($1::bigint, $2::bigint, $3::bigint, $4::bigint,
        timestamptz 'epoch' + $5::bigint * interval '1 microsecond', $6::text,
        decode($7::text, 'hex'), decode($8::text, 'hex'), decode($9::text, 'hex'),
        decode($10::text, 'hex'));

-- name: seal_list
-- Seals after $1 in order, at most 500.
SELECT seal_id, first_id, last_id, rows, (extract(epoch FROM at) * 1000000)::bigint, key_id,
       encode(root, 'hex'), encode(prev_hash, 'hex'), encode(hash, 'hex'), encode(signature, 'hex')
  FROM audit.seals
 WHERE seal_id > $1::bigint
 ORDER BY seal_id
 LIMIT 500;

-- name: seal_key_publish
-- $1 key id, $2 public key (PEM): published once, then the only open key.
WITH added AS (
    INSERT INTO audit.seal_keys (key_id, public_key) VALUES ($1::text, $2::text)
    ON CONFLICT (key_id) DO NOTHING
    RETURNING key_id
)
UPDATE audit.seal_keys SET valid_until = now()
 WHERE valid_until IS NULL AND key_id <> $1::text AND EXISTS (SELECT FROM added);

-- name: seal_keys
-- Every published key: id, PEM, validity (µs; NULL: open).
SELECT key_id, public_key, (extract(epoch FROM valid_from) * 1000000)::bigint,
       (extract(epoch FROM valid_until) * 1000000)::bigint
  FROM audit.seal_keys;

-- name: seal_tail
-- Rows after $1 (not sealed yet): how many, and the age of the oldest in
-- seconds.
SELECT count(*), coalesce(floor(extract(epoch FROM now() - min(at)))::bigint, 0)
  FROM audit.events
 WHERE id > $1::bigint;
