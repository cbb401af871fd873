-- Funding rounds: the gaps they address, the questionnaire (sections of questions) and
-- the scoring criteria. Status: draft, published, open, closed, assessment, decided.
CREATE TABLE rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    fund_id BIGINT REFERENCES funds(id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    guidance TEXT NOT NULL,
    envelope_pence BIGINT NOT NULL,
    min_award_pence BIGINT NOT NULL,
    max_award_pence BIGINT NOT NULL,
    period_months BIGINT NOT NULL,
    legal_forms TEXT NOT NULL,
    max_income_pence BIGINT,
    area_served TEXT NOT NULL,
    opens_at TEXT NOT NULL,
    closes_at TEXT NOT NULL,
    decision_expected TEXT NOT NULL,
    invited_only BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    reserved_pence BIGINT NOT NULL DEFAULT 0,
    awarded_pence BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (awarded_pence <= reserved_pence)
);
CREATE INDEX rounds_status ON rounds (status, closes_at);

CREATE TABLE round_gaps (
    round_id BIGINT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    gap_id BIGINT NOT NULL REFERENCES gaps(id),
    PRIMARY KEY (round_id, gap_id)
);
CREATE INDEX round_gaps_gap ON round_gaps (gap_id);

-- kind: custom, organisation, budget, sustainability (the last three are built in).
CREATE TABLE round_sections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id BIGINT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    panel TEXT NOT NULL
);
CREATE INDEX round_sections_round ON round_sections (round_id, position);

CREATE TABLE round_questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    section_id BIGINT NOT NULL REFERENCES round_sections(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    label TEXT NOT NULL,
    hint TEXT NOT NULL,
    qtype TEXT NOT NULL,
    required BIGINT NOT NULL,
    word_limit BIGINT,
    options TEXT NOT NULL
);
CREATE INDEX round_questions_section ON round_questions (section_id, position);

CREATE TABLE round_criteria (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id BIGINT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    guidance TEXT NOT NULL,
    weight BIGINT NOT NULL,
    min_score BIGINT,
    descriptors TEXT NOT NULL,
    section_ids TEXT NOT NULL
);
CREATE INDEX round_criteria_round ON round_criteria (round_id, position);

-- Clock transitions (opened, closed) happen once, whatever restarts or instances run.
CREATE TABLE round_transitions (
    round_id BIGINT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    to_status TEXT NOT NULL,
    version BIGINT NOT NULL,
    happened_at TEXT NOT NULL,
    PRIMARY KEY (round_id, to_status, version)
);
