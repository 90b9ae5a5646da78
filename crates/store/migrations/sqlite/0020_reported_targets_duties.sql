-- Targets no indicator computes, reporting duties, and reports from agencies.
-- * `target.reporter_agency_id`: for a target whose indicator is `reported`
--   (chỉ tiêu do cơ quan báo cáo), the agency that reports its value.
-- * `target_value`: the values reported for such a target, each for a unit
--   and a period, with its evidence (a text, and a file kept with it); a
--   later value for the same period stands in for an earlier one, which stays.
-- * `plan_duty`: a plan's reporting duties (chế độ báo cáo) as data: how
--   often, on which cut-off, due how many days after it, who reports (units
--   of a level, the agencies the plan gives tasks, or both), to whom and
--   through which agency.
-- * `report.agency_id`: a report from an agency on its tasks (báo cáo của sở,
--   ngành) beside the units' reports; one report per plan, unit, agency and
--   period. SQLite cannot change a UNIQUE constraint, so the table is rebuilt
--   (foreign keys are off while the store migrates SQLite, and checked after).
-- Side by side with the other backend's 0020.
ALTER TABLE target ADD COLUMN reporter_agency_id BIGINT REFERENCES agency (id);

CREATE TABLE target_value (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    target_code TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES unit (id),
    period_label TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    evidence TEXT NOT NULL,
    file_name TEXT,
    file_type TEXT,
    file_bytes BLOB,
    agency_id BIGINT REFERENCES agency (id),
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    CHECK (period_from <= period_to)
);
CREATE INDEX target_value_of ON target_value (plan_id, target_code, unit_id);

CREATE TABLE plan_duty (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    code TEXT NOT NULL,
    text TEXT NOT NULL,
    -- One or more of quarterly, six_monthly, yearly, joined by commas.
    frequency TEXT NOT NULL,
    cutoff TEXT NOT NULL CHECK (cutoff IN ('decree09', 'calendar')),
    due_days BIGINT NOT NULL CHECK (due_days >= 0),
    due_basis TEXT NOT NULL,
    reporters TEXT NOT NULL CHECK (reporters IN ('units', 'agencies', 'units_and_agencies')),
    unit_level TEXT CHECK (unit_level IN ('province', 'district', 'commune')),
    recipient TEXT NOT NULL,
    through_agency_id BIGINT REFERENCES agency (id),
    UNIQUE (plan_id, code)
);

CREATE TABLE report_new (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES unit (id),
    agency_id BIGINT REFERENCES agency (id),
    period_label TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'accepted', 'returned')),
    results TEXT NOT NULL DEFAULT '',
    shortcomings TEXT NOT NULL DEFAULT '',
    causes TEXT NOT NULL DEFAULT '',
    tasks_ahead TEXT NOT NULL DEFAULT '',
    proposals TEXT NOT NULL DEFAULT '',
    comment TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    submitted_by TEXT,
    submitted_at TEXT,
    decided_by TEXT,
    decided_at TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    situation TEXT NOT NULL DEFAULT '',
    direction TEXT NOT NULL DEFAULT '',
    issued_on TEXT
);
INSERT INTO report_new (id, plan_id, unit_id, agency_id, period_label, period_from, period_to, status, results, shortcomings, causes,
    tasks_ahead, proposals, comment, created_by, created_at, submitted_by, submitted_at, decided_by, decided_at, version, situation, direction, issued_on)
SELECT id, plan_id, unit_id, NULL, period_label, period_from, period_to, status, results, shortcomings, causes,
    tasks_ahead, proposals, comment, created_by, created_at, submitted_by, submitted_at, decided_by, decided_at, version, situation, direction, issued_on
FROM report;
DROP TABLE report;
ALTER TABLE report_new RENAME TO report;
CREATE UNIQUE INDEX report_one ON report (plan_id, unit_id, COALESCE(agency_id, 0), period_from, period_to);
CREATE INDEX report_lock ON report (status, unit_id, period_from, period_to);
