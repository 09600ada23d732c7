-- Grain: one row per block × status category that occurs (counts of Leitziele; never an average).
-- Parameters: none.
-- Key: block_id, category.
select hf.id as handlungsfeld_id, hf.name as handlungsfeld, hf.position as hf_position,
       b.id as block_id, b.name as block, b.position as block_position,
       s.category, count(*) as leitziele, bool_or(s.is_example) as is_example
from leitziel l
join block b on b.id = l.block_id
join handlungsfeld hf on hf.id = l.handlungsfeld_id
join leitziel_status s on s.leitziel_id = l.id
group by all
order by hf_position, block_position, s.category
