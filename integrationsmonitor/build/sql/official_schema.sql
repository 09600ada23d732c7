-- Official statistics (GENESIS flat files) and catalogue deliveries; see integrationsmonitor/ingest/official.py.
-- Every cell of every delivered flat file: a number (value) or a sign of the offices (sign, value NULL — never 0).
create table official_table (
    table_code varchar not null, file varchar primary key, statistics_code varchar, statistics_label varchar,
    title varchar, database varchar, language varchar, source varchar not null, source_kind varchar,
    stand varchar, licence varchar, attribution varchar, url varchar, variables varchar,
    cells integer not null, mapped_cells integer not null, sign_cells integer not null, in_catalog boolean not null
);
create table official_value (
    table_code varchar not null, file varchar not null, "row" integer, statistics_code varchar,
    time_code varchar, "time" varchar, period date, region_key varchar, region_name varchar, attributes varchar,
    value_variable_code varchar, value_variable_label varchar, value double, sign varchar not null, unit varchar,
    quality varchar, source varchar not null, area_id varchar, indicator_id varchar, nationality varchar,
    sex varchar, age_group varchar, mapped boolean not null, is_derived boolean not null,
    check (value is not null or sign <> '' or is_derived)
);
-- What the mapping (data/catalog/genesis.yaml) did not cover: listed in the preview, never dropped silently.
create table official_unmapped (
    file varchar not null, table_code varchar, kind varchar not null, code varchar, label varchar, cells integer
);
-- Entries added by catalogue deliveries (data/raw/katalog_*.csv), for the preview and the methodology page.
create table catalog_addition (file varchar not null, "row" integer, kind varchar not null, code varchar not null,
                               name varchar);
-- Every source string with its kind (melderegister, fortschreibung, zensus, …): the source is a dimension.
create table source_kind (source varchar primary key, kind varchar not null, note varchar);
-- Example series removed because real figures exist for the same indicator × area × nationality.
create table example_superseded (
    indicator_id varchar not null, area_id varchar not null, nationality varchar not null, example_rows integer,
    real_sources varchar
);
-- "Ähnliche Städte" with the rule shown on the page (data/catalog/vergleichsgruppen.yaml).
create table comparison_group (
    group_id varchar not null, name varchar not null, rule varchar not null, area_id varchar,
    min_persons double, max_persons double, position integer not null
);
