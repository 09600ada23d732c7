-- Grain: one row per Leitziel (27), in the order of the concept.
-- Parameters: none.
-- Example: none
-- Key: leitziel_id.
select hf.id as handlungsfeld_id, hf.name as handlungsfeld, b.id as block_id, b.name as block,
       l.id as leitziel_id, l.number, l.numbered, l.text,
       (select count(*) from leitziel_indicator li where li.leitziel_id = l.id) as indikatoren
from leitziel l
join block b on b.id = l.block_id
join handlungsfeld hf on hf.id = l.handlungsfeld_id
order by hf.position, b.position, l.number
