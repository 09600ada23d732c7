-- Grain: one row per reference date for which the indicator has values at Stadtbezirk level, newest first.
-- Parameters: $indikator (indicator id), $nationalitaet (nationality code).
-- Example: nationalitaet=RO+BG
-- Key: period.
select distinct o.period
from observation_public o
join area a on a.id = o.area_id and a.level = 'stadtbezirk'
where o.indicator_id = $indikator and o.nationality = $nationalitaet
order by o.period desc
