-- Grain: one row per indicator × source with example data (is_example = true): which figures are invented.
-- Parameters: none.
-- Key: indicator_id, source.
select o.indicator_id, i.name as indicator_name, o.source, count(*) as rows,
       count(distinct o.area_id) as areas, min(o.period) as first_period, max(o.period) as latest_period
from observation_public o
join indicator i on i.id = o.indicator_id
where o.is_example
group by o.indicator_id, i.name, o.source
order by o.indicator_id
