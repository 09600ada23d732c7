-- Grain: one row per election whose Stimmbezirke have a map geometry (newest first).
-- Parameters: none.
-- Key: id.
select e.id, e.kind, e.kind_label, e.name, e.election_date, e.postal_assignable, e.postal_note, e.notes,
       e.stimmbezirke, e.geometry_file
from election e
where exists (select 1 from election_district d join geometry g on g.area_id = d.area_id where d.election_id = e.id)
order by e.election_date desc, e.id
