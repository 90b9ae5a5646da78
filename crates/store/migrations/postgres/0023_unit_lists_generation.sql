-- The generation of the unit lists: moved by every write to `unit` or
-- `unit_successor`, whoever makes it (a unit change in the browser on any node,
-- `pcmd demo`, a restore). Each `pcmd serve` keeps the lists in memory and
-- reads this number every few seconds: when it has moved, the lists are read
-- again, so a change recorded on one node reaches every other node's figures
-- and scopes without a restart. Side by side with the other backend's 0023
-- (here the triggers fire once per statement, there once per row).
CREATE TABLE unit_lists (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO unit_lists (id, generation) VALUES (1, 0);

CREATE FUNCTION unit_lists_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE unit_lists SET generation = generation + 1 WHERE id = 1;
    RETURN NULL;
END $$;

CREATE TRIGGER unit_lists_unit_insert AFTER INSERT ON unit
    FOR EACH STATEMENT EXECUTE FUNCTION unit_lists_move();
CREATE TRIGGER unit_lists_unit_update AFTER UPDATE ON unit
    FOR EACH STATEMENT EXECUTE FUNCTION unit_lists_move();
CREATE TRIGGER unit_lists_unit_delete AFTER DELETE ON unit
    FOR EACH STATEMENT EXECUTE FUNCTION unit_lists_move();
CREATE TRIGGER unit_lists_successor_insert AFTER INSERT ON unit_successor
    FOR EACH STATEMENT EXECUTE FUNCTION unit_lists_move();
CREATE TRIGGER unit_lists_successor_update AFTER UPDATE ON unit_successor
    FOR EACH STATEMENT EXECUTE FUNCTION unit_lists_move();
CREATE TRIGGER unit_lists_successor_delete AFTER DELETE ON unit_successor
    FOR EACH STATEMENT EXECUTE FUNCTION unit_lists_move();
