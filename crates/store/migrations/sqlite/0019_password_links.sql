-- One-time links to set a password (liên kết đặt mật khẩu): for a new account
-- or a reset, made by an administrator or a coordinator. Only the SHA-256 of
-- the link's token is kept; a link works once, until it expires. Side by side
-- with the other backend's 0019.
CREATE TABLE password_link (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES app_user (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('new', 'reset')),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX password_link_user ON password_link (user_id);
