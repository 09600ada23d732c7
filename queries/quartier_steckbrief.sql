-- Grain: one row per indicator × nationality with district values: the district's value at the latest date
-- on or before $stichtag, the city's value at that date, the residents of district and city at that date, and
-- the district's rank among the districts — by value (rang) and by value per resident (rang_je_einwohner).
-- Parameters: $bezirk (Stadtbezirk id), $stichtag (DATE).
-- Key: indicator_id, nationality.
with district as (
    select o.*
    from observation_public o
    join area a on a.id = o.area_id and a.level = 'stadtbezirk'
    where o.period <= $stichtag
),
residents as (
    select o.area_id, o.period, o.value as einwohner
    from observation_public o
    where o.indicator_id = 'einwohner' and o.nationality = '_T' and o.value is not null
    qualify row_number() over (partition by o.area_id, o.period order by o.is_example, o.source) = 1
),
latest as (
    select indicator_id, nationality, max(period) as period
    from district where area_id = $bezirk
    group by indicator_id, nationality
),
ranked as (
    select d.indicator_id, d.nationality, d.period, d.area_id, d.value, d.numerator, d.denominator, d.suppressed,
           d.uncertain, d.is_example, d.source, e.einwohner,
           case when d.value is not null then rank() over (
               partition by d.indicator_id, d.nationality, d.period, d.source, d.value is not null
               order by d.value desc) end as rang,
           case when d.value is not null and e.einwohner is not null then rank() over (
               partition by d.indicator_id, d.nationality, d.period, d.source,
                            d.value is not null and e.einwohner is not null
               order by d.value / e.einwohner desc) end as rang_je_einwohner,
           count(d.value) over (partition by d.indicator_id, d.nationality, d.period, d.source) as bezirke_mit_wert
    from district d
    join latest l using (indicator_id, nationality, period)
    left join residents e on e.area_id = d.area_id and e.period = d.period
)
select r.indicator_id, r.nationality, coalesce(n.name, r.nationality) as nationality_name,
       i.name as indicator_name, i.unit, i.direction, r.period, r.value, r.numerator, r.denominator,
       r.suppressed, r.uncertain, r.is_example, r.source, r.rang, r.rang_je_einwohner, r.bezirke_mit_wert,
       r.einwohner, c.value as stadt_value, c.suppressed as stadt_suppressed, ce.einwohner as stadt_einwohner
from ranked r
join indicator i on i.id = r.indicator_id
left join nationality n on n.code = r.nationality
left join observation_public c
  on c.indicator_id = r.indicator_id and c.nationality = r.nationality and c.period = r.period
 and c.area_id = (select parent_id from area where id = $bezirk) and c.source = r.source
left join residents ce on ce.area_id = (select parent_id from area where id = $bezirk) and ce.period = r.period
where r.area_id = $bezirk
qualify row_number() over (partition by r.indicator_id, r.nationality order by r.is_example, r.source) = 1
order by i.name, r.nationality
