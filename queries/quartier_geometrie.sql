-- Grain: one row per area with a map geometry (the city outline and the Stadtbezirke), simplified at build time.
-- Parameters: none.
-- Key: area_id.
select area_id, level, name, geojson, is_schematic, source, attribution, licence
from geometry
order by level desc, area_id
