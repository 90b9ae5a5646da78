-- `establishment_unit (unit_id)` is the first column of `establishment_unit_open`
-- (0009), which serves every look-up by unit: one index fewer to keep up on
-- every establishment written. Side by side with the other backend's 0022.
DROP INDEX IF EXISTS establishment_unit;
