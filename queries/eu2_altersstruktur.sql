-- Grain: one row per nationality (RO, BG) × age group for one area (a Stadtbezirk, or the city = sum of all
-- Stadtbezirke) and one date; persons summed over sex.
-- Confidentiality: no suppression rule of its own. A Stadtbezirk's age structure (nationality × age group, sex
-- '_T') and the city-wide age structure of RO and BG are published margins of the population table; the build
-- protects them together with every other published figure, including the relation city = sum of districts
-- (integrationsmonitor/suppression.py → population_suppressed, the same protection as population_public). A
-- cell is shown exactly where the build publishes the margin of the chosen area, so no suppressed cell can be
-- recovered from what is shown. The margins come from the public view age_structure_public (build/sql/public.sql),
-- never from the base cells, so a public Parquet export (no unsuppressed cells) answers the same.
-- Parameters: $bezirk (area id), $stichtag (DATE).
-- Key: nationality, age_group.
select c.nationality, c.age_group, g.name as age_group_name, g.age_from, c.persons, c.suppressed, c.is_example,
       c.source
from age_structure_public c
join age_group g on g.code = c.age_group
where c.area_id = $bezirk and c.period = $stichtag and c.nationality in ('RO', 'BG')
order by c.nationality desc, g.age_from
