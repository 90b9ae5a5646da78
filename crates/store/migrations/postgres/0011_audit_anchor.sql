-- The audit chain anchored under a key kept outside the database: each entry
-- also carries an HMAC-SHA256 of its hash chained to the previous entry's MAC
-- (NULL for entries written before anchoring or by a process without the key).
-- Someone with write access to the database but not the key cannot recompute
-- it, so rewriting the chain is detected by `pcmd audit verify`.
ALTER TABLE audit_log ADD COLUMN mac TEXT;
ALTER TABLE audit_head ADD COLUMN last_mac TEXT;
