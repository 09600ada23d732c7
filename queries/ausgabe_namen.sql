-- Grain: one row per id of an indicator, area, nationality or Leitziel with its German name (editions show names,
-- never ids such as `demokratieprojekte`, `05914000` or `_T`).
-- Parameters: none.
-- Key: kind, id.
select 'indicator' as kind, id, name from indicator
union all
select 'area', id, name || case level when 'stadt' then ' (Stadt)' when 'land' then ' (Land)' else '' end from area
union all
select 'nationality', code, name from nationality
union all
select 'leitziel', l.id, b.name || ' LZ ' || l.number from leitziel l join block b on b.id = l.block_id
order by all
