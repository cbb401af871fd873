-- Uploaded files live in the database, so every instance behind a load balancer sees them.
CREATE TABLE files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BLOB NOT NULL,
    uploaded_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);

ALTER TABLE gaps ADD COLUMN evidence_file_id BIGINT REFERENCES files(id);
