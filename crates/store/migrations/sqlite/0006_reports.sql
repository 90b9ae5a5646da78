-- Periodic reports (báo cáo định kỳ) of a unit for a plan and period, and their
-- workflow: draft → submitted → accepted, or returned with a comment. An
-- accepted report locks its unit's records for the period until a coordinator
-- reopens it (with a reason, audited). Side by side with the other backend's 0006.
CREATE TABLE report (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES unit (id),
    period_label TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'accepted', 'returned')),
    -- The narrative sections of a Vietnamese work report.
    results TEXT NOT NULL DEFAULT '',
    shortcomings TEXT NOT NULL DEFAULT '',
    causes TEXT NOT NULL DEFAULT '',
    tasks_ahead TEXT NOT NULL DEFAULT '',
    proposals TEXT NOT NULL DEFAULT '',
    -- The coordinator's comment when returning, or the reason for reopening.
    comment TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    submitted_by TEXT,
    submitted_at TEXT,
    decided_by TEXT,
    decided_at TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (plan_id, unit_id, period_from, period_to)
);
CREATE INDEX report_lock ON report (status, unit_id, period_from, period_to);
