-- Each scheme's estimated cost avoided (every valued outcome in its sent and accepted returns:
-- count x unit cost x share credited, each rounded to the penny, half away from zero), kept
-- with the scheme so the portfolio sums it without reading every return. The application
-- recomputes it in the transaction that sends, returns or accepts a return or changes a unit
-- cost (db::returns::refresh_cost_avoided); this fills it for schemes that exist already.
ALTER TABLE schemes ADD COLUMN cost_avoided_pence BIGINT NOT NULL DEFAULT 0;
UPDATE schemes SET cost_avoided_pence = COALESCE((
    SELECT CAST(SUM((v.value * u.cost_pence * m.attribution_bp + 5000) / 10000) AS BIGINT)
    FROM return_values v JOIN returns r ON r.id = v.return_id
    JOIN round_measures m ON m.id = v.measure_id JOIN unit_costs u ON u.id = m.unit_cost_id
    WHERE r.scheme_id = schemes.id AND r.status IN ('submitted', 'accepted') AND m.attribution_bp IS NOT NULL
), 0);

-- Each bid's submitted scores per criterion, summed up (how many, sum, lowest, highest; a
-- blank score is not counted), kept so the moderation ranking reads one row per bid and
-- criterion instead of every assessor's every score. The application rewrites a bid's rows
-- in the transaction that submits or reopens an assessor's scores for it
-- (db::assessment::refresh_score_totals); this fills them for scores submitted already.
CREATE TABLE score_totals (
    bid_id BIGINT NOT NULL REFERENCES bids(id) ON DELETE CASCADE,
    criterion_id BIGINT NOT NULL REFERENCES round_criteria(id) ON DELETE CASCADE,
    scores BIGINT NOT NULL,
    total BIGINT NOT NULL,
    lowest BIGINT NOT NULL,
    highest BIGINT NOT NULL,
    PRIMARY KEY (bid_id, criterion_id)
);
INSERT INTO score_totals (bid_id, criterion_id, scores, total, lowest, highest)
SELECT s.bid_id, s.criterion_id, COUNT(s.score), CAST(COALESCE(SUM(s.score), 0) AS BIGINT),
    COALESCE(MIN(s.score), 0), COALESCE(MAX(s.score), 0)
FROM scores s JOIN assignments a ON a.bid_id = s.bid_id AND a.user_id = s.user_id AND a.submitted_at IS NOT NULL
GROUP BY s.bid_id, s.criterion_id;
