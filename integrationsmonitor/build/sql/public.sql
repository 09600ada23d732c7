-- Public views: the only tables pages and exports read. Suppressed cells have NULL values and keep their row,
-- so that a page can show "·" with a footnote (never 0, never blank).
create view observation_public as
select indicator_id, area_id, period, nationality,
       case when suppressed then null else value end as value,
       case when suppressed then null else numerator end as numerator,
       case when suppressed then null else denominator end as denominator,
       source, source_url, note, figure_id, is_example, is_approx, is_rounded, date_uncertain, is_derived, flag,
       source_file, source_row, suppressed, uncertain
from observation;

-- Population cells: persons NULL where suppressed (primary: 1 or 2 persons; secondary: so that no sum over
-- district, nationality, age group or sex reveals a hidden cell). Filled by integrationsmonitor/suppression.py.
create view population_public as
select p.area_id, p.period, p.nationality, p.age_group, p.sex,
       case when s.area_id is null then p.persons end as persons,
       p.source, p.is_example, p.source_file, p.source_row,
       s.area_id is not null as suppressed
from population p
left join population_suppressed s
  on s.area_id = p.area_id and s.period = p.period and s.nationality = p.nationality
 and s.age_group = p.age_group and s.sex = p.sex;

-- Key figures per area (margins of the population table) with the same protection.
create view area_population_public as
select ap.area_id, ap.period,
       case when t.area_id is null then ap.einwohner end as einwohner,
       case when de.area_id is null then ap.deutsche end as deutsche,
       case when aus.area_id is null then ap.auslaender end as auslaender,
       case when ro.area_id is null then ap.rumaenen end as rumaenen,
       case when bg.area_id is null then ap.bulgaren end as bulgaren,
       case when eu2.area_id is null then ap.eu2 end as eu2,
       (t.area_id is not null or de.area_id is not null or aus.area_id is not null or ro.area_id is not null
        or bg.area_id is not null or eu2.area_id is not null) as suppressed,
       ap.is_example, ap.source
from area_population ap
left join population_suppressed t on t.area_id = ap.area_id and t.period = ap.period
     and t.nationality = '_T' and t.age_group = '_T' and t.sex = '_T'
left join population_suppressed de on de.area_id = ap.area_id and de.period = ap.period
     and de.nationality = 'DE' and de.age_group = '_T' and de.sex = '_T'
left join population_suppressed aus on aus.area_id = ap.area_id and aus.period = ap.period
     and aus.nationality = 'AUS' and aus.age_group = '_T' and aus.sex = '_T'
left join population_suppressed ro on ro.area_id = ap.area_id and ro.period = ap.period
     and ro.nationality = 'RO' and ro.age_group = '_T' and ro.sex = '_T'
left join population_suppressed bg on bg.area_id = ap.area_id and bg.period = ap.period
     and bg.nationality = 'BG' and bg.age_group = '_T' and bg.sex = '_T'
left join population_suppressed eu2 on eu2.area_id = ap.area_id and eu2.period = ap.period
     and eu2.nationality = 'RO+BG' and eu2.age_group = '_T' and eu2.sex = '_T';

-- Age structure (nationality × age group, both sexes) of every area that has population cells: its own cells plus
-- those of its direct sub-areas (the city = sum of its Stadtbezirke), persons NULL where the build protects this
-- margin (population_suppressed with sex '_T'). A published margin of the population table like every other, so
-- that pages and a public Parquet export never need the unsuppressed base cells to show it.
create view age_structure_public as
with cells as (
    select t.id as area_id, p.period, p.nationality, p.age_group, sum(p.persons) as persons,
           bool_or(p.is_example) as is_example, min(p.source) as source
    from population p
    join area a on a.id = p.area_id
    join area t on t.id = p.area_id or t.id = a.parent_id
    group by all
)
select c.area_id, c.period, c.nationality, c.age_group,
       case when s.area_id is null then c.persons end as persons,
       s.area_id is not null as suppressed, c.is_example, c.source
from cells c
left join population_suppressed s
  on s.area_id = c.area_id and s.period = c.period and s.nationality = c.nationality
 and s.age_group = c.age_group and s.sex = '_T';
