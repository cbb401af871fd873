-- 360Giving open data: each pooled-fund partner's organisation identifier (org-id.guide,
-- e.g. GB-LAE-NEL for North East Lincolnshire Council), named as a funder of every grant.
ALTER TABLE partners ADD COLUMN org_identifier TEXT NOT NULL DEFAULT '';
