-- Mail is not sent inside the request that causes it: it is written here and sent by a
-- background task (any instance; each message claimed before it is sent), so a response
-- takes the same time whether or not an email goes, and a slow mail server slows no page.
CREATE TABLE mail_outbox (
    id BIGSERIAL PRIMARY KEY,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    claimed_at TEXT,
    sent_at TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_unsent ON mail_outbox (sent_at, id);

-- Requests that make the portal email someone on a stranger's say-so (a reset link, a
-- confirmation, a registration, an invitation): counted per target address and per
-- client address, so that no one can use the portal to flood an inbox.
CREATE TABLE mail_requests (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    requested_at TEXT NOT NULL
);
CREATE INDEX mail_requests_email ON mail_requests (kind, email, requested_at);
CREATE INDEX mail_requests_ip ON mail_requests (kind, ip, requested_at);

-- Sign-in attempts are counted per account and address together.
CREATE INDEX login_attempts_pair ON login_attempts (email, ip, attempted_at);
