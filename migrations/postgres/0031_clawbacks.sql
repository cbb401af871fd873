-- Clawback: money a funded scheme was paid and must repay (amount, reason, due date), and
-- each repayment received (amount, the finance system's reference, the date received).
-- repaid_pence is the clawback's running total, guarded like the fund's: never more than
-- was asked for. Each repayment is a 'repayment' ledger movement back to the pooled fund.
CREATE TABLE clawbacks (
    id BIGSERIAL PRIMARY KEY,
    scheme_id BIGINT NOT NULL REFERENCES schemes(id),
    amount_pence BIGINT NOT NULL CHECK (amount_pence > 0),
    repaid_pence BIGINT NOT NULL DEFAULT 0 CHECK (repaid_pence >= 0),
    reason TEXT NOT NULL,
    due_on TEXT NOT NULL,
    raised_by BIGINT REFERENCES users(id),
    raised_at TEXT NOT NULL,
    CHECK (repaid_pence <= amount_pence)
);
CREATE INDEX clawbacks_scheme ON clawbacks (scheme_id, id);
CREATE TABLE repayments (
    id BIGSERIAL PRIMARY KEY,
    clawback_id BIGINT NOT NULL REFERENCES clawbacks(id),
    amount_pence BIGINT NOT NULL CHECK (amount_pence > 0),
    reference TEXT NOT NULL,
    received_on TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX repayments_clawback ON repayments (clawback_id, id);
-- What has been asked back from each scheme in all: never more than it was paid.
ALTER TABLE schemes ADD COLUMN clawed_back_pence BIGINT NOT NULL DEFAULT 0;
