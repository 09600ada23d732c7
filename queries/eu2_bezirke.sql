-- Grain: one row per area (Stadtbezirke and city) × date × EU-2 measure × source, from the register figures
-- per Stadtbezirk (example data until real ones are delivered). Suppressed cells: value NULL, suppressed true.
-- Parameters: none.
-- Key: area_id, period, indicator_id, nationality, source.
select o.area_id, a.name as area_name, a.level, o.period, o.indicator_id, o.nationality, o.value, o.suppressed,
       o.is_example, o.source
from observation_public o
join area a on a.id = o.area_id and a.level in ('stadtbezirk', 'stadt')
where (a.level = 'stadtbezirk' or exists (
         select 1 from observation_public d join area da on da.id = d.area_id and da.level = 'stadtbezirk'
         where d.indicator_id = o.indicator_id and d.source = o.source))
  and ((o.indicator_id in ('eu2_bestand', 'eu2_anteil') and o.nationality = 'RO+BG')
   or (o.indicator_id = 'auslaender' and o.nationality in ('RO', 'BG'))
   or (o.indicator_id in ('zuzuege', 'fortzuege') and o.nationality in ('RO', 'BG'))
   or (o.indicator_id = 'einwohner' and o.nationality = '_T' and o.is_example))
order by a.level desc, o.area_id, o.period, o.indicator_id, o.nationality, o.source
