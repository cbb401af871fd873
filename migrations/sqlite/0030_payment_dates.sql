-- A tranche's payment records the day the money left the finance system (paid_on, which
-- decides the financial year it is charged to) beside when it was recorded (paid_at).
-- Payments recorded before this kept only the recording time: its date stands in.
ALTER TABLE tranches ADD COLUMN paid_on TEXT;
UPDATE tranches SET paid_on = SUBSTR(paid_at, 1, 10) WHERE paid_at IS NOT NULL;
-- The ledger's payment entries name their tranche, so that each partner's share of each
-- payment can be listed for the partner's finance team.
ALTER TABLE fund_ledger ADD COLUMN tranche_id BIGINT REFERENCES tranches(id);
CREATE INDEX fund_ledger_tranche ON fund_ledger (tranche_id);
