-- Grain: one row per area with a map geometry (the city outline and the Stadtbezirke), simplified at build time.
-- Parameters: none. Stimmbezirke (one area set per election) come from quartier_stimmbezirk_geometrie.sql.
-- Key: area_id.
select area_id, level, name, geojson, is_schematic, source, attribution, licence
from geometry
where level in ('stadt', 'stadtbezirk')
order by level desc, area_id
