-- Assessment: the assessors appointed to a round's panels, the bids assigned to them, their
-- declarations of interest (never edited: a new one supersedes the last, with a reason) and
-- their scores (one per criterion; locked once submitted, reopened only by a commissioner).
CREATE TABLE round_assessors (
    round_id BIGINT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    panel TEXT NOT NULL,
    appointed_by BIGINT REFERENCES users(id),
    appointed_at TEXT NOT NULL,
    PRIMARY KEY (round_id, user_id)
);

CREATE TABLE assignments (
    bid_id BIGINT NOT NULL REFERENCES bids(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    assigned_at TEXT NOT NULL,
    submitted_at TEXT,
    PRIMARY KEY (bid_id, user_id)
);
CREATE INDEX assignments_user ON assignments (user_id, bid_id);

CREATE TABLE declarations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bid_id BIGINT NOT NULL REFERENCES bids(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    conflict BIGINT NOT NULL,
    nature TEXT NOT NULL,
    description TEXT NOT NULL,
    supersedes BIGINT REFERENCES declarations(id),
    reason TEXT NOT NULL,
    declared_at TEXT NOT NULL
);
CREATE INDEX declarations_bid_user ON declarations (bid_id, user_id, id);

CREATE TABLE scores (
    bid_id BIGINT NOT NULL REFERENCES bids(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    criterion_id BIGINT NOT NULL REFERENCES round_criteria(id) ON DELETE CASCADE,
    score BIGINT,
    justification TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (bid_id, user_id, criterion_id)
);
