-- Grain: one row (the build that produced this database).
-- Parameters: none.
select build_id, built_at, schema_version, package_version, duration_seconds, status_date, observations,
       population_rows
from build_manifest
