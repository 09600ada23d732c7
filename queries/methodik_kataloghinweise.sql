-- Grain: one row per catalogue note (e.g. 9 vs. 10 blocks).
-- Parameters: none.
-- Key: id.
select id, text from catalog_note order by id
