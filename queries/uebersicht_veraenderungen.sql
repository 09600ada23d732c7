-- Grain: one row per indicator × nationality × source × example flag at city level (Hagen) with at least two
-- periods: the latest and the previous value of that very series (sources are never mixed). Published figures
-- before example data, each with the newest reference dates first: a series that ended years ago comes last.
-- Parameters: none.
-- Key: indicator_id, nationality, source, is_example.
with city as (
    select o.indicator_id, o.nationality, o.source, o.is_example, o.period, o.value, o.is_approx,
           o.suppressed,
           row_number() over (partition by o.indicator_id, o.nationality, o.source, o.is_example
                              order by o.period desc) as rn
    from observation_public o
    where o.area_id = (select id from area where level = 'stadt') and o.nationality in ('_T', 'RO+BG')
)
select l.indicator_id, i.name as indicator_name, i.unit, i.type, i.direction, l.nationality, l.source,
       l.is_example, p.period as previous_period, p.value as previous_value, l.period as latest_period,
       l.value as latest_value, l.value - p.value as change,
       case when p.value <> 0 then round(100.0 * (l.value - p.value) / abs(p.value), 2) end as change_percent,
       l.is_approx or p.is_approx as is_approx, l.suppressed or p.suppressed as suppressed
from city l
join city p on p.indicator_id = l.indicator_id and p.nationality = l.nationality and p.source = l.source
           and p.is_example = l.is_example and p.rn = 2
join indicator i on i.id = l.indicator_id
where l.rn = 1
order by l.is_example, l.period desc, case i.type when 'K' then 1 when 'E' then 2 else 3 end, l.indicator_id,
         l.source, l.nationality
