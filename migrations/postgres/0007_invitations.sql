-- Invitations to join an organisation: single use, 7 days, only a SHA-256 of the token kept.
CREATE TABLE organisation_invites (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    invited_by BIGINT REFERENCES users(id),
    expires_at TEXT NOT NULL,
    used_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX organisation_invites_org ON organisation_invites (organisation_id, used_at);
