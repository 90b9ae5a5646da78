-- The parts of a Vietnamese work report that had no place: the situation
-- (tình hình) and the direction given (chỉ đạo, điều hành), written by the
-- officer like the other sections; and the report's own date (ngày ban hành),
-- editable while it is a draft and set on submission when left blank.
-- Side by side with the other backend's 0013.
ALTER TABLE report ADD COLUMN situation TEXT NOT NULL DEFAULT '';
ALTER TABLE report ADD COLUMN direction TEXT NOT NULL DEFAULT '';
ALTER TABLE report ADD COLUMN issued_on TEXT;
