-- The gaps register and the commissioned services register (market position statement).
CREATE TABLE gaps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    need TEXT NOT NULL,
    evidence TEXT NOT NULL,
    target_population TEXT NOT NULL,
    outcome_sought TEXT NOT NULL,
    priority TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX gaps_status ON gaps (status, id);

CREATE TABLE services (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    current_provider TEXT NOT NULL,
    contract_value_pence BIGINT NOT NULL,
    contract_currency TEXT NOT NULL,
    quantity TEXT NOT NULL,
    quality_criteria TEXT NOT NULL,
    last_reviewed TEXT,
    review_due TEXT,
    nature_of_review TEXT NOT NULL,
    interdependencies TEXT NOT NULL,
    market_category TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX services_category ON services (market_category, name);
