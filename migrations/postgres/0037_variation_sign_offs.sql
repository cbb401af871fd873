-- The partners' joint sign-off of a variation that adds money to an award: a commissioner's
-- approval moves it to 'awaiting_sign_off' (decided_by is that commissioner); each partner's
-- approver answers once; the last approval applies it, a refusal refuses it.
CREATE TABLE variation_sign_offs (
    variation_id BIGINT NOT NULL REFERENCES variations(id),
    partner_id BIGINT NOT NULL REFERENCES partners(id),
    approved BIGINT NOT NULL,
    reason TEXT NOT NULL,
    signed_by BIGINT REFERENCES users(id),
    signed_at TEXT NOT NULL,
    PRIMARY KEY (variation_id, partner_id)
);
CREATE INDEX variations_awaiting ON variations (status, id);
