-- Public views: the only tables pages and exports read. Suppressed cells have NULL values and keep their row,
-- so that a page can show "·" with a footnote (never 0, never blank).
create view observation_public as
select indicator_id, area_id, period, nationality,
       case when suppressed then null else value end as value,
       case when suppressed then null else numerator end as numerator,
       case when suppressed then null else denominator end as denominator,
       source, source_url, note, figure_id, is_example, is_approx, is_rounded, date_uncertain, is_derived, flag,
       source_file, source_row, suppressed, uncertain
from observation;
