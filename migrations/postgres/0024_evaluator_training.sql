-- A lay evaluator's training, recorded by a commissioner: only a lay evaluator whose
-- training is recorded is appointed to a lay panel.
CREATE TABLE evaluator_training (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    trained_on TEXT NOT NULL,
    trained_by TEXT NOT NULL,
    what TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX evaluator_training_user ON evaluator_training (user_id);
