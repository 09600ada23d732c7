-- Grain: one row per measure assigned to the Leitziel $leitziel.
-- Parameters: $leitziel (leitziel.id).
-- Key: id.
select id, title, lead, start_date, end_date, status, is_example, note
from measure
where leitziel_id = $leitziel
order by id
