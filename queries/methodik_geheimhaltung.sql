-- Grain: one row per indicator with at least one suppressed cell (statistical confidentiality).
-- Parameters: none.
-- Key: indicator_id.
select o.indicator_id, i.name as indicator_name, count(*) filter (where o.suppressed) as suppressed_cells,
       count(*) filter (where o.uncertain) as uncertain_cells
from observation_public o
join indicator i on i.id = o.indicator_id
group by o.indicator_id, i.name
having count(*) filter (where o.suppressed) > 0 or count(*) filter (where o.uncertain) > 0
order by o.indicator_id
