-- Idempotency keys of the JSON API (khóa chống gửi trùng): a client that
-- retries a POST with the same `Idempotency-Key` (an offline queue sending
-- again after a lost answer) gets the first answer back instead of a second
-- record. Only successful creations are kept, for 30 days, with a hash of the
-- request so that a key reused for another request is refused. Not in backups:
-- they are a short-lived memory of answers, not records.
-- Side by side with the other backend's 0021.
CREATE TABLE api_idempotency (
    user_id BIGINT NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX api_idempotency_age ON api_idempotency (created_at);
