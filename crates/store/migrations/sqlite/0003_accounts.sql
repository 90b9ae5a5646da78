-- Accounts and server-side sessions (kept in the database so that several pcmd
-- processes can share them). Side by side with the other backend's 0003.

CREATE TABLE app_user (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'officer', 'inspector', 'investigator', 'caseworker', 'supervisor')),
    unit_id BIGINT NOT NULL REFERENCES unit (id),
    agency_id BIGINT REFERENCES agency (id),
    password_hash TEXT NOT NULL,
    totp_secret TEXT,
    active BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

-- A session is known by the SHA-256 of its token; the token itself is only in the cookie.
CREATE TABLE app_session (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX app_session_user ON app_session (user_id);

-- Failed logins, for throttling.
CREATE TABLE login_failure (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX login_failure_user ON login_failure (username, failed_at);
