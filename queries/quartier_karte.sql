-- Grain: one row per Stadtbezirk (and the city) × source for one indicator, nationality and date.
-- Parameters: $indikator, $nationalitaet, $stichtag (DATE). Suppressed cells: value NULL, suppressed true.
-- Example: nationalitaet=RO+BG
-- Key: area_id, source.
select o.area_id, a.name as area_name, a.level, o.value, o.numerator, o.denominator, o.suppressed, o.uncertain,
       o.is_example, o.is_approx, o.is_rounded, o.date_uncertain, o.source, o.note, i.name as indicator_name, i.unit
from observation_public o
join area a on a.id = o.area_id and a.level in ('stadtbezirk', 'stadt')
join indicator i on i.id = o.indicator_id
where o.indicator_id = $indikator and o.nationality = $nationalitaet and o.period = $stichtag
order by a.level desc, o.area_id, o.source
