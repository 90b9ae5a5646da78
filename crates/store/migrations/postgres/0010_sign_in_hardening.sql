-- Failed sign-ins are counted per account and client address, so that a
-- stranger cannot keep an account locked from elsewhere; a TOTP code is
-- accepted once (the last time step used is kept).
ALTER TABLE login_failure ADD COLUMN client TEXT NOT NULL DEFAULT '';
CREATE INDEX login_failure_client ON login_failure (username, client, failed_at);
ALTER TABLE app_user ADD COLUMN totp_last_step BIGINT;
