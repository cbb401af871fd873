-- A tranche tied to an outcome: one of the round's monitoring measures and the figure to
-- reach, stored as that measure's values are (a count, or hundredths for a number or a
-- percentage). Both empty: the milestone alone. The evidence page shows the measure's
-- figures, and approving evidence before the figure is reached needs a reason.
ALTER TABLE tranches ADD COLUMN measure_id BIGINT REFERENCES round_measures(id);
ALTER TABLE tranches ADD COLUMN target_value BIGINT;
