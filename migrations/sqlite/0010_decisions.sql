-- Moderation and decisions: the agreed score per criterion, the decision on each bid, and an
-- award's funded scheme with its payment schedule (tranches).
CREATE TABLE moderated_scores (
    bid_id BIGINT NOT NULL REFERENCES bids(id) ON DELETE CASCADE,
    criterion_id BIGINT NOT NULL REFERENCES round_criteria(id) ON DELETE CASCADE,
    score BIGINT NOT NULL,
    note TEXT NOT NULL,
    moderated_by BIGINT REFERENCES users(id),
    moderated_at TEXT NOT NULL,
    PRIMARY KEY (bid_id, criterion_id),
    CHECK (score BETWEEN 0 AND 5)
);

-- outcome: award, decline, reserve. An award is final; the others can be replaced.
CREATE TABLE decisions (
    bid_id BIGINT PRIMARY KEY REFERENCES bids(id) ON DELETE CASCADE,
    outcome TEXT NOT NULL,
    amount_pence BIGINT,
    conditions TEXT NOT NULL,
    feedback TEXT NOT NULL,
    decided_by BIGINT REFERENCES users(id),
    decided_at TEXT NOT NULL
);

CREATE TABLE schemes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bid_id BIGINT NOT NULL UNIQUE REFERENCES bids(id),
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    amount_pence BIGINT NOT NULL,
    conditions TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX schemes_organisation ON schemes (organisation_id);
CREATE INDEX schemes_round ON schemes (round_id);

CREATE TABLE tranches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scheme_id BIGINT NOT NULL REFERENCES schemes(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    amount_pence BIGINT NOT NULL,
    due_on TEXT NOT NULL,
    milestone TEXT NOT NULL,
    status TEXT NOT NULL,
    paid_pence BIGINT NOT NULL DEFAULT 0,
    CHECK (paid_pence <= amount_pence)
);
CREATE INDEX tranches_scheme ON tranches (scheme_id, position);
