-- Tips sent by citizens through the public portal (/to-giac): the receipt the
-- sender keeps (a locator in clear to find the tip, the rest only as an Argon2
-- hash), an optional way to reach the sender (sealed), files sent with the tip
-- (sealed, name and content), and the messages between the sender and the
-- officer handling the tip (sealed). No network address or browser is kept.
-- Side by side with the other backend's 0015.
CREATE TABLE tip_receipt (
    tip_id INTEGER PRIMARY KEY REFERENCES tip (id) ON DELETE CASCADE,
    locator TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    contact_sealed BLOB
);

CREATE TABLE tip_attachment (
    id INTEGER PRIMARY KEY,
    tip_id INTEGER NOT NULL REFERENCES tip (id) ON DELETE CASCADE,
    name_sealed BLOB NOT NULL,
    media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
    content_sealed BLOB NOT NULL,
    added_at TEXT NOT NULL
);
CREATE INDEX tip_attachment_tip ON tip_attachment (tip_id);

CREATE TABLE tip_message (
    id INTEGER PRIMARY KEY,
    tip_id INTEGER NOT NULL REFERENCES tip (id) ON DELETE CASCADE,
    from_sender INTEGER NOT NULL CHECK (from_sender IN (0, 1)),
    body_sealed BLOB NOT NULL,
    sent_at TEXT NOT NULL,
    sent_by TEXT
);
CREATE INDEX tip_message_tip ON tip_message (tip_id);
