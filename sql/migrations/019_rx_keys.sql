-- Prescription signing keys and the digest a prescription's token covers
-- (issue 10; docs/prescriptions.md "Token" and "Keys").
--
-- rx.signing_keys holds the public half of every Ed25519 key that ever
-- signed prescriptions; the private half lives only in a file of the
-- config's rx_key_dir, readable by the service user alone. `medsysctl keys
-- rotate` adds a key and retires the current one (valid_until = now): the
-- retired key keeps verifying what it signed while it was current.
-- `medsysctl keys revoke` marks a key revoked: it then verifies nothing.
-- The published JSON (GET /.well-known/medsys-rx-keys.json) is built from
-- this table, so a verifier offline trusts exactly what the clinic lists.
--
-- rx.signatures (migration 020) names its key by key_id (8 bytes; shown
-- as 16 hex digits in the JSON, on pages and by medsysctl).

CREATE TABLE rx.signing_keys (
    -- The first 8 bytes of SHA-256(public key): what a token carries
    -- (lib/sign.h sign_key_id), so it is derived, never chosen.
    key_id        bytea PRIMARY KEY CHECK (key_id = substring(sha256(public_key) FROM 1 FOR 8)),
    public_key    bytea NOT NULL UNIQUE CHECK (octet_length(public_key) = 32),
    valid_from    timestamptz NOT NULL DEFAULT now(),
    valid_until   timestamptz CHECK (valid_until >= valid_from),
    revoked_at    timestamptz,
    revoke_reason text CHECK (revoke_reason IS NULL OR length(btrim(revoke_reason)) BETWEEN 3 AND 200),
    CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);
-- At most one key signs new prescriptions: the one neither retired nor
-- revoked. Two rotations at once: one of them fails here, nothing forks.
CREATE UNIQUE INDEX signing_keys_one_current ON rx.signing_keys ((true))
    WHERE valid_until IS NULL AND revoked_at IS NULL;

-- A key's history only moves forward: retired once, revoked once; its id,
-- public half and start never change, and no row is ever removed (a
-- verifier must still find a retired key, and a revoked one to refuse it).
CREATE FUNCTION rx.signing_keys_forward() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'rx.signing_keys rows are never removed' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.key_id IS DISTINCT FROM OLD.key_id OR NEW.public_key IS DISTINCT FROM OLD.public_key
       OR NEW.valid_from IS DISTINCT FROM OLD.valid_from
       OR (OLD.valid_until IS NOT NULL AND NEW.valid_until IS DISTINCT FROM OLD.valid_until)
       OR (OLD.revoked_at IS NOT NULL AND (NEW.revoked_at IS DISTINCT FROM OLD.revoked_at
                                          OR NEW.revoke_reason IS DISTINCT FROM OLD.revoke_reason)) THEN
        RAISE EXCEPTION 'a signing key may only be retired once and revoked once'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER signing_keys_forward BEFORE UPDATE OR DELETE ON rx.signing_keys
    FOR EACH ROW EXECUTE FUNCTION rx.signing_keys_forward();
CREATE TRIGGER signing_keys_no_truncate BEFORE TRUNCATE ON rx.signing_keys
    FOR EACH STATEMENT EXECUTE FUNCTION rx.signing_keys_forward();
-- Workers keep the published keys (core/rxverify.c, db_cached_query) and
-- refill them when told: a rotation or a revocation counts at once.
CREATE TRIGGER signing_keys_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rx.signing_keys
    FOR EACH STATEMENT EXECUTE FUNCTION clinic.notify_cache();

-- ------------------------------------------------------------ digest

-- The canonical text of a prescription's patient and items: the same bytes
-- fcgi/lib/rxtoken.c rx_canonical_text builds (its header defines them;
-- tests/unit/test_rxtoken.c pins them and tests/integration/test_rx_verify.c
-- checks both agree on real rows). Written over a JSON array of item rows
-- (objects with rx.items' column names, e.g. jsonb_agg(to_jsonb(i))), not
-- over the table, so that it does not depend on migration 020 and can
-- check a draft's items before they are stored. NULL texts count as ''.
CREATE FUNCTION rx.items_canonical(p_patient bigint, p_items jsonb)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 'medsys-rx-1' || E'\n'
        || 'patient:' || p_patient || E'\n'
        || 'items:' || jsonb_array_length(coalesce(p_items, '[]'::jsonb)) || E'\n'
        || coalesce((SELECT string_agg(
               'line:' || (i->>'line') || E'\n'
            || 'product:' || octet_length(coalesce(i->>'product_code', '')) || E'\n'
                          || coalesce(i->>'product_code', '') || E'\n'
            || 'dose:' || trim_scale((i->>'dose_amount')::numeric)::text || E'\n'
            || 'unit:' || octet_length(coalesce(i->>'dose_unit', '')) || E'\n'
                       || coalesce(i->>'dose_unit', '') || E'\n'
            || 'route:' || octet_length(coalesce(i->>'route', '')) || E'\n'
                        || coalesce(i->>'route', '') || E'\n'
            || 'every_hours:' || coalesce(i->>'every_hours', '') || E'\n'
            || 'as_needed:' || CASE WHEN (i->>'as_needed')::boolean THEN 't' ELSE 'f' END || E'\n'
            || 'duration_days:' || coalesce(i->>'duration_days', '') || E'\n'
            || 'until_told:' || CASE WHEN (i->>'until_told')::boolean THEN 't' ELSE 'f' END || E'\n'
            || 'quantity:' || (i->>'quantity') || E'\n'
            || 'refills:' || (i->>'refills') || E'\n'
            || 'advice:' || octet_length(coalesce(i->>'advice', '')) || E'\n'
                         || coalesce(i->>'advice', '') || E'\n',
               '' ORDER BY (i->>'line')::integer)
             FROM jsonb_array_elements(coalesce(p_items, '[]'::jsonb)) i), '')
$$;

CREATE FUNCTION rx.items_digest(p_patient bigint, p_items jsonb)
RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT sha256(convert_to(rx.items_canonical(p_patient, p_items), 'UTF8'))
$$;

-- The digest of a stored prescription (its patient and rx.items rows).
-- PL/pgSQL resolves rx.prescriptions and rx.items when called, so this
-- can be created here, before migration 020 makes those tables. NULL when
-- there is no such prescription.
CREATE FUNCTION rx.prescription_digest(p_id bigint)
RETURNS bytea LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT rx.items_digest(p.patient_id,
                   (SELECT coalesce(jsonb_agg(to_jsonb(i)), '[]'::jsonb)
                      FROM rx.items i WHERE i.prescription_id = p.id))
              FROM rx.prescriptions p WHERE p.id = p_id);
END $$;

-- The keys as published (lib/rxkeys.h reads this shape back): days of the
-- clinic's calendar (p_tz) of each timestamp.
CREATE FUNCTION rx.published_keys(p_tz text)
RETURNS json LANGUAGE sql STABLE AS $$
    SELECT coalesce(json_agg(json_build_object(
               'key_id', encode(k.key_id, 'hex'),
               'alg', 'Ed25519',
               'public_key', encode(k.public_key, 'hex'),
               'valid_from', to_char(k.valid_from AT TIME ZONE p_tz, 'YYYY-MM-DD'),
               'valid_until', to_char(k.valid_until AT TIME ZONE p_tz, 'YYYY-MM-DD'),
               'revoked_on', to_char(k.revoked_at AT TIME ZONE p_tz, 'YYYY-MM-DD'),
               'revoke_reason', k.revoke_reason) ORDER BY k.valid_from, k.key_id), '[]'::json)
      FROM rx.signing_keys k
$$;

GRANT SELECT ON rx.signing_keys TO medsys_app;
GRANT EXECUTE ON FUNCTION rx.items_canonical(bigint, jsonb), rx.items_digest(bigint, jsonb),
                          rx.prescription_digest(bigint), rx.published_keys(text) TO medsys_app;
