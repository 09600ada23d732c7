-- Grain: one row per Leitziel in $ids (the Leitziele concerning immigrants from Romania and Bulgaria) with status.
-- Parameters: $ids (list of Leitziel ids).
-- Key: leitziel_id.
select l.id as leitziel_id, b.name as block, l.number, l.text, s.category, s.label, s.basis, s.is_example
from leitziel l
join block b on b.id = l.block_id
left join leitziel_status s on s.leitziel_id = l.id
where list_contains($ids, l.id)
order by list_position($ids, l.id)
