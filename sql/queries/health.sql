-- health: the load balancers' check: the newest applied migration and
-- whether this server is a standby (read-only replica).

-- name: health_ping
SELECT coalesce((SELECT max(version) FROM public.schema_migrations), 'none'), pg_is_in_recovery();
