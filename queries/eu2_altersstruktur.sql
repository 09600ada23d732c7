-- Grain: one row per nationality (RO, BG) × age group for one area (a Stadtbezirk, or the city = sum of all
-- Stadtbezirke) and one date; persons summed over sex. Confidentiality: a cell below $schwelle is suppressed
-- (primary); where exactly one cell of a nationality is suppressed, its smallest other cell is suppressed too
-- (secondary), so that no suppressed cell can be recovered from the published total.
-- Parameters: $bezirk (area id), $stichtag (DATE), $schwelle (threshold, Settings.suppression_threshold).
-- Key: nationality, age_group.
with cells as (
    select p.nationality, p.age_group, sum(p.persons) as persons, bool_or(p.is_example) as is_example,
           min(p.source) as source
    from population p
    join area a on a.id = p.area_id
    where p.period = $stichtag and p.nationality in ('RO', 'BG')
      and (p.area_id = $bezirk or a.parent_id = $bezirk)
    group by p.nationality, p.age_group
),
primary_mark as (
    select *, persons > 0 and persons < $schwelle as primary_suppressed from cells
),
secondary as (
    select *,
           count(*) filter (where primary_suppressed) over (partition by nationality) as n_primary,
           row_number() over (partition by nationality, primary_suppressed order by persons, age_group) as smallest
    from primary_mark
)
select s.nationality, s.age_group, g.name as age_group_name, g.age_from,
       case when s.primary_suppressed or (s.n_primary = 1 and not s.primary_suppressed and s.smallest = 1)
            then null else s.persons end as persons,
       s.primary_suppressed or (s.n_primary = 1 and not s.primary_suppressed and s.smallest = 1) as suppressed,
       s.is_example, s.source
from secondary s
join age_group g on g.code = s.age_group
order by s.nationality desc, g.age_from
