-- Walk-in patients: reception registers a patient who has no account
-- (demographics only: no e-mail address, no password, so nobody can sign
-- in as them); the patient claims the account later through a link that
-- reception has mailed to the address they give (docs/homes.md).

ALTER TABLE auth.users ALTER COLUMN email DROP NOT NULL,
                       ALTER COLUMN password_hash DROP NOT NULL;
-- An account has both an address and a password, or neither (a walk-in
-- not yet claimed): no half-made account that a sign-in could match.
ALTER TABLE auth.users ADD CONSTRAINT users_walkin_or_account
    CHECK ((email IS NULL) = (password_hash IS NULL));
-- Who registered a walk-in (NULL for everyone who registered themselves
-- or was made by an administrator).
ALTER TABLE auth.users ADD COLUMN registered_by bigint REFERENCES auth.users(id);

-- The claim link: its token names the address it was sent to (new_email),
-- which becomes the account's address when the patient sets a password.
ALTER TABLE auth.tokens DROP CONSTRAINT tokens_purpose_check;
ALTER TABLE auth.tokens ADD CONSTRAINT tokens_purpose_check
    CHECK (purpose IN ('verify_email', 'reset_password', 'change_email', 'claim_account'));
