-- Joint sign-off: once the partners name approvers, the Board's recommendation of an award
-- commits money only when an approver of every partner has approved it.
-- An approver signs off for one partner (NULL for anyone else).
ALTER TABLE users ADD COLUMN approver_for BIGINT REFERENCES partners(id);
-- decisions.sign_off: 'none' (decided without sign-off), 'awaiting', 'signed' (every partner
-- approved: awarded), 'refused' (a partner refused: nothing committed). What an award pays
-- for and its return frequency are kept until the award is made.
ALTER TABLE decisions ADD COLUMN sign_off TEXT NOT NULL DEFAULT 'none';
ALTER TABLE decisions ADD COLUMN purpose TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN returns_every BIGINT NOT NULL DEFAULT 3;
-- One answer per partner per recommendation; a new recommendation clears them.
CREATE TABLE sign_offs (
    bid_id BIGINT NOT NULL REFERENCES decisions(bid_id) ON DELETE CASCADE,
    partner_id BIGINT NOT NULL REFERENCES partners(id),
    approved BIGINT NOT NULL,
    reason TEXT NOT NULL,
    signed_by BIGINT REFERENCES users(id),
    signed_at TEXT NOT NULL,
    PRIMARY KEY (bid_id, partner_id)
);
