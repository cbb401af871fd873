-- How a monitoring measure is counted: 'count' (a whole number), 'number' (up to two decimal
-- places) or 'percent' (0 to 100, up to two decimal places). return_values.value holds the
-- count itself, or hundredths for a number or a percentage (94.5% is 9450). Every measure
-- before this was a count; only a count can be valued by a unit cost, so the cost-avoided
-- sums (value x unit cost) are unchanged.
ALTER TABLE round_measures ADD COLUMN counted_as TEXT NOT NULL DEFAULT 'count';
