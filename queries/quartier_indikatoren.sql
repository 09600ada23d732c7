-- Grain: one row per indicator × nationality that has observations at Stadtbezirk level (map indicators).
-- Parameters: none.
-- Key: indicator_id, nationality.
with at_district as (
    select o.indicator_id, o.nationality, count(distinct o.period) as stichtage, bool_or(o.is_example) as is_example
    from observation_public o
    join area a on a.id = o.area_id and a.level = 'stadtbezirk'
    group by o.indicator_id, o.nationality
)
select d.indicator_id, d.nationality, i.name, i.unit, i.definition, coalesce(n.name, d.nationality) as nationality_name,
       d.stichtage, d.is_example
from at_district d
join indicator i on i.id = d.indicator_id
left join nationality n on n.code = d.nationality
order by i.name, d.nationality
