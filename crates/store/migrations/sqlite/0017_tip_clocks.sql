-- Categories and legal clocks under the law in force on a tip's date:
-- * tố cáo (Law on Denunciations, `accusation`) and reports of administrative
--   violations (`admin_violation`) as categories; `suspended` (tạm đình chỉ) as a status;
-- * the acceptance day (thụ lý) or the record day of a violation (`accepted_on`),
--   particular complexity, suspension and resumption;
-- * `due_on`: the day a tip is due, extension and suspension counted, which
--   every figure of tips settled on time counts against (NULL while no clock
--   runs: suspended, or an administrative matter with no record yet); `deadline`
--   is the legal limit before extension, NULL in the same cases.
-- * each rule's full description (`spec`) and the days off that working-day
--   periods skip (`rest_day`).
-- SQLite cannot change a CHECK, so the table is rebuilt; the store runs the
-- SQLite migrations with foreign keys off and checks them afterwards, so that
-- dropping the old table takes no status history, receipt or message with it.
-- Side by side with the other backend's 0017.
ALTER TABLE deadline_rule ADD COLUMN spec TEXT;

CREATE TABLE rest_day (
    day TEXT PRIMARY KEY,
    worked BIGINT NOT NULL DEFAULT 0 CHECK (worked IN (0, 1))
);

CREATE TABLE tip_new (
    id INTEGER PRIMARY KEY,
    received_on TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('public_portal', 'phone', 'in_person', 'transferred', 'other')),
    category TEXT NOT NULL CHECK (category IN ('denunciation', 'crime_report', 'accusation', 'complaint', 'second_complaint', 'admin_violation')),
    unit_id BIGINT NOT NULL REFERENCES unit (id),
    assigned_unit_id BIGINT REFERENCES unit (id),
    assigned_agency_id BIGINT REFERENCES agency (id),
    content_sealed BLOB,
    is_complex BIGINT NOT NULL DEFAULT 0 CHECK (is_complex IN (0, 1)),
    is_remote BIGINT NOT NULL DEFAULT 0 CHECK (is_remote IN (0, 1)),
    is_very_complex BIGINT NOT NULL DEFAULT 0 CHECK (is_very_complex IN (0, 1)),
    status TEXT NOT NULL CHECK (status IN ('received', 'verifying', 'classified', 'suspended', 'handled', 'transferred', 'dismissed')),
    rule_code TEXT NOT NULL REFERENCES deadline_rule (code),
    accepted_on TEXT,
    deadline TEXT,
    extended_until TEXT,
    suspended_on TEXT,
    resumed_on TEXT,
    due_on TEXT,
    closed_on TEXT,
    outcome TEXT,
    source TEXT NOT NULL DEFAULT 'entry' CHECK (source IN ('entry', 'import', 'synthetic', 'public')),
    entered_by TEXT,
    entered_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    anonymised_on TEXT,
    CHECK (closed_on IS NULL OR closed_on >= received_on),
    CHECK (resumed_on IS NULL OR (suspended_on IS NOT NULL AND resumed_on >= suspended_on))
);

INSERT INTO tip_new (id, received_on, channel, category, unit_id, assigned_unit_id, assigned_agency_id, content_sealed,
    is_complex, is_remote, status, rule_code, deadline, extended_until, due_on, closed_on, outcome, source,
    entered_by, entered_at, version, anonymised_on)
SELECT id, received_on, channel, category, unit_id, assigned_unit_id, assigned_agency_id, content_sealed,
    is_complex, is_remote, status, rule_code, deadline, extended_until, COALESCE(extended_until, deadline), closed_on, outcome, source,
    entered_by, entered_at, version, anonymised_on
FROM tip;

DROP TABLE tip;
ALTER TABLE tip_new RENAME TO tip;

CREATE INDEX tip_received ON tip (received_on);
CREATE INDEX tip_unit ON tip (unit_id, received_on);
CREATE INDEX tip_closed ON tip (closed_on);
-- The tips of a day range by the day they are due (the days of a partly covered month).
CREATE INDEX tip_due ON tip (due_on);

-- tip_month (0007) counts tips by the month they are due; a tip with no clock
-- running is not due in any month. Its rows were counted by the same day
-- (COALESCE(extended_until, deadline), now `due_on`) and stay as they are.
CREATE TRIGGER tip_month_insert AFTER INSERT ON tip WHEN NEW.due_on IS NOT NULL BEGIN
    INSERT INTO tip_month VALUES (NEW.unit_id, SUBSTR(NEW.due_on, 1, 7), 1,
        CASE WHEN NEW.closed_on IS NOT NULL AND NEW.closed_on <= NEW.due_on THEN 1 ELSE 0 END,
        CASE WHEN NEW.closed_on IS NULL THEN 1 ELSE 0 END)
    ON CONFLICT (unit_id, month) DO UPDATE SET due = due + 1, on_time = on_time + excluded.on_time, still_open = still_open + excluded.still_open;
END;

CREATE TRIGGER tip_month_delete AFTER DELETE ON tip WHEN OLD.due_on IS NOT NULL BEGIN
    UPDATE tip_month SET due = due - 1,
        on_time = on_time - (CASE WHEN OLD.closed_on IS NOT NULL AND OLD.closed_on <= OLD.due_on THEN 1 ELSE 0 END),
        still_open = still_open - (CASE WHEN OLD.closed_on IS NULL THEN 1 ELSE 0 END)
    WHERE unit_id = OLD.unit_id AND month = SUBSTR(OLD.due_on, 1, 7);
    DELETE FROM tip_month WHERE unit_id = OLD.unit_id AND month = SUBSTR(OLD.due_on, 1, 7) AND due = 0;
END;

-- One trigger, as on PostgreSQL: the old row leaves its month (a NULL due_on
-- matches no month), the new row joins its month when it has a due date.
CREATE TRIGGER tip_month_update AFTER UPDATE OF unit_id, due_on, closed_on ON tip BEGIN
    UPDATE tip_month SET due = due - 1,
        on_time = on_time - (CASE WHEN OLD.closed_on IS NOT NULL AND OLD.closed_on <= OLD.due_on THEN 1 ELSE 0 END),
        still_open = still_open - (CASE WHEN OLD.closed_on IS NULL THEN 1 ELSE 0 END)
    WHERE unit_id = OLD.unit_id AND month = SUBSTR(OLD.due_on, 1, 7);
    DELETE FROM tip_month WHERE unit_id = OLD.unit_id AND month = SUBSTR(OLD.due_on, 1, 7) AND due = 0;
    INSERT INTO tip_month SELECT NEW.unit_id, SUBSTR(NEW.due_on, 1, 7), 1,
        CASE WHEN NEW.closed_on IS NOT NULL AND NEW.closed_on <= NEW.due_on THEN 1 ELSE 0 END,
        CASE WHEN NEW.closed_on IS NULL THEN 1 ELSE 0 END
    WHERE NEW.due_on IS NOT NULL
    ON CONFLICT (unit_id, month) DO UPDATE SET due = due + 1, on_time = on_time + excluded.on_time, still_open = still_open + excluded.still_open;
END;
