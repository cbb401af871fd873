-- Money across financial years. Each tranche's commitment sits in the pooled fund of the
-- year it is charged to (its planned year, or the round's when planned before it; moved
-- forward when it is paid late or carried forward at the year-end). Tranches awarded before
-- this are charged to their round's fund, as they were.
ALTER TABLE tranches ADD COLUMN fund_id BIGINT REFERENCES funds(id);
UPDATE tranches SET fund_id = (SELECT r.fund_id FROM schemes s JOIN rounds r ON r.id = s.round_id
    WHERE s.id = tranches.scheme_id);
CREATE INDEX tranches_fund ON tranches (fund_id, status);
-- A year's fund is closed by its year-end run: nothing changes in it after that.
ALTER TABLE funds ADD COLUMN closed_at TEXT;
ALTER TABLE funds ADD COLUMN closed_by BIGINT REFERENCES users(id);
-- Each partner's underspend at the year-end and what the partners agreed to do with it
-- ('carry_forward' or 'return'), with their reason. The movements are in the ledger.
CREATE TABLE year_end_choices (
    fund_id BIGINT NOT NULL REFERENCES funds(id),
    partner_id BIGINT NOT NULL REFERENCES partners(id),
    choice TEXT NOT NULL,
    amount_pence BIGINT NOT NULL CHECK (amount_pence >= 0),
    reason TEXT NOT NULL,
    PRIMARY KEY (fund_id, partner_id)
);
