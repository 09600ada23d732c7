-- Grain: one row per event (annotation for time series), city-wide or for area $gebiet.
-- Parameters: $gebiet (area.id).
-- Key: date, label.
select date, label, area_id, source
from event
where area_id is null or area_id = $gebiet
order by date
