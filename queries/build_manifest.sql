-- Grain: one row (the build that produced this database).
-- Key: build_id
-- Parameters: none.
-- Example: none
select build_id, built_at, schema_version, package_version, duration_seconds, status_date, observations,
       population_rows, suppression_threshold, small_denominator, protection_range
from build_manifest
