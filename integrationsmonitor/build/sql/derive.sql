-- Derived tables, computed in the build after loading and validating.

-- Real EU-2 sums: Romania + Bulgaria where both are given for the same area, date and source.
insert into observation
select 'eu2_bestand', ro.area_id, ro.period, 'RO+BG', ro.value + bg.value, null, null, ro.source, ro.source_url,
       'Summe aus ' || ro.figure_id || ' (RO) und ' || bg.figure_id || ' (BG)', ro.figure_id || '+' || bg.figure_id,
       false, ro.is_approx or bg.is_approx, ro.is_rounded or bg.is_rounded, ro.date_uncertain or bg.date_uncertain,
       true, '', ro.source_file, ro.source_row, false, false
from observation ro
join observation bg
  on bg.indicator_id = 'auslaender' and bg.nationality = 'BG' and bg.area_id = ro.area_id
 and bg.period = ro.period and bg.source = ro.source
where ro.indicator_id = 'auslaender' and ro.nationality = 'RO'
  and not exists (
      select 1 from observation o
      where o.indicator_id = 'eu2_bestand' and o.area_id = ro.area_id and o.period = ro.period
        and o.nationality = 'RO+BG' and o.source = ro.source);

-- Key figures per district and city from the population table (one row per area × date).
create table area_population as
with cells as (
    select p.area_id, p.period, p.nationality, p.persons, p.is_example, p.source from population p
    union all
    select a.parent_id, p.period, p.nationality, p.persons, p.is_example, p.source
    from population p join area a on a.id = p.area_id
    where a.level = 'stadtbezirk'
)
select area_id, period,
       sum(persons)::bigint as einwohner,
       sum(persons) filter (where nationality = 'DE')::bigint as deutsche,
       sum(persons) filter (where nationality <> 'DE')::bigint as auslaender,
       sum(persons) filter (where nationality = 'RO')::bigint as rumaenen,
       sum(persons) filter (where nationality = 'BG')::bigint as bulgaren,
       sum(persons) filter (where nationality in ('RO', 'BG'))::bigint as eu2,
       bool_or(is_example) as is_example,
       min(source) as source
from cells
group by area_id, period;

-- The same figures in long format, so that maps and time series read one table.
insert into observation
select ind, ap.area_id, ap.period, nat, val, num, den, ap.source, '', 'abgeleitet aus der Bevölkerungstabelle', '',
       ap.is_example, false, false, false, true, '', 'population', null, false, false
from area_population ap,
     lateral (values
        ('einwohner', '_T', ap.einwohner::double, null::bigint, null::bigint),
        ('auslaender', '_T', ap.auslaender::double, null, null),
        ('eu2_bestand', 'RO+BG', ap.eu2::double, null, null),
        ('eu2_anteil', 'RO+BG', round(100.0 * ap.eu2 / nullif(ap.einwohner, 0), 2), ap.eu2, ap.einwohner),
        ('auslaenderanteil', '_T', round(100.0 * ap.auslaender / nullif(ap.einwohner, 0), 2), ap.auslaender,
         ap.einwohner)
     ) as v(ind, nat, val, num, den);

insert into observation
select 'auslaender', area_id, period, nationality, sum(persons), null, null, min(source), '',
       'abgeleitet aus der Bevölkerungstabelle', '', bool_or(is_example), false, false, false, true, '',
       'population', null, false, false
from (
    select p.area_id, p.period, p.nationality, p.persons, p.is_example, p.source from population p
    union all
    select a.parent_id, p.period, p.nationality, p.persons, p.is_example, p.source
    from population p join area a on a.id = p.area_id where a.level = 'stadtbezirk'
)
where nationality <> 'DE'
group by area_id, period, nationality;

-- Segregation (dissimilarity) index of non-Germans vs Germans over the districts, per date.
insert into observation
select 'segregationsindex', parent.id, d.period, '_T',
       round(50 * sum(abs(d.auslaender / t.auslaender - d.deutsche / t.deutsche)), 2), null, null,
       min(d.source), '', 'berechnet aus der Bevölkerung nach Stadtbezirk', '', bool_or(d.is_example),
       false, false, false, true, '', 'population', null, false, false
from area_population d
join area a on a.id = d.area_id and a.level = 'stadtbezirk'
join area parent on parent.id = a.parent_id
join area_population t on t.area_id = parent.id and t.period = d.period
group by parent.id, d.period;

update observation set flag = concat_ws(',',
    case when is_example then 'beispiel' end,
    case when is_approx then 'ca' end,
    case when is_rounded then 'gerundet' end,
    case when date_uncertain then 'datum_unsicher' end,
    case when is_derived then 'abgeleitet' end);
