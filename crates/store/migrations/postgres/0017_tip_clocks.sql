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
-- Side by side with the other backend's 0017.
ALTER TABLE deadline_rule ADD COLUMN spec TEXT;

CREATE TABLE rest_day (
    day TEXT PRIMARY KEY,
    worked BIGINT NOT NULL DEFAULT 0 CHECK (worked IN (0, 1))
);

ALTER TABLE tip DROP CONSTRAINT tip_category_check;
ALTER TABLE tip ADD CONSTRAINT tip_category_check
    CHECK (category IN ('denunciation', 'crime_report', 'accusation', 'complaint', 'second_complaint', 'admin_violation'));
ALTER TABLE tip DROP CONSTRAINT tip_status_check;
ALTER TABLE tip ADD CONSTRAINT tip_status_check
    CHECK (status IN ('received', 'verifying', 'classified', 'suspended', 'handled', 'transferred', 'dismissed'));
ALTER TABLE tip ADD COLUMN is_very_complex BIGINT NOT NULL DEFAULT 0 CHECK (is_very_complex IN (0, 1));
ALTER TABLE tip ADD COLUMN accepted_on TEXT;
ALTER TABLE tip ADD COLUMN suspended_on TEXT;
ALTER TABLE tip ADD COLUMN resumed_on TEXT;
ALTER TABLE tip ADD COLUMN due_on TEXT;
ALTER TABLE tip ALTER COLUMN deadline DROP NOT NULL;
ALTER TABLE tip ADD CONSTRAINT tip_resumed_after_suspended
    CHECK (resumed_on IS NULL OR (suspended_on IS NOT NULL AND resumed_on >= suspended_on));

-- tip_month (0007) counted each tip by COALESCE(extended_until, deadline): the
-- same day as `due_on`, so its rows stay as they are while the column is filled.
ALTER TABLE tip DISABLE TRIGGER tip_month_update;
UPDATE tip SET due_on = COALESCE(extended_until, deadline);
ALTER TABLE tip ENABLE TRIGGER tip_month_update;

DROP INDEX tip_due;
-- The tips of a day range by the day they are due (the days of a partly covered month).
CREATE INDEX tip_due ON tip (due_on);

-- A tip with no clock running is not due in any month.
CREATE OR REPLACE FUNCTION tip_month_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        WITH d AS (
            SELECT unit_id, SUBSTR(due_on, 1, 7) AS month, COUNT(*) AS n,
                SUM(CASE WHEN closed_on IS NOT NULL AND closed_on <= due_on THEN 1 ELSE 0 END) AS t,
                SUM(CASE WHEN closed_on IS NULL THEN 1 ELSE 0 END) AS o
            FROM old_rows WHERE due_on IS NOT NULL GROUP BY unit_id, SUBSTR(due_on, 1, 7)
        )
        UPDATE tip_month m SET due = m.due - d.n, on_time = m.on_time - d.t, still_open = m.still_open - d.o
        FROM d WHERE m.unit_id = d.unit_id AND m.month = d.month;
        DELETE FROM tip_month m USING (SELECT DISTINCT unit_id, SUBSTR(due_on, 1, 7) AS month FROM old_rows WHERE due_on IS NOT NULL) d
        WHERE m.unit_id = d.unit_id AND m.month = d.month AND m.due = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tip_month
        SELECT unit_id, SUBSTR(due_on, 1, 7), COUNT(*),
            SUM(CASE WHEN closed_on IS NOT NULL AND closed_on <= due_on THEN 1 ELSE 0 END),
            SUM(CASE WHEN closed_on IS NULL THEN 1 ELSE 0 END)
        FROM new_rows WHERE due_on IS NOT NULL GROUP BY unit_id, SUBSTR(due_on, 1, 7) ORDER BY 1, 2
        ON CONFLICT (unit_id, month) DO UPDATE SET due = tip_month.due + EXCLUDED.due, on_time = tip_month.on_time + EXCLUDED.on_time,
            still_open = tip_month.still_open + EXCLUDED.still_open;
    END IF;
    RETURN NULL;
END $$;
