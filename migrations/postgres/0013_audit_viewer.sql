-- The audit trail viewer filters by who and by action, newest first (keyset on id).
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
