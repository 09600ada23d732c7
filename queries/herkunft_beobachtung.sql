-- Grain: one row per raw input row behind one observation — the delivered row itself; for a real EU-2 sum its
--   Romanian and Bulgarian rows; for a figure derived from the population table the population rows it was
--   computed from (the area's own rows and those of its Stadtbezirke, restricted to the nationalities the
--   indicator counts; for shares numerator and denominator, i.e. all rows).
-- Parameters: $indikator (indicator.id), $gebiet (area.id), $stichtag (DATE), $nationalitaet, $quelle (source).
-- Key: input_table, source_file, source_row.
-- Example: indikator=eu2_bestand, gebiet=05914000, stichtag=2022-12-31, nationalitaet=RO+BG, quelle=IT.NRW Ausländerstatistik
-- Internal: reads the unsuppressed tables (the statistics office's trace from a figure to its raw rows, used by
--   `python -m integrationsmonitor herkunft`); never shown on a public page.
with target as (
    select * from observation
    where indicator_id = $indikator and area_id = $gebiet and period = $stichtag and nationality = $nationalitaet
      and source = $quelle
),
delivered as (
    select 'observation' as input_table, t.source_file, t.source_row, t.nationality, t.value
    from target t where not t.is_derived
),
eu2_sum as (
    select 'observation' as input_table, o.source_file, o.source_row, o.nationality, o.value
    from target t
    join observation o
      on o.indicator_id = 'auslaender' and o.nationality in ('RO', 'BG') and o.area_id = t.area_id
     and o.period = t.period and o.source = t.source and not o.is_derived
    where t.is_derived and t.indicator_id = 'eu2_bestand' and t.source_file <> 'population'
),
from_population as (
    select 'population' as input_table, p.source_file, p.source_row, p.nationality, p.persons::double as value
    from target t
    join population p
      on p.period = t.period
     and (p.area_id = t.area_id
          or p.area_id in (select c.id from area c where c.parent_id = t.area_id and c.level = 'stadtbezirk'))
    where t.is_derived and t.source_file = 'population'
      and case
            when t.indicator_id = 'auslaender' and t.nationality = '_T' then p.nationality <> 'DE'
            when t.indicator_id = 'auslaender' then p.nationality = t.nationality
            when t.indicator_id = 'eu2_bestand' then p.nationality in ('RO', 'BG')
            else true
          end
)
select * from delivered
union all select * from eu2_sum
union all select * from from_population
order by input_table, source_file, source_row
