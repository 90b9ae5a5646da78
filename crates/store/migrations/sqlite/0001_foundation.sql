-- Foundation: administrative units across the 2025 reform, agencies and the
-- programme's lead, plans with targets, tasks and budget lines.
-- Kept side by side with ../postgres/0001_foundation.sql: the same tables and
-- columns; only the way ids are generated differs. Dates are ISO text
-- (YYYY-MM-DD) on both backends, so one SQL text serves both and text order
-- is date order; money is whole đồng in BIGINT.

CREATE TABLE dataset (
    name TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);

CREATE TABLE unit (
    id BIGINT PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    unit_type TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune')),
    parent_id BIGINT REFERENCES unit (id),
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    area_km2 DOUBLE PRECISION,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    CHECK (valid_from <= valid_to)
);
CREATE UNIQUE INDEX unit_level_code_from ON unit (level, code, valid_from);
CREATE INDEX unit_code ON unit (code);
CREATE INDEX unit_parent ON unit (parent_id);

CREATE TABLE unit_successor (
    old_unit_id BIGINT NOT NULL REFERENCES unit (id),
    new_unit_id BIGINT NOT NULL REFERENCES unit (id),
    kind TEXT NOT NULL CHECK (kind IN ('whole', 'split', 'split-default')),
    PRIMARY KEY (old_unit_id, new_unit_id)
);
CREATE INDEX unit_successor_new ON unit_successor (new_unit_id);

CREATE TABLE agency (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    short_name TEXT,
    kind TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES unit (id),
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX agency_unit ON agency (unit_id);

CREATE TABLE lead_agency (
    id INTEGER PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES unit (id),
    agency_id BIGINT NOT NULL REFERENCES agency (id),
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    basis TEXT NOT NULL,
    UNIQUE (unit_id, valid_from)
);

CREATE TABLE plan (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    number TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('resolution', 'plan', 'decision', 'programme')),
    title TEXT NOT NULL,
    issuer TEXT NOT NULL,
    issued_on TEXT,
    unit_id BIGINT REFERENCES unit (id),
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    parent_id BIGINT REFERENCES plan (id),
    note TEXT,
    original_text TEXT,
    budget_total BIGINT CHECK (budget_total >= 0),
    budget_source TEXT,
    content_hash TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    CHECK (period_from <= period_to)
);
CREATE INDEX plan_number ON plan (number);

CREATE TABLE target (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    code TEXT NOT NULL,
    group_code TEXT NOT NULL,
    clause TEXT,
    text TEXT NOT NULL,
    indicator TEXT NOT NULL,
    indicator_kind TEXT NOT NULL,
    comparator TEXT NOT NULL CHECK (comparator IN ('at_least', 'at_most', 'between')),
    threshold_low DOUBLE PRECISION NOT NULL,
    threshold_high DOUBLE PRECISION,
    evaluation TEXT NOT NULL CHECK (evaluation IN ('each_year', 'whole_period')),
    scope_level TEXT NOT NULL CHECK (scope_level IN ('province', 'district', 'commune')),
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (plan_id, code)
);

CREATE TABLE task (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    lead_agency_id BIGINT NOT NULL REFERENCES agency (id),
    due TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (plan_id, code)
);

CREATE TABLE task_co_agency (
    task_id BIGINT NOT NULL REFERENCES task (id) ON DELETE CASCADE,
    agency_id BIGINT NOT NULL REFERENCES agency (id),
    PRIMARY KEY (task_id, agency_id)
);

CREATE TABLE budget_line (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
    item TEXT NOT NULL,
    agency_id BIGINT REFERENCES agency (id),
    allocated BIGINT NOT NULL CHECK (allocated >= 0),
    spent BIGINT CHECK (spent >= 0),
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX budget_line_plan ON budget_line (plan_id, year);
