-- Grain: one row per public observation (indicator × area × period × nationality × source) — the figures a
-- report edition freezes. Suppressed cells keep their row with value NULL and suppressed = true.
-- Parameters: none.
-- Key: indicator_id, area_id, period, nationality, source.
select indicator_id, area_id, period, nationality, source, value, numerator, denominator, suppressed, uncertain,
       is_example, is_approx, is_rounded, date_uncertain, flag
from observation_public
order by indicator_id, area_id, period, nationality, source
