-- Interviews and presentations (optional per round): a commissioner shortlists a sent bid and
-- invites its organisation (when, where or the link, who should come); the organisation
-- replies ('attending' or 'rearrange' with a note). Changing the invitation clears the reply.
CREATE TABLE interviews (
    bid_id BIGINT PRIMARY KEY REFERENCES bids(id) ON DELETE CASCADE,
    format TEXT NOT NULL,
    held_at TEXT NOT NULL,
    place TEXT NOT NULL,
    attendees TEXT NOT NULL,
    invited_by BIGINT REFERENCES users(id),
    invited_at TEXT NOT NULL,
    reply TEXT,
    reply_note TEXT NOT NULL DEFAULT '',
    replied_by BIGINT REFERENCES users(id),
    replied_at TEXT
);
-- A criterion is scored from the written bid ('written') or at the interview or presentation
-- ('interview'); an interview criterion names the panels that score it ('board', 'lay' or
-- 'both') instead of the sections it draws on.
ALTER TABLE round_criteria ADD COLUMN stage TEXT NOT NULL DEFAULT 'written';
ALTER TABLE round_criteria ADD COLUMN interview_panel TEXT NOT NULL DEFAULT '';
-- An assessor's interview scores for a bid are submitted, and locked, apart from the written.
ALTER TABLE assignments ADD COLUMN interview_submitted_at TEXT;
