-- Grain: one row per area × date × source of a published EU-2 sum (RO+BG, given or formed from RO and BG of the
-- same source and date) for Hagen and the comparison areas, with the official population of the same area on
-- the same date where one exists (NULL otherwise: then no share may be formed).
-- Parameters: none.
-- Key: area_id, period, eu2_source, is_derived
-- (is_derived: a sum formed from RO and BG beside one the source gave)
with eu2 as (
    select o.area_id, o.period, o.source, o.value, o.is_derived, o.is_approx, o.is_rounded, o.date_uncertain
    from observation_public o
    join area a on a.id = o.area_id
    where o.nationality = 'RO+BG' and o.indicator_id in ('auslaender', 'eu2_bestand') and not o.is_example
      and (a.level in ('vergleichsstadt', 'kreis') or a.id = '05914000')
),
pop as (
    select v.area_id, v.period, v.value, v.source
    from official_value v
    where v.mapped and v.indicator_id = 'einwohner' and v.nationality = '_T' and v.sex = '_T'
      and v.age_group = '_T' and v.value is not null
)
select e.area_id, a.name as area_name, e.period, e.source as eu2_source, e.value as eu2,
       e.is_derived, e.is_approx or e.is_rounded as approx, e.date_uncertain,
       p.value as einwohner, p.source as einwohner_source,
       (select string_agg(strftime(p2.period, '%d.%m.%Y'), ', ' order by p2.period) from pop p2
        where p2.area_id = e.area_id) as einwohner_dates
from eu2 e
join area a on a.id = e.area_id
left join pop p on p.area_id = e.area_id and p.period = e.period
order by e.area_id = '05914000' desc, a.name, e.period, e.source
