-- Grain: one row: the area $gebiet (id, name, level) — empty if the id is unknown.
-- Parameters: $gebiet (area.id).
-- Key: area_id.
select id as area_id, name, level, parent_id from area where id = $gebiet
