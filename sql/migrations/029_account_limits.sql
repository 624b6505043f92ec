-- Requests to change an account's e-mail address, one row each, kept a
-- day (issue 15's probe: the form sent unlimited mails to any address).
-- fcgi/pages/profile/security.c counts the rows of the last 24 hours
-- before sending anything, whether the new address is free or belongs to
-- another account, so both answers look alike; older rows go on the next
-- request of the same account.
CREATE TABLE auth.email_change_requests (
    id           bigserial PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    requested_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_change_requests_user ON auth.email_change_requests (user_id, requested_at);
