-- Grain: one row per area with at least one observation of indicator $indikator (city first).
-- Parameters: $indikator (indicator.id).
-- Key: area_id.
select a.id as area_id, a.name, a.level, count(*) as observations
from observation_public o
join area a on a.id = o.area_id
where o.indicator_id = $indikator
group by a.id, a.name, a.level
order by case a.level when 'stadt' then 1 when 'stadtbezirk' then 2 else 3 end, a.id
