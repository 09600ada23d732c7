-- Grain: one row per Stimmbezirk of one election with its map geometry (simplified at build time).
-- Parameters: $wahl (election id).
-- Example: $wahl = kommunalwahl-2025-09-14
-- Key: area_id.
select g.area_id, g.level, g.name, g.geojson, g.is_schematic, g.source, g.attribution, g.licence
from election_district d
join geometry g on g.area_id = d.area_id
where d.election_id = $wahl and d.bezirk_art = 'W'
order by d.bezirk_nr
