-- Grain: one row per indicator with its assessed status (as frozen in a report edition).
-- Parameters: none.
-- Key: indicator_id.
-- The latest value comes from the protected view: a cell that is kept secret (primary or secondary suppression)
-- is exported as NULL with latest_suppressed = true, never as its raw number.
select s.indicator_id, i.name as indikator, s.category, s.label, s.rule, s.latest_period,
       case when coalesce(p.suppressed, false) then null else s.latest_value end as latest_value,
       coalesce(p.suppressed, false) as latest_suppressed, s.is_example
from indicator_status s
join indicator i on i.id = s.indicator_id
left join observation_public p
       on p.indicator_id = s.indicator_id and p.area_id = s.area_id and p.nationality = s.nationality
      and p.source = s.source and p.period = s.latest_period
order by s.indicator_id
