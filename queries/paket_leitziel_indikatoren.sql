-- Grain: one row per Leitziel × indicator (n:m), in the order of the concept; for the committee package plan.
-- Parameters: none.
-- Key: leitziel_id, indicator_id.
select li.leitziel_id, li.indicator_id, i.name as indikator, i.unit, i.type, i.eu2
from leitziel_indicator li
join leitziel l on l.id = li.leitziel_id
join block b on b.id = l.block_id
join handlungsfeld hf on hf.id = l.handlungsfeld_id
join indicator i on i.id = li.indicator_id
order by hf.position, b.position, l.number, i.type, li.indicator_id
