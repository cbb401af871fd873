-- Variations to an award: the organisation asks for one with a reason (status 'requested')
-- or a commissioner raises one; a commissioner's approval applies it ('approved') or refuses
-- it with a note ('refused'). The proposal is the variable tranches as they will be and the
-- conditions (JSON); the award's amount before and after is kept for its history.
CREATE TABLE variations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scheme_id BIGINT NOT NULL REFERENCES schemes(id),
    status TEXT NOT NULL,
    by_organisation BIGINT NOT NULL,
    reason TEXT NOT NULL,
    proposal TEXT NOT NULL,
    changes TEXT NOT NULL,
    amount_before_pence BIGINT NOT NULL,
    amount_after_pence BIGINT NOT NULL,
    raised_by BIGINT REFERENCES users(id),
    raised_at TEXT NOT NULL,
    decided_by BIGINT REFERENCES users(id),
    decided_at TEXT,
    decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX variations_scheme ON variations (scheme_id, id);
