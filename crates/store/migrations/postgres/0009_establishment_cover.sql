-- The engine sums establishments by unit over a range of days: an index that
-- holds every column it reads lets it do so without visiting each row
-- (national evaluation: 0.26 s to 0.18 s for one range on SQLite).
CREATE INDEX establishment_unit_open ON establishment (unit_id, opened_on, closed_on, workers);
