-- Every scheme has a start date (rows made before 0011 could hold ''): its award's day, so that
-- a stored day always reads as a date (app::db::types).
UPDATE schemes SET starts_on = SUBSTR(created_at, 1, 10) WHERE starts_on = '';
