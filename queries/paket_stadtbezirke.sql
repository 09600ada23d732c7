-- Grain: one row per Stadtbezirk (ids SB1..SB5) — choices for district profiles in the committee package.
-- Parameters: none.
-- Key: id.
select id, name from area where level = 'stadtbezirk' order by id
