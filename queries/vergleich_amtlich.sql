-- Grain: one row per area × date × source of the official tables (GENESIS flat files) for indicator $indikator,
-- totals only (all nationalities, both sexes, all ages). value is NULL where the office gave a sign instead of a
-- number (sign = '-', '.', 'x', '/', '…'); such a row is shown with its sign, never as 0.
-- Parameters: $indikator (indicator.id, e.g. 'einwohner').
-- Example: $indikator = einwohner
-- Key: area_id, period, source.
select v.area_id, a.name as area_name, a.level, a.official_code, a.parent_id, v.period, v.value, v.sign,
       v.source, v.table_code, v.is_derived, i.unit, t.stand, t.url
from official_value v
join area a on a.id = v.area_id
join indicator i on i.id = v.indicator_id
join official_table t on t.file = v.file
where v.mapped and v.indicator_id = $indikator and v.nationality = '_T' and v.sex = '_T' and v.age_group = '_T'
order by v.period, v.area_id, v.source
