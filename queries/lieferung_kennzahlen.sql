-- Grain: one row per headline figure (residents, foreigners, foreigners' share, Romanians and Bulgarians of the
-- whole city) × example flag: its latest published value. Compared between the published and a newly checked
-- database before publishing (integrationsmonitor/build/update.py, headline_jumps): a jump beyond IMH_SPRUNG_FAKTOR
-- must be confirmed.
-- Parameters: none.
-- Key: indicator_id, is_example.
with city as (
    select o.indicator_id, i.name as indicator_name, o.is_example, o.period, o.value, o.source
    from observation_public o join indicator i on i.id = o.indicator_id
    where o.area_id = '05914000' and o.value is not null
      and ((o.indicator_id in ('einwohner', 'auslaender', 'auslaenderanteil') and o.nationality = '_T')
        or (o.indicator_id = 'eu2_bestand' and o.nationality = 'RO+BG'))
),
ranked as (
    select *, row_number() over (partition by indicator_id, is_example order by period desc, source) as rn
    from city
)
select indicator_id, indicator_name, is_example, period, value
from ranked
where rn = 1
order by indicator_id, is_example
