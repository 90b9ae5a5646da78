-- A key set once when a support case or tip is made and never changed: the
-- erasure register (store/src/erasures.rs) names an erased record by it, since
-- an id is given again after a restore and a case's code or a tip's day can be
-- edited before the erasure. Side by side with the other backend's 0024 (here
-- a volatile column default, evaluated for every existing row too; nullable as
-- SQLite's, whose ALTER cannot add a column NOT NULL).
ALTER TABLE support_case ADD COLUMN erasure_key TEXT DEFAULT md5(random()::text || clock_timestamp()::text);
ALTER TABLE tip ADD COLUMN erasure_key TEXT DEFAULT md5(random()::text || clock_timestamp()::text);

CREATE FUNCTION erasure_key_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.erasure_key IS DISTINCT FROM OLD.erasure_key THEN
        RAISE EXCEPTION 'erasure_key is set once';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER support_case_erasure_key_fixed BEFORE UPDATE OF erasure_key ON support_case
    FOR EACH ROW EXECUTE FUNCTION erasure_key_fixed();
CREATE TRIGGER tip_erasure_key_fixed BEFORE UPDATE OF erasure_key ON tip
    FOR EACH ROW EXECUTE FUNCTION erasure_key_fixed();

-- A row inserted with the key given as NULL gets one too (as SQLite's trigger does;
-- the column default fills it first otherwise, so the function is not called).
CREATE FUNCTION erasure_key_given() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.erasure_key IS NULL THEN
        NEW.erasure_key := md5(random()::text || clock_timestamp()::text);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER support_case_erasure_key BEFORE INSERT ON support_case
    FOR EACH ROW WHEN (NEW.erasure_key IS NULL) EXECUTE FUNCTION erasure_key_given();
CREATE TRIGGER tip_erasure_key BEFORE INSERT ON tip
    FOR EACH ROW WHEN (NEW.erasure_key IS NULL) EXECUTE FUNCTION erasure_key_given();
