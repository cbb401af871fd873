-- Who a board member represents (domain::board::Constituency's code; '' for anyone else).
ALTER TABLE users ADD COLUMN constituency TEXT NOT NULL DEFAULT '';
