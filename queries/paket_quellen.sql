-- Grain: one row per source file loaded into the database (for the sources section of the committee package).
-- Parameters: none.
-- Key: path.
select path, title, publisher, stand, licence, attribution, is_example
from source_file
order by is_example, path
