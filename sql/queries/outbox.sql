-- outbox: events for medsys-notifier (docs/events.md).

-- name: outbox_emit
-- $1 type, $2 payload (json), $3 due (NULL: now), $4 dedup key (NULL: none).
INSERT INTO outbox.events (type, payload, due_at, dedup_key)
VALUES ($1::text, $2::jsonb, coalesce($3::timestamptz, now()), $4::text)
ON CONFLICT (dedup_key) DO NOTHING;
