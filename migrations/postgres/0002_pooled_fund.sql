-- The pooled fund: partners, one fund per financial year, and the append-only ledger.
CREATE TABLE partners (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- The *_pence running totals guard the invariants with conditional updates
-- (reserved + committed <= agreed); the page's figures are derived from the ledger.
CREATE TABLE funds (
    id BIGSERIAL PRIMARY KEY,
    year BIGINT NOT NULL UNIQUE,
    agreed_pence BIGINT NOT NULL CHECK (agreed_pence >= 0),
    reserved_pence BIGINT NOT NULL DEFAULT 0 CHECK (reserved_pence >= 0),
    committed_pence BIGINT NOT NULL DEFAULT 0 CHECK (committed_pence >= 0),
    paid_pence BIGINT NOT NULL DEFAULT 0 CHECK (paid_pence >= 0),
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    CHECK (reserved_pence + committed_pence <= agreed_pence),
    CHECK (paid_pence <= committed_pence)
);

CREATE TABLE fund_ledger (
    id BIGSERIAL PRIMARY KEY,
    fund_id BIGINT NOT NULL REFERENCES funds(id),
    partner_id BIGINT NOT NULL REFERENCES partners(id),
    movement TEXT NOT NULL,
    amount_pence BIGINT NOT NULL,
    round_id BIGINT,
    reason TEXT NOT NULL,
    actor_user_id BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX fund_ledger_fund ON fund_ledger (fund_id, id);
CREATE INDEX fund_ledger_partner ON fund_ledger (fund_id, partner_id, movement);
CREATE INDEX fund_ledger_round ON fund_ledger (round_id);
