-- admin: staff accounts, roles, disabling, the audit search and dead
-- letters (fcgi/pages/admin.c), and the medsysctl account commands.

-- name: admin_users_list
-- $1 search text (NULL: all) matched inside e-mail or name, $2 role (NULL:
-- any), $3 offset. 51 rows: the 51st only says there is a next page.
SELECT u.id, u.email, u.full_name,
       coalesce((SELECT string_agg(r.role, ',' ORDER BY r.role)
                   FROM auth.user_roles r WHERE r.user_id = u.id), ''),
       u.email_verified_at IS NOT NULL, u.disabled_at IS NOT NULL,
       u.totp_enabled_at IS NOT NULL
  FROM auth.users u
 WHERE ($1::text IS NULL OR strpos(u.email, lower($1::text)) > 0
        OR strpos(lower(u.full_name), lower($1::text)) > 0)
   AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM auth.user_roles r
                                     WHERE r.user_id = u.id AND r.role = $2::text))
 ORDER BY u.email, u.id
 LIMIT 51 OFFSET $3::int;

-- name: admin_user_get
-- $1 user, $2 language, $3 the clinic's time zone (times are local there).
-- Everything the detail page shows about one account.
SELECT u.id, u.email, u.full_name, u.language,
       u.email_verified_at IS NOT NULL,
       coalesce(to_char(u.disabled_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'), ''),
       u.totp_enabled_at IS NOT NULL,
       to_char(u.created_at AT TIME ZONE $3::text, 'YYYY-MM-DD HH24:MI'),
       (SELECT count(*) FROM auth.sessions s
         WHERE s.user_id = u.id AND s.revoked_at IS NULL AND s.expires_at > now()
           AND s.last_seen_at > now() - make_interval(secs => s.idle_seconds)),
       coalesce(d.id::text, ''), coalesce(d.licence_number, ''),
       coalesce((SELECT string_agg(CASE WHEN $2::text = 'en' THEN sp.name_en ELSE sp.name_es END,
                                   ', ' ORDER BY sp.id)
                   FROM clinic.doctor_specialties ds
                   JOIN clinic.specialties sp ON sp.id = ds.specialty_id
                  WHERE ds.doctor_id = d.id), ''),
       coalesce(p.pharmacy_name, ''), coalesce(p.licence_number, '')
  FROM auth.users u
  LEFT JOIN clinic.doctors d ON d.user_id = u.id
  LEFT JOIN auth.pharmacists p ON p.user_id = u.id
 WHERE u.id = $1::bigint;

-- name: admin_user_roles
-- $1 user, $2 the clinic's time zone: each role held, when (local) and by
-- whom it was granted.
SELECT r.role, to_char(r.granted_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'),
       coalesce(g.email, '')
  FROM auth.user_roles r
  LEFT JOIN auth.users g ON g.id = r.granted_by
 WHERE r.user_id = $1::bigint
 ORDER BY r.role;

-- name: admin_email_exists
SELECT 1 FROM auth.users WHERE email = lower($1::text);

-- name: admin_user_insert
-- $1 e-mail, $2 full name, $3 language, $4 password hash, $5 e-mail
-- verified now, $6 TOTP secret (NULL: none; else enrolled now).
INSERT INTO auth.users (email, full_name, language, password_hash, email_verified_at,
                        totp_secret, totp_enabled_at)
VALUES (lower($1::text), $2::text, $3::text, $4::text,
        CASE WHEN $5::boolean THEN now() END,
        $6::text, CASE WHEN $6::text IS NOT NULL THEN now() END)
RETURNING id;

-- name: admin_role_grant
-- $1 user, $2 role, $3 granted by (NULL: medsysctl). No row: already held.
INSERT INTO auth.user_roles (user_id, role, granted_by)
VALUES ($1::bigint, $2::text, $3::bigint)
ON CONFLICT (user_id, role) DO NOTHING
RETURNING role;

-- name: admin_admins_lock
-- Lock every admin row before an admin role is revoked, so that two admins
-- revoking each other at once cannot leave the clinic without one.
SELECT user_id FROM auth.user_roles WHERE role = 'admin' ORDER BY user_id FOR UPDATE;

-- name: admin_role_revoke
-- $1 user, $2 role. No row: the role was not held.
DELETE FROM auth.user_roles WHERE user_id = $1::bigint AND role = $2::text
RETURNING role;

-- name: admin_doctor_link
-- $1 user, $2 display name, $3 licence number. Creates the directory row,
-- or links an unlinked one with that licence number. No row: the licence
-- number belongs to another account.
INSERT INTO clinic.doctors (display_name, licence_number, user_id)
VALUES ($2::text, $3::text, $1::bigint)
ON CONFLICT (licence_number) DO UPDATE
   SET user_id = EXCLUDED.user_id, display_name = EXCLUDED.display_name, active = true
 WHERE clinic.doctors.user_id IS NULL
RETURNING id;

-- name: admin_doctor_active
-- $1 user, $2 active: a doctor whose role is revoked leaves the directory.
UPDATE clinic.doctors SET active = $2::boolean WHERE user_id = $1::bigint;

-- name: admin_doctor_specialty
-- $1 doctor, $2 specialty.
INSERT INTO clinic.doctor_specialties (doctor_id, specialty_id)
SELECT $1::int, s.id FROM clinic.specialties s WHERE s.id = $2::int
ON CONFLICT DO NOTHING;

-- name: admin_specialties
-- $1 language.
SELECT id, CASE WHEN $1::text = 'en' THEN name_en ELSE name_es END
  FROM clinic.specialties
 ORDER BY 2, id;

-- name: admin_pharmacist_create
-- $1 user, $2 pharmacy name, $3 licence number.
INSERT INTO auth.pharmacists (user_id, pharmacy_name, licence_number)
VALUES ($1::bigint, $2::text, $3::text)
RETURNING user_id;

-- name: admin_token_create
-- $1 user, $2 token hash, $3 validity (hours). A set-password link.
INSERT INTO auth.tokens (user_id, purpose, token_hash, expires_at)
VALUES ($1::bigint, 'reset_password', $2::bytea, now() + make_interval(hours => $3::int));

-- name: admin_user_disable
-- $1 user. No row: unknown or already disabled.
UPDATE auth.users SET disabled_at = now(), updated_at = now()
 WHERE id = $1::bigint AND disabled_at IS NULL
RETURNING email, full_name, language;

-- name: admin_user_enable
UPDATE auth.users SET disabled_at = NULL, updated_at = now()
 WHERE id = $1::bigint AND disabled_at IS NOT NULL
RETURNING id;

-- name: admin_audit_search
-- $1 actor e-mail part, $2 subject e-mail part, $3 action prefix, $4 from
-- (a day of the clinic), $5 to (a day of the clinic, inclusive), $6 before
-- id (keyset; NULL: newest), $7 a reader whose own views of the admin
-- pages (the audit trail, the break-glass report) are left out, $8 the
-- clinic's time zone (the days and the times shown are local there). NULL
-- filters match everything. 51 rows.
SELECT e.id, to_char(e.at AT TIME ZONE $8::text, 'YYYY-MM-DD HH24:MI'),
       coalesce(a.email, ''), coalesce(s.email, ''), e.action, e.object,
       e.client_addr, e.request_id, coalesce(e.actor_id::text, ''),
       coalesce(e.subject_id::text, '')
  FROM audit.events e
  LEFT JOIN auth.users a ON a.id = e.actor_id
  LEFT JOIN auth.users s ON s.id = e.subject_id
 WHERE ($1::text IS NULL OR strpos(a.email, lower($1::text)) > 0)
   AND ($2::text IS NULL OR strpos(s.email, lower($2::text)) > 0)
   AND ($3::text IS NULL OR left(e.action, length($3::text)) = $3::text)
   AND ($4::date IS NULL OR e.at >= $4::date::timestamp AT TIME ZONE $8::text)
   AND ($5::date IS NULL OR e.at < ($5::date + 1)::timestamp AT TIME ZONE $8::text)
   AND ($6::bigint IS NULL OR e.id < $6::bigint)
   AND ($7::bigint IS NULL OR e.actor_id IS DISTINCT FROM $7::bigint
        OR e.action NOT IN ('admin.audit_viewed', 'admin.break_glass_report'))
 ORDER BY e.id DESC
 LIMIT 51;

-- name: admin_audit_count
SELECT count(*) FROM audit.events;

-- name: admin_outbox_dead
-- $1 before id (NULL: newest), $2 the clinic's time zone (the time shown
-- is local there). Never the payload: only the type, the recipient's
-- domain (mail) and the user id (notices).
SELECT id, type, to_char(created_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI'),
       attempts, last_error,
       CASE WHEN jsonb_typeof(payload -> 'to') = 'string'
            THEN split_part(payload ->> 'to', '@', 2) ELSE '' END,
       CASE WHEN jsonb_typeof(payload -> 'user_id') = 'number'
            THEN payload ->> 'user_id' ELSE '' END
  FROM outbox.events
 WHERE status = 'dead' AND ($1::bigint IS NULL OR id < $1::bigint)
 ORDER BY id DESC
 LIMIT 51;

-- name: admin_outbox_retry
-- $1 event. Back to the queue, due now, and wake the notifier (the insert
-- trigger only fires for new rows). No row: unknown or not dead.
WITH requeued AS (
    UPDATE outbox.events
       SET status = 'pending', attempts = 0, due_at = now(), last_error = ''
     WHERE id = $1::bigint AND status = 'dead'
    RETURNING id, type
)
SELECT id, type, pg_notify('medsys_events', id::text) FROM requeued;
