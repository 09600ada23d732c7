-- Grain: one row per data file (source_file) and, within it, per observation source named in the rows
-- (files without observations, e.g. geometry, appear once with source NULL). Stand = latest period.
-- Parameters: none.
-- Key: none (path + source is unique; source is NULL for files without observations)
with obs as (
    select source_file, source, min(period) as first_period, max(period) as latest_period, count(*) as rows
    from observation_public
    group by source_file, source
),
-- one row per population source (never a join of every population row onto every file of that source)
pop as (
    select source, bool_or(is_example) as is_example
    from population
    group by source
)
select f.path, f.title, f.publisher, f.stand as stand_file, f.licence, f.attribution, f.is_example,
       o.source, o.first_period, o.latest_period, o.rows
from source_file f
left join obs o on o.source_file = f.path
union all
select o.source_file,
       case when o.source_file = 'election_district' then 'Summen über die Wahlbezirke (aus den Wahlergebnissen)'
            else 'aus der Bevölkerungstabelle abgeleitet' end, null, null, null, null,
       p.is_example, o.source, o.first_period, o.latest_period, o.rows
from obs o
left join pop p on p.source = o.source
where o.source_file not in (select path from source_file)
order by 1, 8
