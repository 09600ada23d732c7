-- Grain: one row per loaded election (Offene Wahldaten), newest first.
-- Parameters: none.
-- Key: id.
select id, kind, kind_label, name, election_date, version, stimmbezirke, geometry_file, postal_assignable,
       postal_note, notes
from election
order by election_date desc, id
