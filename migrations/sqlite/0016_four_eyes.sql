-- Four eyes on payments: one person approves a tranche's evidence (reviewed_by), another
-- records the payment (paid_by), with the payment's reference. A tranche waits as
-- 'approved' in between. Payments made before this change were approved and paid by one
-- person: that is what they record.
ALTER TABLE tranches ADD COLUMN paid_by BIGINT REFERENCES users(id);
ALTER TABLE tranches ADD COLUMN paid_at TEXT;
ALTER TABLE tranches ADD COLUMN payment_reference TEXT NOT NULL DEFAULT '';
UPDATE tranches SET paid_by = reviewed_by, paid_at = reviewed_at WHERE status = 'paid';
