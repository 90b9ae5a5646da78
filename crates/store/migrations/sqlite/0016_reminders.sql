-- Reminders by e-mail: an account's address (optional), and the digests sent,
-- one a day at most for each account, so that a digest is sent once and an
-- unsent one (the mail server down) is tried again. Side by side with the other
-- backend's 0016.
ALTER TABLE app_user ADD COLUMN email TEXT;

CREATE TABLE reminder_sent (
    user_id BIGINT NOT NULL REFERENCES app_user (id),
    day TEXT NOT NULL,
    lines BIGINT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (user_id, day)
);
