-- Grain: one row per published (real, not example) figure on Romanian, Bulgarian and RO+BG residents of Hagen:
-- indicator × nationality × date × source. Sources are a dimension, never merged.
-- Parameters: none.
-- Key: indicator_id, nationality, period, source.
select o.indicator_id, o.area_id, a.name as area_name, a.level, o.nationality, o.period, o.value, i.unit,
       o.source, o.source_url, o.note, o.is_approx, o.is_rounded, o.date_uncertain, o.is_derived, o.is_example
from observation_public o
join area a on a.id = o.area_id
join indicator i on i.id = o.indicator_id
where a.level = 'stadt' and not o.is_example
  and ((o.indicator_id = 'auslaender' and o.nationality in ('RO', 'BG', 'RO+BG'))
       or (o.indicator_id = 'eu2_bestand' and o.nationality = 'RO+BG'))
order by o.period, o.source, o.nationality
