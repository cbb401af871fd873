-- Bids: one per organisation per round. Each section's answers are kept as the applicant
-- typed them (a JSON object of field name to text) so that nothing typed is ever lost;
-- they are checked when the section is marked complete and again on submission.
-- status: draft, submitted, withdrawn, under_assessment, awarded, declined.
CREATE TABLE bids (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    status TEXT NOT NULL,
    reference TEXT UNIQUE,
    amount_requested_pence BIGINT,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    submitted_by BIGINT REFERENCES users(id),
    UNIQUE (round_id, organisation_id)
);
CREATE INDEX bids_organisation ON bids (organisation_id, id);
CREATE INDEX bids_round ON bids (round_id, status);

-- A section's answers. version counts saves: a save of a page opened at an older version
-- is refused rather than overwrite a colleague's answers.
CREATE TABLE bid_sections (
    bid_id BIGINT NOT NULL REFERENCES bids(id) ON DELETE CASCADE,
    section_id BIGINT NOT NULL REFERENCES round_sections(id),
    answers TEXT NOT NULL,
    completed BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    updated_by BIGINT REFERENCES users(id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (bid_id, section_id)
);

-- The file that answers a file-upload question (one per question; a new upload replaces it).
CREATE TABLE bid_files (
    bid_id BIGINT NOT NULL REFERENCES bids(id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES round_questions(id),
    file_id BIGINT NOT NULL REFERENCES files(id),
    size_bytes BIGINT NOT NULL,
    PRIMARY KEY (bid_id, question_id)
);
