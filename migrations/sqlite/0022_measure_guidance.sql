-- How to count a monitoring measure ("Count a week for each person who ..."), shown beside
-- it on every monitoring return.
ALTER TABLE round_measures ADD COLUMN guidance TEXT NOT NULL DEFAULT '';
