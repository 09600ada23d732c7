-- Grain: one row per Leitziel (27) with its status, in the order of the concept (committee package, editions).
-- Parameters: none.
-- Key: leitziel_id.
select hf.id as handlungsfeld_id, hf.name as handlungsfeld, b.id as block_id, b.name as block,
       l.id as leitziel_id, l.number, l.text, s.category, s.label, s.basis, s.is_example
from leitziel l
join block b on b.id = l.block_id
join handlungsfeld hf on hf.id = l.handlungsfeld_id
left join leitziel_status s on s.leitziel_id = l.id
order by hf.position, b.position, l.number
