-- Board meetings: when and where the Board meets, the rounds on its agenda, the members
-- invited and who was present; each decision records the meeting it was made at.
CREATE TABLE board_meetings (
    id BIGSERIAL PRIMARY KEY,
    held_at TEXT NOT NULL,
    place TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE TABLE meeting_rounds (
    meeting_id BIGINT NOT NULL REFERENCES board_meetings(id) ON DELETE CASCADE,
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    PRIMARY KEY (meeting_id, round_id)
);
CREATE INDEX meeting_rounds_round ON meeting_rounds (round_id);
-- present: 1 when the member attended (recorded at or after the meeting).
CREATE TABLE meeting_members (
    meeting_id BIGINT NOT NULL REFERENCES board_meetings(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    present BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (meeting_id, user_id)
);
ALTER TABLE decisions ADD COLUMN meeting_id BIGINT REFERENCES board_meetings(id);
