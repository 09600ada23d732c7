-- Grain: one row per nationality (RO, BG) × age group for one area (a Stadtbezirk, or the city = sum of all
-- Stadtbezirke) and one date; persons summed over sex.
-- Confidentiality: no suppression rule of its own. A Stadtbezirk's age structure (nationality × age group, sex
-- '_T') and the city-wide age structure of RO and BG are published margins of the population table; the build
-- protects them together with every other published figure, including the relation city = sum of districts
-- (integrationsmonitor/suppression.py → population_suppressed, the same protection as population_public). A
-- cell is shown exactly where the build publishes the margin of the chosen area, so no suppressed cell can be
-- recovered from what is shown.
-- Parameters: $bezirk (area id), $stichtag (DATE).
-- Key: nationality, age_group.
with district_cells as (
    select p.area_id, p.nationality, p.age_group, sum(p.persons) as persons, bool_or(p.is_example) as is_example,
           min(p.source) as source
    from population p
    join area a on a.id = p.area_id
    where p.period = $stichtag and p.nationality in ('RO', 'BG')
      and (p.area_id = $bezirk or a.parent_id = $bezirk)
    group by p.area_id, p.nationality, p.age_group
),
protected as (
    select c.*,
           exists (select 1 from population_suppressed s
                   where s.area_id = $bezirk and s.period = $stichtag
                     and s.nationality = c.nationality and s.age_group = c.age_group and s.sex = '_T') as suppressed
    from district_cells c
),
cells as (
    select nationality, age_group, sum(persons) as persons, bool_or(suppressed) as suppressed,
           bool_or(is_example) as is_example, min(source) as source
    from protected
    group by nationality, age_group
)
select c.nationality, c.age_group, g.name as age_group_name, g.age_from,
       case when c.suppressed then null else c.persons end as persons,
       c.suppressed, c.is_example, c.source
from cells c
join age_group g on g.code = c.age_group
order by c.nationality desc, g.age_from
