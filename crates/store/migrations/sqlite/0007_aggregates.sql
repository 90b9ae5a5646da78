-- Maintained aggregates (số liệu tổng hợp duy trì sẵn): per unit and month,
-- kept up to date by triggers in the same transaction as the record, so a
-- figure read from them is as current as the records themselves. The target
-- engine sums whole months from here and reads only the days of a partly
-- covered month from the record tables. Kept side by side with the other
-- backend's 0007_aggregates.sql (SQLite: row triggers; PostgreSQL: statement
-- triggers over transition tables). Derived data: not in backups; rebuilt by
-- the triggers when a backup is restored.

-- Activities by unit and month (`YYYY-MM` of held_on).
CREATE TABLE activity_month (
    unit_id BIGINT NOT NULL,
    month TEXT NOT NULL,
    activities BIGINT NOT NULL,
    at_risk_workers BIGINT NOT NULL,
    industrial_workers BIGINT NOT NULL,
    students BIGINT NOT NULL,
    PRIMARY KEY (unit_id, month)
);

INSERT INTO activity_month
SELECT unit_id, SUBSTR(held_on, 1, 7), COUNT(*), SUM(reached_at_risk_workers), SUM(reached_industrial_workers), SUM(reached_students)
FROM activity GROUP BY unit_id, SUBSTR(held_on, 1, 7);

CREATE TRIGGER activity_month_insert AFTER INSERT ON activity BEGIN
    INSERT INTO activity_month VALUES (NEW.unit_id, SUBSTR(NEW.held_on, 1, 7), 1, NEW.reached_at_risk_workers, NEW.reached_industrial_workers, NEW.reached_students)
    ON CONFLICT (unit_id, month) DO UPDATE SET activities = activities + 1, at_risk_workers = at_risk_workers + excluded.at_risk_workers,
        industrial_workers = industrial_workers + excluded.industrial_workers, students = students + excluded.students;
END;

CREATE TRIGGER activity_month_delete AFTER DELETE ON activity BEGIN
    UPDATE activity_month SET activities = activities - 1, at_risk_workers = at_risk_workers - OLD.reached_at_risk_workers,
        industrial_workers = industrial_workers - OLD.reached_industrial_workers, students = students - OLD.reached_students
    WHERE unit_id = OLD.unit_id AND month = SUBSTR(OLD.held_on, 1, 7);
    DELETE FROM activity_month WHERE unit_id = OLD.unit_id AND month = SUBSTR(OLD.held_on, 1, 7) AND activities = 0;
END;

CREATE TRIGGER activity_month_update AFTER UPDATE OF unit_id, held_on, reached_at_risk_workers, reached_industrial_workers, reached_students ON activity BEGIN
    UPDATE activity_month SET activities = activities - 1, at_risk_workers = at_risk_workers - OLD.reached_at_risk_workers,
        industrial_workers = industrial_workers - OLD.reached_industrial_workers, students = students - OLD.reached_students
    WHERE unit_id = OLD.unit_id AND month = SUBSTR(OLD.held_on, 1, 7);
    DELETE FROM activity_month WHERE unit_id = OLD.unit_id AND month = SUBSTR(OLD.held_on, 1, 7) AND activities = 0;
    INSERT INTO activity_month VALUES (NEW.unit_id, SUBSTR(NEW.held_on, 1, 7), 1, NEW.reached_at_risk_workers, NEW.reached_industrial_workers, NEW.reached_students)
    ON CONFLICT (unit_id, month) DO UPDATE SET activities = activities + 1, at_risk_workers = at_risk_workers + excluded.at_risk_workers,
        industrial_workers = industrial_workers + excluded.industrial_workers, students = students + excluded.students;
END;

-- Tips by unit and the month of their deadline (the extended one when granted):
-- how many fell due, how many were settled by it, how many are still open.
CREATE TABLE tip_month (
    unit_id BIGINT NOT NULL,
    month TEXT NOT NULL,
    due BIGINT NOT NULL,
    on_time BIGINT NOT NULL,
    still_open BIGINT NOT NULL,
    PRIMARY KEY (unit_id, month)
);

INSERT INTO tip_month
SELECT unit_id, SUBSTR(COALESCE(extended_until, deadline), 1, 7), COUNT(*),
    SUM(CASE WHEN closed_on IS NOT NULL AND closed_on <= COALESCE(extended_until, deadline) THEN 1 ELSE 0 END),
    SUM(CASE WHEN closed_on IS NULL THEN 1 ELSE 0 END)
FROM tip GROUP BY unit_id, SUBSTR(COALESCE(extended_until, deadline), 1, 7);

CREATE TRIGGER tip_month_insert AFTER INSERT ON tip BEGIN
    INSERT INTO tip_month VALUES (NEW.unit_id, SUBSTR(COALESCE(NEW.extended_until, NEW.deadline), 1, 7), 1,
        CASE WHEN NEW.closed_on IS NOT NULL AND NEW.closed_on <= COALESCE(NEW.extended_until, NEW.deadline) THEN 1 ELSE 0 END,
        CASE WHEN NEW.closed_on IS NULL THEN 1 ELSE 0 END)
    ON CONFLICT (unit_id, month) DO UPDATE SET due = due + 1, on_time = on_time + excluded.on_time, still_open = still_open + excluded.still_open;
END;

CREATE TRIGGER tip_month_delete AFTER DELETE ON tip BEGIN
    UPDATE tip_month SET due = due - 1,
        on_time = on_time - (CASE WHEN OLD.closed_on IS NOT NULL AND OLD.closed_on <= COALESCE(OLD.extended_until, OLD.deadline) THEN 1 ELSE 0 END),
        still_open = still_open - (CASE WHEN OLD.closed_on IS NULL THEN 1 ELSE 0 END)
    WHERE unit_id = OLD.unit_id AND month = SUBSTR(COALESCE(OLD.extended_until, OLD.deadline), 1, 7);
    DELETE FROM tip_month WHERE unit_id = OLD.unit_id AND month = SUBSTR(COALESCE(OLD.extended_until, OLD.deadline), 1, 7) AND due = 0;
END;

CREATE TRIGGER tip_month_update AFTER UPDATE OF unit_id, deadline, extended_until, closed_on ON tip BEGIN
    UPDATE tip_month SET due = due - 1,
        on_time = on_time - (CASE WHEN OLD.closed_on IS NOT NULL AND OLD.closed_on <= COALESCE(OLD.extended_until, OLD.deadline) THEN 1 ELSE 0 END),
        still_open = still_open - (CASE WHEN OLD.closed_on IS NULL THEN 1 ELSE 0 END)
    WHERE unit_id = OLD.unit_id AND month = SUBSTR(COALESCE(OLD.extended_until, OLD.deadline), 1, 7);
    DELETE FROM tip_month WHERE unit_id = OLD.unit_id AND month = SUBSTR(COALESCE(OLD.extended_until, OLD.deadline), 1, 7) AND due = 0;
    INSERT INTO tip_month VALUES (NEW.unit_id, SUBSTR(COALESCE(NEW.extended_until, NEW.deadline), 1, 7), 1,
        CASE WHEN NEW.closed_on IS NOT NULL AND NEW.closed_on <= COALESCE(NEW.extended_until, NEW.deadline) THEN 1 ELSE 0 END,
        CASE WHEN NEW.closed_on IS NULL THEN 1 ELSE 0 END)
    ON CONFLICT (unit_id, month) DO UPDATE SET due = due + 1, on_time = on_time + excluded.on_time, still_open = still_open + excluded.still_open;
END;

-- The tips of a day range by their effective deadline (the days of a partly covered month).
CREATE INDEX tip_due ON tip (COALESCE(extended_until, deadline));

-- The months of each year in which an establishment was inspected: bit m-1 of
-- `months` is set when it was inspected in month m. An inspection added sets
-- its bit; one removed or moved has its year recomputed from the inspections.
CREATE TABLE establishment_year (
    establishment_id BIGINT NOT NULL,
    year TEXT NOT NULL,
    months BIGINT NOT NULL,
    PRIMARY KEY (establishment_id, year)
);

INSERT INTO establishment_year
SELECT establishment_id, SUBSTR(inspected_on, 1, 4), SUM(DISTINCT CAST(1 AS BIGINT) << (CAST(SUBSTR(inspected_on, 6, 2) AS INTEGER) - 1))
FROM inspection GROUP BY establishment_id, SUBSTR(inspected_on, 1, 4);

CREATE TRIGGER establishment_year_insert AFTER INSERT ON inspection BEGIN
    INSERT INTO establishment_year VALUES (NEW.establishment_id, SUBSTR(NEW.inspected_on, 1, 4), CAST(1 AS BIGINT) << (CAST(SUBSTR(NEW.inspected_on, 6, 2) AS INTEGER) - 1))
    ON CONFLICT (establishment_id, year) DO UPDATE SET months = months | excluded.months;
END;

CREATE TRIGGER establishment_year_delete AFTER DELETE ON inspection BEGIN
    DELETE FROM establishment_year WHERE establishment_id = OLD.establishment_id AND year = SUBSTR(OLD.inspected_on, 1, 4);
    INSERT INTO establishment_year
    SELECT establishment_id, SUBSTR(inspected_on, 1, 4), SUM(DISTINCT CAST(1 AS BIGINT) << (CAST(SUBSTR(inspected_on, 6, 2) AS INTEGER) - 1))
    FROM inspection WHERE establishment_id = OLD.establishment_id AND SUBSTR(inspected_on, 1, 4) = SUBSTR(OLD.inspected_on, 1, 4)
    GROUP BY establishment_id, SUBSTR(inspected_on, 1, 4);
END;

CREATE TRIGGER establishment_year_update AFTER UPDATE OF establishment_id, inspected_on ON inspection BEGIN
    DELETE FROM establishment_year WHERE establishment_id = OLD.establishment_id AND year = SUBSTR(OLD.inspected_on, 1, 4);
    INSERT INTO establishment_year
    SELECT establishment_id, SUBSTR(inspected_on, 1, 4), SUM(DISTINCT CAST(1 AS BIGINT) << (CAST(SUBSTR(inspected_on, 6, 2) AS INTEGER) - 1))
    FROM inspection WHERE establishment_id = OLD.establishment_id AND SUBSTR(inspected_on, 1, 4) = SUBSTR(OLD.inspected_on, 1, 4)
    GROUP BY establishment_id, SUBSTR(inspected_on, 1, 4);
    INSERT INTO establishment_year VALUES (NEW.establishment_id, SUBSTR(NEW.inspected_on, 1, 4), CAST(1 AS BIGINT) << (CAST(SUBSTR(NEW.inspected_on, 6, 2) AS INTEGER) - 1))
    ON CONFLICT (establishment_id, year) DO UPDATE SET months = months | excluded.months;
END;

-- A unit's tips and support cases (a unit's own lists and figures). Every query
-- on a tip's deadline reads the effective one (tip_due), so the plain index goes.
CREATE INDEX tip_unit ON tip (unit_id, received_on);
DROP INDEX tip_deadline;
CREATE INDEX support_case_unit ON support_case (unit_id);
