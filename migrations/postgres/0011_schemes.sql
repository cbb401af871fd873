-- Funded schemes after the award: acceptance, the plan agreed at award, tranche evidence and
-- payment, monitoring returns with their measures, reminders (each recorded once), unit costs
-- for estimating cost avoided, and graduation.
ALTER TABLE schemes ADD COLUMN plan TEXT NOT NULL DEFAULT '[]';
ALTER TABLE schemes ADD COLUMN starts_on TEXT NOT NULL DEFAULT '';
ALTER TABLE schemes ADD COLUMN return_every_months BIGINT NOT NULL DEFAULT 3;
ALTER TABLE schemes ADD COLUMN accepted_by BIGINT REFERENCES users(id);
ALTER TABLE schemes ADD COLUMN accepted_at TEXT;
ALTER TABLE schemes ADD COLUMN graduated_by BIGINT REFERENCES users(id);
ALTER TABLE schemes ADD COLUMN graduated_at TEXT;
ALTER TABLE schemes ADD COLUMN paid_pence BIGINT NOT NULL DEFAULT 0;

ALTER TABLE tranches ADD COLUMN evidence TEXT NOT NULL DEFAULT '';
ALTER TABLE tranches ADD COLUMN evidence_by BIGINT REFERENCES users(id);
ALTER TABLE tranches ADD COLUMN evidence_at TEXT;
ALTER TABLE tranches ADD COLUMN review_note TEXT NOT NULL DEFAULT '';
ALTER TABLE tranches ADD COLUMN reviewed_by BIGINT REFERENCES users(id);
ALTER TABLE tranches ADD COLUMN reviewed_at TEXT;

CREATE TABLE tranche_files (
    tranche_id BIGINT NOT NULL REFERENCES tranches(id) ON DELETE CASCADE,
    file_id BIGINT NOT NULL REFERENCES files(id),
    PRIMARY KEY (tranche_id, file_id)
);

CREATE TABLE unit_costs (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    cost_pence BIGINT NOT NULL,
    source TEXT NOT NULL,
    source_date TEXT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    updated_at TEXT NOT NULL,
    CHECK (cost_pence > 0)
);
CREATE UNIQUE INDEX unit_costs_name ON unit_costs (LOWER(name));

-- kind: activity or outcome. An outcome may be valued by a unit cost with the share of it
-- credited to the scheme, in basis points (2500 = 25%).
CREATE TABLE round_measures (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    unit_cost_id BIGINT REFERENCES unit_costs(id),
    attribution_bp BIGINT,
    position BIGINT NOT NULL,
    CHECK (attribution_bp IS NULL OR attribution_bp BETWEEN 1 AND 10000)
);
CREATE INDEX round_measures_round ON round_measures (round_id, position);

-- status: due, draft, submitted, accepted, changes_requested, not_needed.
CREATE TABLE returns (
    id BIGSERIAL PRIMARY KEY,
    scheme_id BIGINT NOT NULL REFERENCES schemes(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL,
    costs_pence BIGINT NOT NULL DEFAULT 0,
    seed_grant_pence BIGINT NOT NULL DEFAULT 0,
    charges_pence BIGINT NOT NULL DEFAULT 0,
    other_grants_pence BIGINT NOT NULL DEFAULT 0,
    donations_pence BIGINT NOT NULL DEFAULT 0,
    contracts_pence BIGINT NOT NULL DEFAULT 0,
    in_kind_pence BIGINT NOT NULL DEFAULT 0,
    typed TEXT NOT NULL DEFAULT '{}',
    narrative TEXT NOT NULL DEFAULT '',
    risks TEXT NOT NULL DEFAULT '',
    saved_by BIGINT REFERENCES users(id),
    saved_at TEXT,
    submitted_by BIGINT REFERENCES users(id),
    submitted_at TEXT,
    review_comment TEXT NOT NULL DEFAULT '',
    reviewed_by BIGINT REFERENCES users(id),
    reviewed_at TEXT,
    is_final BIGINT NOT NULL DEFAULT 0,
    UNIQUE (scheme_id, position)
);
CREATE INDEX returns_due ON returns (status, due_on);

CREATE TABLE return_values (
    return_id BIGINT NOT NULL REFERENCES returns(id) ON DELETE CASCADE,
    measure_id BIGINT NOT NULL REFERENCES round_measures(id),
    value BIGINT NOT NULL,
    PRIMARY KEY (return_id, measure_id)
);

-- kind: due_in_14_days, due_tomorrow, overdue. One row per reminder ever sent: the claim
-- that makes sending idempotent across restarts and server instances.
CREATE TABLE reminders (
    return_id BIGINT NOT NULL REFERENCES returns(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (return_id, kind)
);
