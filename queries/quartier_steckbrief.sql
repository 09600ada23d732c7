-- Grain: one row per indicator × nationality with district values: the district's value at the latest date
-- on or before $stichtag, the city's value at that date, and the district's rank among the districts.
-- Parameters: $bezirk (Stadtbezirk id), $stichtag (DATE).
-- Key: indicator_id, nationality.
with district as (
    select o.*
    from observation_public o
    join area a on a.id = o.area_id and a.level = 'stadtbezirk'
    where o.period <= $stichtag
),
latest as (
    select indicator_id, nationality, max(period) as period
    from district where area_id = $bezirk
    group by indicator_id, nationality
),
ranked as (
    select d.indicator_id, d.nationality, d.period, d.area_id, d.value, d.suppressed, d.uncertain, d.is_example,
           d.source,
           case when d.value is not null then rank() over (
               partition by d.indicator_id, d.nationality, d.period, d.source, d.value is not null
               order by d.value desc) end as rang,
           count(d.value) over (partition by d.indicator_id, d.nationality, d.period, d.source) as bezirke_mit_wert
    from district d
    join latest l using (indicator_id, nationality, period)
)
select r.indicator_id, r.nationality, i.name as indicator_name, i.unit, i.direction, r.period, r.value,
       r.suppressed, r.uncertain, r.is_example, r.source, r.rang, r.bezirke_mit_wert,
       c.value as stadt_value, c.suppressed as stadt_suppressed
from ranked r
join indicator i on i.id = r.indicator_id
left join observation_public c
  on c.indicator_id = r.indicator_id and c.nationality = r.nationality and c.period = r.period
 and c.area_id = (select parent_id from area where id = $bezirk) and c.source = r.source
where r.area_id = $bezirk
qualify row_number() over (partition by r.indicator_id, r.nationality order by r.is_example, r.source) = 1
order by i.name, r.nationality
