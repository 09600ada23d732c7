-- Grain: one row per area (the Stimmbezirk, its Stadtbezirk, the city) × turnout measure of one election.
-- Parameters: $wahl (election id), $stimmbezirk (area id of a Stimmbezirk of that election).
-- Example: $wahl = kommunalwahl-2025-09-14, $stimmbezirk = kommunalwahl-2025-09-14-4205
-- Key: area_id, indicator_id.
with e as (select id, election_date, replace(kind, '-', '_') as kind from election where id = $wahl),
     sb as (select a.id, a.parent_id from area a
            join election_district d on d.area_id = a.id and d.election_id = $wahl
            where a.id = $stimmbezirk)
select o.area_id, a.name as area_name, a.level, o.indicator_id, i.name as indicator_name, i.unit, o.value,
       o.is_approx, o.note, o.source, e.election_date,
       case when o.indicator_id = 'wahlbeteiligung_' || e.kind then 'beteiligung'
            when o.indicator_id = 'wahlbeteiligung_urne_' || e.kind then 'urne'
            else 'berechtigte' end as merkmal
from observation_public o
join e on o.period = e.election_date
join area a on a.id = o.area_id
join indicator i on i.id = o.indicator_id
where o.indicator_id in ('wahlbeteiligung_' || e.kind, 'wahlbeteiligung_urne_' || e.kind, 'wahlberechtigte_' || e.kind)
  and o.area_id in (select id from sb union all select parent_id from sb union all select '05914000')
order by case a.level when 'stimmbezirk' then 0 when 'stadtbezirk' then 1 else 2 end, o.indicator_id
