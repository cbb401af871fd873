-- What an award pays for, in the commissioner's words: published on the register of
-- awards and as the grant's description in the 360Giving data. Blank for awards made
-- before it was asked (they fall back to the round's summary).
ALTER TABLE schemes ADD COLUMN purpose TEXT NOT NULL DEFAULT '';
