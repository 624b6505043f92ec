-- The audit trail without serialisation, sealed outside the request path
-- (docs/architecture.md, "Audit trail").
--
-- Before: every append took one global advisory lock and read the previous
-- row's hash, so audited requests committed one per WAL flush, and a
-- REPEATABLE READ caller could fork the chain. Now an append is a plain
-- INSERT that stores the row's own content hash and its transaction id;
-- medsys-sealer later chains committed rows into signed seals
-- (audit.seals), also written to a file outside the database.
--
-- Roles (created here when missing; names are per cluster):
--   medsys_audit_owner  NOLOGIN: owns the audit tables and the append
--                       functions (SECURITY DEFINER).
--   medsys_app          medsysd and medsys-notifier: the data of the
--                       feature schemas; in audit, only EXECUTE on the
--                       append functions and SELECT of what pages show.
--   medsys_sealer       medsys-sealer: reads rows, writes seals and keys.
-- The role running migrations keeps owning everything else.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'medsys_audit_owner') THEN
        CREATE ROLE medsys_audit_owner NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'medsys_app') THEN
        CREATE ROLE medsys_app LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'medsys_sealer') THEN
        CREATE ROLE medsys_sealer LOGIN;
    END IF;
    -- A migration role that is not a superuser (CREATEROLE, docs/deploy.md)
    -- must be a member of a role to hand it objects.
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('GRANT medsys_audit_owner TO %I', current_user);
    END IF;
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO medsys_app, medsys_sealer',
                   current_database());
END
$$;

-- ------------------------------------------------------------ rows

DROP FUNCTION audit.verify();
DROP FUNCTION audit.append(bigint, bigint, text, text, text, text);
DROP FUNCTION audit.row_text(audit.events);

ALTER TABLE audit.events DROP COLUMN prev_hash;
ALTER TABLE audit.events ADD COLUMN xid xid8;

-- The content hash of a row: SHA-256 of its canonical bytes. The same
-- bytes are built in C by seal_row_hash (fcgi/lib/seal.c), which is what
-- verification uses, so replacing this function cannot hide a change.
-- STABLE, not IMMUTABLE: convert_to and extract(epoch from timestamptz)
-- are STABLE.
CREATE FUNCTION audit.row_hash(p_id bigint, p_at timestamptz, p_actor bigint, p_subject bigint,
                               p_action text, p_object text, p_addr text, p_request text,
                               p_xid xid8)
RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE
-- A standard SQL body: resolved now (no search_path at call time) and
-- inlined into the callers' cached plans.
RETURN sha256('\x4d534131'::bytea
        || int8send(p_id)
        || int8send((extract(epoch FROM p_at) * 1000000)::bigint)
        || CASE WHEN p_actor IS NULL THEN '\x00'::bytea ELSE '\x01'::bytea || int8send(p_actor) END
        || CASE WHEN p_subject IS NULL THEN '\x00'::bytea ELSE '\x01'::bytea || int8send(p_subject) END
        || int4send(octet_length(p_action)) || convert_to(p_action, 'UTF8')
        || int4send(octet_length(p_object)) || convert_to(p_object, 'UTF8')
        || int4send(octet_length(p_addr)) || convert_to(p_addr, 'UTF8')
        || int4send(octet_length(p_request)) || convert_to(p_request, 'UTF8')
        || xid8send(p_xid));

-- Rows written before this migration: their old chain hash is replaced by
-- the content hash, under this migration's transaction id; the sealer's
-- first seal covers them.
UPDATE audit.events
   SET xid = pg_current_xact_id(),
       hash = audit.row_hash(id, at, actor_id, subject_id, action, object, client_addr,
                             request_id, pg_current_xact_id());
ALTER TABLE audit.events ALTER COLUMN xid SET NOT NULL;

-- Append one event in the caller's transaction; returns its id. No lock
-- and no read of earlier rows: concurrent appends do not wait for each
-- other. The transaction id is taken before the id is drawn: medsys-sealer
-- relies on it (an id drawn before it read the sequence belongs to a
-- transaction older than the snapshot it takes next).
CREATE FUNCTION audit.append(p_actor bigint, p_subject bigint, p_action text,
                             p_object text, p_addr text, p_request text)
RETURNS bigint LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_xid xid8 := pg_current_xact_id();
    v_id bigint := nextval('audit.events_id_seq'::regclass);
    v_at timestamptz := clock_timestamp();
BEGIN
    INSERT INTO audit.events
        (id, at, actor_id, subject_id, action, object, client_addr, request_id, xid, hash)
        OVERRIDING SYSTEM VALUE
    VALUES (v_id, v_at, p_actor, p_subject, p_action, coalesce(p_object, ''),
            coalesce(p_addr, ''), coalesce(p_request, ''), v_xid,
            audit.row_hash(v_id, v_at, p_actor, p_subject, p_action, coalesce(p_object, ''),
                           coalesce(p_addr, ''), coalesce(p_request, ''), v_xid));
    RETURN v_id;
END
$$;

-- One row per subject (a page that shows several patients, such as a
-- doctor's agenda) in one statement; returns how many rows were written.
CREATE FUNCTION audit.append_many(p_actor bigint, p_subjects bigint[], p_action text,
                                  p_object text, p_addr text, p_request text)
RETURNS integer LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_xid xid8 := pg_current_xact_id();
    v_at timestamptz := clock_timestamp();
    v_n integer;
BEGIN
    INSERT INTO audit.events
        (id, at, actor_id, subject_id, action, object, client_addr, request_id, xid, hash)
        OVERRIDING SYSTEM VALUE
    SELECT r.id, v_at, p_actor, r.subject, p_action, coalesce(p_object, ''),
           coalesce(p_addr, ''), coalesce(p_request, ''), v_xid,
           audit.row_hash(r.id, v_at, p_actor, r.subject, p_action, coalesce(p_object, ''),
                          coalesce(p_addr, ''), coalesce(p_request, ''), v_xid)
      FROM (SELECT nextval('audit.events_id_seq'::regclass) AS id, s.subject
              FROM unnest(p_subjects) WITH ORDINALITY AS s(subject, n)
             ORDER BY s.n) r;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_n;
END
$$;

-- ------------------------------------------------------------ seals

-- Public keys of the sealer, published by medsys-sealer when it starts
-- with a key (medsysctl keys audit-generate). A seal is valid only when
-- made inside its key's validity.
CREATE TABLE audit.seal_keys (
    key_id      text PRIMARY KEY CHECK (key_id ~ '^[0-9a-f]{16}$'),
    public_key  text NOT NULL,                  -- PEM (SubjectPublicKeyInfo)
    valid_from  timestamptz NOT NULL DEFAULT now(),
    valid_until timestamptz,                    -- set when a newer key starts
    CHECK (valid_until IS NULL OR valid_until >= valid_from)
);

-- One row per sealed batch of audit rows, chained by prev_hash; the same
-- text is a line of the seal file (fcgi/lib/seal.c: seal_format).
CREATE TABLE audit.seals (
    seal_id   bigint PRIMARY KEY CHECK (seal_id > 0),
    first_id  bigint NOT NULL,
    last_id   bigint NOT NULL,
    rows      bigint NOT NULL CHECK (rows > 0),
    at        timestamptz NOT NULL,
    key_id    text NOT NULL REFERENCES audit.seal_keys(key_id),
    root      bytea NOT NULL,
    prev_hash bytea NOT NULL,
    hash      bytea NOT NULL UNIQUE,
    signature bytea NOT NULL,
    CHECK (first_id <= last_id),
    UNIQUE (last_id)
);

-- Rows and seals are never changed or removed, not even by their owner or
-- a superuser (short of disabling the triggers, which audit-verify then
-- catches through the seals and the seal file).
CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'audit.%: % refused: the audit trail is append-only', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

-- A key's validity may be closed once (the sealer starting a newer key);
-- nothing else of a key changes.
CREATE FUNCTION audit.seal_key_close_only() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF OLD.valid_until IS NULL AND NEW.valid_until IS NOT NULL
       AND (NEW.key_id, NEW.public_key, NEW.valid_from)
           IS NOT DISTINCT FROM (OLD.key_id, OLD.public_key, OLD.valid_from) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit.seal_keys: only closing a key''s validity is allowed'
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON audit.events
    FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON audit.events
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER seals_append_only BEFORE UPDATE OR DELETE ON audit.seals
    FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER seals_no_truncate BEFORE TRUNCATE ON audit.seals
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER seal_keys_close_only BEFORE UPDATE ON audit.seal_keys
    FOR EACH ROW EXECUTE FUNCTION audit.seal_key_close_only();
CREATE TRIGGER seal_keys_append_only BEFORE DELETE ON audit.seal_keys
    FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER seal_keys_no_truncate BEFORE TRUNCATE ON audit.seal_keys
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

-- ------------------------------------------------------------ ownership

-- (CREATE: a new owner needs it on the schema unless a superuser migrates.)
GRANT USAGE, CREATE ON SCHEMA audit TO medsys_audit_owner;

ALTER TABLE audit.events OWNER TO medsys_audit_owner;   -- and its id sequence
ALTER TABLE audit.seals OWNER TO medsys_audit_owner;
ALTER TABLE audit.seal_keys OWNER TO medsys_audit_owner;
ALTER FUNCTION audit.row_hash(bigint, timestamptz, bigint, bigint, text, text, text, text, xid8)
    OWNER TO medsys_audit_owner;
ALTER FUNCTION audit.append(bigint, bigint, text, text, text, text) OWNER TO medsys_audit_owner;
ALTER FUNCTION audit.append_many(bigint, bigint[], text, text, text, text) OWNER TO medsys_audit_owner;
ALTER FUNCTION audit.refuse_change() OWNER TO medsys_audit_owner;
ALTER FUNCTION audit.seal_key_close_only() OWNER TO medsys_audit_owner;

-- Functions are executable by PUBLIC by default: not these two.
REVOKE ALL ON FUNCTION audit.append(bigint, bigint, text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit.append_many(bigint, bigint[], text, text, text, text) FROM PUBLIC;

-- ------------------------------------------------------------ grants

-- The application: the feature schemas' data, now and in later migrations
-- (default privileges of the role that runs migrations), no TRUNCATE.
GRANT USAGE ON SCHEMA auth, appt, ehr, rx, lab, chat, bot, tele, outbox, clinic, audit
    TO medsys_app;
GRANT SELECT, INSERT, UPDATE, DELETE
    ON ALL TABLES IN SCHEMA auth, appt, ehr, rx, lab, chat, bot, tele, outbox, clinic TO medsys_app;
GRANT USAGE, SELECT, UPDATE
    ON ALL SEQUENCES IN SCHEMA auth, appt, ehr, rx, lab, chat, bot, tele, outbox, clinic TO medsys_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA auth, appt, ehr, rx, lab, chat, bot, tele, outbox, clinic
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO medsys_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA auth, appt, ehr, rx, lab, chat, bot, tele, outbox, clinic
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO medsys_app;
-- A schema added later is usable by the application too.
ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO medsys_app;
-- Audit: append through the functions; read what pages show.
GRANT EXECUTE ON FUNCTION audit.append(bigint, bigint, text, text, text, text) TO medsys_app;
GRANT EXECUTE ON FUNCTION audit.append_many(bigint, bigint[], text, text, text, text) TO medsys_app;
GRANT SELECT ON audit.events, audit.seals, audit.seal_keys TO medsys_app;
-- /healthz names the newest applied migration.
GRANT SELECT ON public.schema_migrations TO medsys_app;

-- The sealer: read rows and the id sequence, add seals and keys.
GRANT USAGE ON SCHEMA audit TO medsys_sealer;
GRANT SELECT ON audit.events TO medsys_sealer;
GRANT SELECT ON SEQUENCE audit.events_id_seq TO medsys_sealer;
GRANT SELECT, INSERT ON audit.seals TO medsys_sealer;
GRANT SELECT, INSERT ON audit.seal_keys TO medsys_sealer;
GRANT UPDATE (valid_until) ON audit.seal_keys TO medsys_sealer;
