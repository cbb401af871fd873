-- A scheme that does not run its course. The organisation may turn an award down before
-- accepting it (status 'turned_down'); a commissioner may suspend payments while a support
-- plan runs (status 'suspended', with the reason, the plan and its review date), resume
-- them, or end the scheme early (status 'closed'). Turning down, ending and graduating
-- release the unpaid tranches (status 'released'): released_pence is what went back to the
-- pooled fund, so that award = paid + released + still to pay.
ALTER TABLE schemes ADD COLUMN ended_by BIGINT REFERENCES users(id);
ALTER TABLE schemes ADD COLUMN ended_at TEXT;
ALTER TABLE schemes ADD COLUMN end_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE schemes ADD COLUMN released_pence BIGINT NOT NULL DEFAULT 0;
ALTER TABLE schemes ADD COLUMN suspended_by BIGINT REFERENCES users(id);
ALTER TABLE schemes ADD COLUMN suspended_at TEXT;
ALTER TABLE schemes ADD COLUMN suspension_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE schemes ADD COLUMN support_plan TEXT NOT NULL DEFAULT '';
ALTER TABLE schemes ADD COLUMN support_review_on TEXT;
