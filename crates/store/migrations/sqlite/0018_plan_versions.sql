-- Every version of a plan as saved (phiên bản kế hoạch): its content as the
-- engine reads it (JSON), who saved it and how (a file loaded, a draft confirmed
-- in the browser), and what changed from the version before, in words. A
-- corrected plan replaces the current one; the old one stays here. Side by side
-- with the other backend's 0018.
CREATE TABLE plan_version (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plan (id),
    version BIGINT NOT NULL,
    saved_at TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    how TEXT NOT NULL CHECK (how IN ('file', 'draft', 'form')),
    changes TEXT NOT NULL,
    content TEXT NOT NULL,
    UNIQUE (plan_id, version)
);
