-- After derive.sql, before suppression: an example series never stands next to a real one as if equal.
-- Where real figures (not derived from the example population) exist for an indicator × area × nationality,
-- the example figures delivered for the same indicator × area × nationality are taken out (kept in data/raw,
-- listed in example_superseded and on the methodology page). Figures derived from the example population
-- table (district figures) stay; they carry their own example flag.
insert into example_superseded
select e.indicator_id, e.area_id, e.nationality, count(*),
       (select string_agg(distinct r.source, '; ' order by r.source) from observation r
        where r.indicator_id = e.indicator_id and r.area_id = e.area_id and r.nationality = e.nationality
          and not r.is_example)
from observation e
where e.is_example and not e.is_derived
  and exists (select 1 from observation r
              where r.indicator_id = e.indicator_id and r.area_id = e.area_id and r.nationality = e.nationality
                and not r.is_example)
group by e.indicator_id, e.area_id, e.nationality;

delete from observation o
using example_superseded s
where o.is_example and not o.is_derived
  and o.indicator_id = s.indicator_id and o.area_id = s.area_id and o.nationality = s.nationality;
