-- A key set once when a support case or tip is made and never changed: the
-- erasure register (store/src/erasures.rs) names an erased record by it, since
-- an id is given again after a restore and a case's code or a tip's day can be
-- edited before the erasure. Side by side with the other backend's 0024 (there
-- a column default, here a trigger: SQLite takes no random default on ALTER).
ALTER TABLE support_case ADD COLUMN erasure_key TEXT;
ALTER TABLE tip ADD COLUMN erasure_key TEXT;
UPDATE support_case SET erasure_key = lower(hex(randomblob(16)));
UPDATE tip SET erasure_key = lower(hex(randomblob(16)));

CREATE TRIGGER support_case_erasure_key AFTER INSERT ON support_case WHEN NEW.erasure_key IS NULL BEGIN
    UPDATE support_case SET erasure_key = lower(hex(randomblob(16))) WHERE id = NEW.id;
END;
CREATE TRIGGER tip_erasure_key AFTER INSERT ON tip WHEN NEW.erasure_key IS NULL BEGIN
    UPDATE tip SET erasure_key = lower(hex(randomblob(16))) WHERE id = NEW.id;
END;
CREATE TRIGGER support_case_erasure_key_fixed BEFORE UPDATE OF erasure_key ON support_case
WHEN OLD.erasure_key IS NOT NULL AND NEW.erasure_key IS NOT OLD.erasure_key BEGIN
    SELECT RAISE(ABORT, 'erasure_key is set once');
END;
CREATE TRIGGER tip_erasure_key_fixed BEFORE UPDATE OF erasure_key ON tip
WHEN OLD.erasure_key IS NOT NULL AND NEW.erasure_key IS NOT OLD.erasure_key BEGIN
    SELECT RAISE(ABORT, 'erasure_key is set once');
END;
