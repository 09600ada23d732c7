-- Grain: one row per published figure (not example data) whose delivery carries a note or a source name with
-- working notes: the original wording, which the public pages show only in translated form (wording.py).
-- Parameters: none.
-- Key: indicator_id, area_id, period, nationality, source.
select o.figure_id, i.name as indicator_name, a.name as area_name, o.period, o.nationality, o.source, o.note,
       o.indicator_id, o.area_id
from observation_public o
join indicator i on i.id = o.indicator_id
join area a on a.id = o.area_id
where not o.is_example and coalesce(o.note, '') <> ''
order by o.period, a.name, i.name, o.nationality, o.source
