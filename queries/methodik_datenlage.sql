-- Grain: one row per indicator × area level: which figures are real (published or official tables), which are
-- example data, and which example series were taken out because real figures of the same series exist.
-- Parameters: none.
-- Key: indicator_id, level
-- (level 'keine' for an indicator without any figure)
with per as (
    select o.indicator_id, a.level,
           count(*) filter (where not o.is_example) as real_values,
           count(*) filter (where o.is_example) as example_values,
           count(distinct o.area_id) filter (where not o.is_example) as real_areas,
           max(o.period) filter (where not o.is_example) as latest_real,
           string_agg(distinct o.source, '; ' order by o.source) filter (where not o.is_example) as real_sources
    from observation_public o
    join area a on a.id = o.area_id
    group by o.indicator_id, a.level
),
superseded as (
    select s.indicator_id, a.level, sum(s.example_rows) as superseded_values
    from example_superseded s join area a on a.id = s.area_id
    group by s.indicator_id, a.level
)
select i.id as indicator_id, i.name as indicator_name, coalesce(p.level, s.level, 'keine') as level,
       coalesce(p.real_values, 0) as real_values, coalesce(p.example_values, 0) as example_values,
       coalesce(p.real_areas, 0) as real_areas, p.latest_real, p.real_sources,
       coalesce(s.superseded_values, 0) as superseded_values,
       case when coalesce(p.real_values, 0) > 0 and coalesce(p.example_values, 0) > 0 then 'echt und Beispiel'
            when coalesce(p.real_values, 0) > 0 then 'echt'
            when coalesce(p.example_values, 0) > 0 then 'nur Beispieldaten'
            else 'keine Daten' end as state
from indicator i
left join per p on p.indicator_id = i.id
full join superseded s on s.indicator_id = i.id and s.level = p.level
where i.id is not null
order by i.id, level
