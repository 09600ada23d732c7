-- Grain: one row per comparison group × member (groups by key list) or one row per group (size classes, area_id
-- NULL, members follow from min_persons/max_persons) — data/catalog/vergleichsgruppen.yaml.
-- Parameters: none.
-- Key: group_id, member.
select group_id, name, rule, area_id, coalesce(area_id, '(Größenklasse)') as member, min_persons, max_persons,
       position
from comparison_group
order by position, area_id
