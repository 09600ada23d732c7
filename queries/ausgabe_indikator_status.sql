-- Grain: one row per indicator with its assessed status (as frozen in a report edition).
-- Parameters: none.
-- Key: indicator_id.
select s.indicator_id, i.name as indikator, s.category, s.label, s.rule, s.latest_period, s.latest_value,
       s.is_example
from indicator_status s
join indicator i on i.id = s.indicator_id
order by s.indicator_id
