-- What each scheme has repaid (clawback repayments received), kept with the scheme so the
-- portfolio's totals net it out as the ledger does: committed = awarded - released - repaid,
-- paid = paid - repaid. db::clawbacks::repay adds to it in the repayment's transaction.
ALTER TABLE schemes ADD COLUMN repaid_pence BIGINT NOT NULL DEFAULT 0;
UPDATE schemes SET repaid_pence = COALESCE((
    SELECT SUM(r.amount_pence) FROM repayments r JOIN clawbacks c ON c.id = r.clawback_id
    WHERE c.scheme_id = schemes.id
), 0);
