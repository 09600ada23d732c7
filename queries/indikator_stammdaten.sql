-- Grain: one row: the catalogue entry of indicator $indikator with its target (if any) and its status.
-- Parameters: $indikator (indicator.id).
-- Key: indicator_id.
select i.id as indicator_id, i.name, i.definition, i.unit, i.type, i.direction, i.source, i.holder,
       i.spatial_level, i.update_cycle, i.eu2, i.data_gap,
       t.value as target_value, t.due as target_due, t.baseline_value as target_baseline_value,
       t.baseline_period as target_baseline_period, t.decided_by as target_decided_by,
       s.nationality as status_nationality, s.source as status_source, s.category, s.label, s.rule
from indicator i
left join target t on t.indicator_id = i.id
left join indicator_status s on s.indicator_id = i.id
where i.id = $indikator
