-- A number that changes after every change to the data made through the service: each
-- request that may write (any method but GET, HEAD and OPTIONS) and each clock job that
-- changed something adds one when it has finished. Pages worked out from many rows (a
-- round's moderation ranking, a page of the portfolio) are kept in memory with the number
-- they were worked out at, and worked out again once it has moved on (app::kept). Kept in
-- the database, not the process, so that every Seedbed instance sharing it sees a change.
CREATE TABLE data_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL
);
INSERT INTO data_generation (id, n) VALUES (1, 0);
