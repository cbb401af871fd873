-- Why a bid below a criterion's minimum score was awarded anyway ('' when it was fundable).
ALTER TABLE decisions ADD COLUMN override_reason TEXT NOT NULL DEFAULT '';
