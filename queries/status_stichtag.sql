-- Grain: one row: the date the status was computed for (build_manifest.status_date) and the build time.
-- Parameters: none.
-- Key: status_date.
select status_date, built_at, build_id from build_manifest
