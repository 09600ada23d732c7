-- Grain: one row per indicator linked to the Leitziel $leitziel, with its status and target.
-- Parameters: $leitziel (leitziel.id).
-- Key: indicator_id.
select i.id as indicator_id, i.name, i.definition, i.unit, i.type, i.direction, i.source, i.holder,
       i.spatial_level, i.update_cycle, i.data_gap,
       s.category, s.label, s.rule, s.source as status_source, s.nationality,
       s.baseline_period, s.baseline_value, s.latest_period, s.latest_value, s.is_example,
       t.value as target_value, t.due as target_due, t.decided_by as target_decided_by,
       (select count(*) from observation_public o where o.indicator_id = i.id) as observations
from leitziel_indicator li
join indicator i on i.id = li.indicator_id
left join indicator_status s on s.indicator_id = i.id
left join target t on t.indicator_id = i.id
where li.leitziel_id = $leitziel
order by case i.type when 'E' then 1 when 'U' then 2 else 3 end, i.id
