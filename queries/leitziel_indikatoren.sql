-- Grain: one row per indicator linked to the Leitziel $leitziel, with its status and target.
-- Parameters: $leitziel (leitziel.id).
-- Key: indicator_id.
with linked as (
    select indicator_id from leitziel_indicator where leitziel_id = $leitziel
),
-- observation counts of the linked indicators only, in one pass (not one scan per count column)
counts as (
    select o.indicator_id, count(*) as observations, count(*) filter (where o.is_example) as example_observations
    from observation_public o
    where o.indicator_id in (select indicator_id from linked)
    group by o.indicator_id
)
select i.id as indicator_id, i.name, i.definition, i.unit, i.type, i.direction, i.source, i.holder,
       i.spatial_level, i.update_cycle, i.data_gap,
       s.category, s.label, s.rule, s.source as status_source, s.nationality,
       s.baseline_period, s.latest_period, s.is_example,
       -- a value that is suppressed in the public view is never shown here either
       coalesce(bs.suppressed, false) as baseline_suppressed,
       case when coalesce(bs.suppressed, false) then null else s.baseline_value end as baseline_value,
       coalesce(ls.suppressed, false) as latest_suppressed,
       case when coalesce(ls.suppressed, false) then null else s.latest_value end as latest_value,
       t.value as target_value, t.due as target_due, t.decided_by as target_decided_by,
       coalesce(c.observations, 0) as observations,
       coalesce(c.example_observations, 0) as example_observations
from linked li
join indicator i on i.id = li.indicator_id
left join counts c on c.indicator_id = i.id
left join indicator_status s on s.indicator_id = i.id
left join target t on t.indicator_id = i.id
left join observation_public bs
       on bs.indicator_id = s.indicator_id and bs.area_id = s.area_id and bs.nationality = s.nationality
      and bs.source = s.source and bs.period = s.baseline_period
left join observation_public ls
       on ls.indicator_id = s.indicator_id and ls.area_id = s.area_id and ls.nationality = s.nationality
      and ls.source = s.source and ls.period = s.latest_period
order by case i.type when 'E' then 1 when 'U' then 2 else 3 end, i.id
