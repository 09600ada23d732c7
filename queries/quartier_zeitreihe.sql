-- Grain: one row per area (Stadtbezirke and city) × date × source for one indicator and nationality.
-- Parameters: $indikator, $nationalitaet.
-- Example: nationalitaet=RO+BG
-- Key: area_id, period, source.
select o.area_id, a.name as area_name, a.level, o.period, o.value, o.suppressed, o.uncertain, o.is_example,
       o.is_approx, o.is_rounded, o.source, i.name as indicator_name, i.unit
from observation_public o
join area a on a.id = o.area_id and a.level in ('stadtbezirk', 'stadt')
join indicator i on i.id = o.indicator_id
where o.indicator_id = $indikator and o.nationality = $nationalitaet
order by a.level desc, o.area_id, o.period, o.source
