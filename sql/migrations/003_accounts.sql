-- Accounts, roles and capabilities, sessions, one-time tokens, second
-- factor, throttling. Every other module refers to auth.users(id).

CREATE TABLE auth.users (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email              text NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND email = lower(email)),
    full_name          text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
    birth_date         date CHECK (birth_date > DATE '1900-01-01'),
    phone              text NOT NULL DEFAULT '' CHECK (length(phone) <= 50),
    language           text NOT NULL DEFAULT 'es' CHECK (language IN ('es', 'en')),
    time_zone          text NOT NULL DEFAULT 'Europe/Madrid' CHECK (length(time_zone) <= 64),
    password_hash      text NOT NULL,          -- argon2id encoded: parameters travel with the hash
    email_verified_at  timestamptz,
    disabled_at        timestamptz,
    totp_secret        text,                   -- base32; NULL until enrolled
    totp_enabled_at    timestamptz,
    totp_last_step     bigint NOT NULL DEFAULT 0,  -- a code is never accepted twice
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email ON auth.users (email);

-- Roles a user holds; a user may hold several (a doctor who is also admin).
CREATE TABLE auth.user_roles (
    user_id     bigint NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    role        text NOT NULL CHECK (role IN ('patient', 'doctor', 'pharmacist', 'lab', 'reception', 'admin')),
    granted_by  bigint REFERENCES auth.users(id),
    granted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, role)
);

-- What each role may do. The router checks roles per route; handlers ask
-- for a capability when one page serves several roles.
CREATE TABLE auth.role_capabilities (
    role        text NOT NULL,
    capability  text NOT NULL CHECK (capability ~ '^[a-z_]+\.[a-z_]+$'),
    PRIMARY KEY (role, capability)
);
INSERT INTO auth.role_capabilities (role, capability) VALUES
    ('patient', 'appointments.book'), ('patient', 'records.read_own'),
    ('doctor', 'appointments.agenda'), ('doctor', 'records.read_patients'),
    ('doctor', 'prescriptions.write'), ('pharmacist', 'prescriptions.dispense'),
    ('lab', 'lab.results_write'), ('reception', 'appointments.manage'),
    ('admin', 'users.manage'), ('admin', 'audit.read'), ('admin', 'outbox.read');

-- Staff details.
ALTER TABLE clinic.doctors ADD COLUMN user_id bigint UNIQUE REFERENCES auth.users(id);
CREATE TABLE auth.pharmacists (
    user_id         bigint PRIMARY KEY REFERENCES auth.users(id) ON DELETE CASCADE,
    pharmacy_name   text NOT NULL CHECK (length(pharmacy_name) BETWEEN 1 AND 200),
    licence_number  text NOT NULL UNIQUE CHECK (length(licence_number) BETWEEN 1 AND 50)
);

-- Sessions: only the SHA-256 of the 256-bit token is stored.
CREATE TABLE auth.sessions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id        bigint NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    token_hash     bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    csrf_token     text NOT NULL CHECK (length(csrf_token) = 64),
    mfa_pending    boolean NOT NULL DEFAULT false,  -- password ok, second factor not yet
    idle_seconds   integer NOT NULL CHECK (idle_seconds > 0),
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now(),
    reauth_at      timestamptz NOT NULL DEFAULT now(), -- last time the password was typed
    expires_at     timestamptz NOT NULL,               -- absolute lifetime
    revoked_at     timestamptz,
    client_addr    text NOT NULL DEFAULT '',
    user_agent     text NOT NULL DEFAULT '' CHECK (length(user_agent) <= 300)
);
CREATE INDEX sessions_user ON auth.sessions (user_id) WHERE revoked_at IS NULL;

-- Single-use, expiring tokens sent by e-mail (hash only).
CREATE TABLE auth.tokens (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    purpose     text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email')),
    token_hash  bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    new_email   text CHECK (new_email = lower(new_email)),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX tokens_user ON auth.tokens (user_id, purpose);

-- Second-factor recovery codes (hash only), single use.
CREATE TABLE auth.recovery_codes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    code_hash  bytea NOT NULL CHECK (length(code_hash) = 32),
    used_at    timestamptz,
    UNIQUE (user_id, code_hash)
);

-- Failed sign-ins per account and per client address, shared by every
-- worker: the delay grows with the failures inside the window.
CREATE TABLE auth.throttle (
    key            text PRIMARY KEY,         -- 'acct:<email>' or 'addr:<address>'
    failures       integer NOT NULL DEFAULT 0,
    window_start   timestamptz NOT NULL DEFAULT now(),
    blocked_until  timestamptz NOT NULL DEFAULT '-infinity'
);
