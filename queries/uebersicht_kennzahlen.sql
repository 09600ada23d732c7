-- Grain: one row per headline indicator (einwohner, auslaender, eu2_bestand) × example flag: the latest
-- observation for Hagen (city, all nationalities resp. RO+BG), preferring the longest-running source on ties.
-- Parameters: none.
-- Key: indicator_id, is_example.
with city as (
    select o.*, i.name as indicator_name, i.unit
    from observation_public o join indicator i on i.id = o.indicator_id
    where o.area_id = (select id from area where level = 'stadt')
      and ((o.indicator_id in ('einwohner', 'auslaender') and o.nationality = '_T')
        or (o.indicator_id = 'eu2_bestand' and o.nationality = 'RO+BG'))
),
ranked as (
    select *, row_number() over (partition by indicator_id, is_example order by period desc, source) as rn
    from city
)
select indicator_id, indicator_name, unit, is_example, period, value, source, is_approx, is_rounded,
       date_uncertain, is_derived, suppressed, figure_id
from ranked
where rn = 1
order by case indicator_id when 'einwohner' then 1 when 'auslaender' then 2 else 3 end, is_example
