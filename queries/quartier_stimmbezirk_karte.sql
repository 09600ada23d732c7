-- Grain: one row per Stimmbezirk (Urnenwahlbezirk) of one election: polling-station turnout and electorate
-- (published election results, never suppressed), with its Stadtbezirk.
-- Parameters: $wahl (election id).
-- Example: $wahl = kommunalwahl-2025-09-14
-- Key: area_id.
with e as (select id, election_date, replace(kind, '-', '_') as kind from election where id = $wahl)
select d.area_id, a.name as area_name, a.parent_id as stadtbezirk_id, p.name as stadtbezirk_name, d.bezirk_nr,
       urne.value as beteiligung_urne, berechtigte.value as wahlberechtigte, urne.source, urne.note,
       e.election_date
from election_district d
join e on e.id = d.election_id
join area a on a.id = d.area_id
left join area p on p.id = a.parent_id
left join observation_public urne
  on urne.area_id = d.area_id and urne.period = e.election_date and urne.indicator_id = 'wahlbeteiligung_urne_' || e.kind
left join observation_public berechtigte
  on berechtigte.area_id = d.area_id and berechtigte.period = e.election_date
 and berechtigte.indicator_id = 'wahlberechtigte_' || e.kind
where d.bezirk_art = 'W'
order by d.bezirk_nr
