-- Grain: one row per observation of indicator $indikator in area $gebiet (all nationalities, all sources),
-- read from the public view (suppressed cells have NULL values and suppressed = true).
-- Parameters: $indikator (indicator.id), $gebiet (area.id, e.g. '05914000').
-- Key: nationality, source, period.
select o.period, o.nationality, coalesce(n.name, o.nationality) as nationality_name, o.value, o.numerator,
       o.denominator, o.source, o.source_url, o.note, o.figure_id, o.is_example, o.is_approx, o.is_rounded,
       o.date_uncertain, o.is_derived, o.suppressed, o.uncertain, o.source_file,
       i.name as indicator_name, i.unit, a.name as area_name
from observation_public o
join indicator i on i.id = o.indicator_id
join area a on a.id = o.area_id
left join nationality n on n.code = o.nationality
where o.indicator_id = $indikator and o.area_id = $gebiet
order by o.nationality, o.source, o.period
