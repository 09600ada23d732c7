-- Grain: one row per indicator of the catalogue with definition, source, holder and data gap.
-- Parameters: none.
-- Key: indicator_id.
select i.id as indicator_id, i.name, i.type, i.unit, i.direction, i.definition, i.source, i.holder,
       i.spatial_level, i.update_cycle, i.eu2, i.data_gap,
       (select string_agg(li.leitziel_id, ', ' order by li.leitziel_id)
          from leitziel_indicator li where li.indicator_id = i.id) as leitziele,
       (select count(*) from observation_public o where o.indicator_id = i.id) as observations,
       (select count(*) from observation_public o where o.indicator_id = i.id and o.is_example) as example_observations
from indicator i
order by i.id
