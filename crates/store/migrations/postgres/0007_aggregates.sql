-- Maintained aggregates (số liệu tổng hợp duy trì sẵn): per unit and month,
-- kept up to date by triggers in the same transaction as the record, so a
-- figure read from them is as current as the records themselves. The target
-- engine sums whole months from here and reads only the days of a partly
-- covered month from the record tables. Kept side by side with the other
-- backend's 0007_aggregates.sql (SQLite: row triggers; PostgreSQL: statement
-- triggers over transition tables, one upsert per statement so that a bulk
-- import pays once). Derived data: not in backups; rebuilt by the triggers
-- when a backup is restored.

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

CREATE FUNCTION activity_month_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        WITH d AS (
            SELECT unit_id, SUBSTR(held_on, 1, 7) AS month, COUNT(*) AS n, SUM(reached_at_risk_workers) AS a,
                SUM(reached_industrial_workers) AS b, SUM(reached_students) AS c
            FROM old_rows GROUP BY unit_id, SUBSTR(held_on, 1, 7)
        )
        UPDATE activity_month m SET activities = m.activities - d.n, at_risk_workers = m.at_risk_workers - d.a,
            industrial_workers = m.industrial_workers - d.b, students = m.students - d.c
        FROM d WHERE m.unit_id = d.unit_id AND m.month = d.month;
        DELETE FROM activity_month m USING (SELECT DISTINCT unit_id, SUBSTR(held_on, 1, 7) AS month FROM old_rows) d
        WHERE m.unit_id = d.unit_id AND m.month = d.month AND m.activities = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO activity_month
        SELECT unit_id, SUBSTR(held_on, 1, 7), COUNT(*), SUM(reached_at_risk_workers), SUM(reached_industrial_workers), SUM(reached_students)
        FROM new_rows GROUP BY unit_id, SUBSTR(held_on, 1, 7) ORDER BY 1, 2
        ON CONFLICT (unit_id, month) DO UPDATE SET activities = activity_month.activities + EXCLUDED.activities,
            at_risk_workers = activity_month.at_risk_workers + EXCLUDED.at_risk_workers,
            industrial_workers = activity_month.industrial_workers + EXCLUDED.industrial_workers,
            students = activity_month.students + EXCLUDED.students;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER activity_month_insert AFTER INSERT ON activity REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION activity_month_apply();
CREATE TRIGGER activity_month_delete AFTER DELETE ON activity REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION activity_month_apply();
CREATE TRIGGER activity_month_update AFTER UPDATE ON activity REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION activity_month_apply();

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

CREATE FUNCTION tip_month_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        WITH d AS (
            SELECT unit_id, SUBSTR(COALESCE(extended_until, deadline), 1, 7) AS month, COUNT(*) AS n,
                SUM(CASE WHEN closed_on IS NOT NULL AND closed_on <= COALESCE(extended_until, deadline) THEN 1 ELSE 0 END) AS t,
                SUM(CASE WHEN closed_on IS NULL THEN 1 ELSE 0 END) AS o
            FROM old_rows GROUP BY unit_id, SUBSTR(COALESCE(extended_until, deadline), 1, 7)
        )
        UPDATE tip_month m SET due = m.due - d.n, on_time = m.on_time - d.t, still_open = m.still_open - d.o
        FROM d WHERE m.unit_id = d.unit_id AND m.month = d.month;
        DELETE FROM tip_month m USING (SELECT DISTINCT unit_id, SUBSTR(COALESCE(extended_until, deadline), 1, 7) AS month FROM old_rows) d
        WHERE m.unit_id = d.unit_id AND m.month = d.month AND m.due = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tip_month
        SELECT unit_id, SUBSTR(COALESCE(extended_until, deadline), 1, 7), COUNT(*),
            SUM(CASE WHEN closed_on IS NOT NULL AND closed_on <= COALESCE(extended_until, deadline) THEN 1 ELSE 0 END),
            SUM(CASE WHEN closed_on IS NULL THEN 1 ELSE 0 END)
        FROM new_rows GROUP BY unit_id, SUBSTR(COALESCE(extended_until, deadline), 1, 7) ORDER BY 1, 2
        ON CONFLICT (unit_id, month) DO UPDATE SET due = tip_month.due + EXCLUDED.due, on_time = tip_month.on_time + EXCLUDED.on_time,
            still_open = tip_month.still_open + EXCLUDED.still_open;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER tip_month_insert AFTER INSERT ON tip REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tip_month_apply();
CREATE TRIGGER tip_month_delete AFTER DELETE ON tip REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tip_month_apply();
CREATE TRIGGER tip_month_update AFTER UPDATE ON tip REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tip_month_apply();

-- The tips of a day range by their effective deadline (the days of a partly covered month).
CREATE INDEX tip_due ON tip ((COALESCE(extended_until, deadline)));

-- The months of each year in which an establishment was inspected: bit m-1 of
-- `months` is set when it was inspected in month m. Inspections added set
-- their bits; removed or moved ones have their years recomputed.
CREATE TABLE establishment_year (
    establishment_id BIGINT NOT NULL,
    year TEXT NOT NULL,
    months BIGINT NOT NULL,
    PRIMARY KEY (establishment_id, year)
);

INSERT INTO establishment_year
SELECT establishment_id, SUBSTR(inspected_on, 1, 4), CAST(SUM(DISTINCT CAST(1 AS BIGINT) << (CAST(SUBSTR(inspected_on, 6, 2) AS INTEGER) - 1)) AS BIGINT)
FROM inspection GROUP BY establishment_id, SUBSTR(inspected_on, 1, 4);

CREATE FUNCTION establishment_year_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM establishment_year y USING (SELECT DISTINCT establishment_id, SUBSTR(inspected_on, 1, 4) AS year FROM old_rows) d
        WHERE y.establishment_id = d.establishment_id AND y.year = d.year;
        INSERT INTO establishment_year
        SELECT i.establishment_id, SUBSTR(i.inspected_on, 1, 4), CAST(SUM(DISTINCT CAST(1 AS BIGINT) << (CAST(SUBSTR(i.inspected_on, 6, 2) AS INTEGER) - 1)) AS BIGINT)
        FROM inspection i JOIN (SELECT DISTINCT establishment_id, SUBSTR(inspected_on, 1, 4) AS year FROM old_rows) d
            ON i.establishment_id = d.establishment_id AND SUBSTR(i.inspected_on, 1, 4) = d.year
        GROUP BY i.establishment_id, SUBSTR(i.inspected_on, 1, 4) ORDER BY 1, 2
        ON CONFLICT (establishment_id, year) DO UPDATE SET months = EXCLUDED.months;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO establishment_year
        SELECT establishment_id, SUBSTR(inspected_on, 1, 4), CAST(SUM(DISTINCT CAST(1 AS BIGINT) << (CAST(SUBSTR(inspected_on, 6, 2) AS INTEGER) - 1)) AS BIGINT)
        FROM new_rows GROUP BY establishment_id, SUBSTR(inspected_on, 1, 4) ORDER BY 1, 2
        ON CONFLICT (establishment_id, year) DO UPDATE SET months = establishment_year.months | EXCLUDED.months;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER establishment_year_insert AFTER INSERT ON inspection REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION establishment_year_apply();
CREATE TRIGGER establishment_year_delete AFTER DELETE ON inspection REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION establishment_year_apply();
CREATE TRIGGER establishment_year_update AFTER UPDATE ON inspection REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION establishment_year_apply();

-- A unit's tips and support cases (a unit's own lists and figures). Every query
-- on a tip's deadline reads the effective one (tip_due), so the plain index goes.
CREATE INDEX tip_unit ON tip (unit_id, received_on);
DROP INDEX tip_deadline;
CREATE INDEX support_case_unit ON support_case (unit_id);
