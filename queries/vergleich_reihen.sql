-- Grain: one row per real (not example) figure of Hagen and of the comparison areas (levels land,
-- vergleichsstadt, kreis) for the given indicators: indicator × area × nationality × date × source.
-- New comparison cities/figures arrive through a CSV like data/raw/vergleichszahlen.csv — no code change.
-- Parameters: $indikatoren (list of indicator ids).
-- Key: indicator_id, area_id, nationality, period, source.
select o.indicator_id, o.area_id, a.name as area_name, a.level, o.nationality, o.period, o.value, i.unit,
       o.source, o.source_url, o.note, o.is_approx, o.is_rounded, o.date_uncertain, o.is_derived, o.is_example
from observation_public o
join area a on a.id = o.area_id
join indicator i on i.id = o.indicator_id
where list_contains($indikatoren, o.indicator_id) and not o.is_example
  and (a.level in ('land', 'vergleichsstadt', 'kreis') or a.level = 'stadt')
order by o.indicator_id, a.level, o.area_id, o.period, o.source
