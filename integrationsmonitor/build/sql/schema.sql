-- Schema of data/integrationsmonitor.duckdb (SCHEMA_VERSION in config.py). Stable for analysts: see README.
create table handlungsfeld (id varchar primary key, name varchar not null, position integer not null);
create table block (
    id varchar primary key, handlungsfeld_id varchar not null references handlungsfeld (id),
    name varchar not null, position integer not null
);
create table leitziel (
    id varchar primary key, block_id varchar not null references block (id),
    handlungsfeld_id varchar not null references handlungsfeld (id),
    number integer not null, numbered boolean not null, text varchar not null
);
create table catalog_note (id varchar primary key, text varchar not null);
create table indicator (
    id varchar primary key, name varchar not null, definition varchar not null, unit varchar not null,
    type varchar not null check (type in ('K', 'E', 'U')),
    direction varchar not null check (direction in ('steigend', 'fallend', 'neutral')),
    source varchar not null, holder varchar not null, spatial_level varchar not null, update_cycle varchar not null,
    eu2 boolean not null, data_gap varchar not null
);
create table leitziel_indicator (
    leitziel_id varchar not null references leitziel (id), indicator_id varchar not null references indicator (id),
    primary key (leitziel_id, indicator_id)
);
create table target (
    indicator_id varchar primary key references indicator (id), value double not null, due date,
    baseline_value double, baseline_period date, decided_by varchar not null
);
create table area (
    id varchar primary key, level varchar not null, name varchar not null, parent_id varchar,
    official_code varchar, note varchar
);
create table nationality (code varchar primary key, name varchar not null, adjective varchar, kind varchar not null);
create table age_group (code varchar primary key, name varchar not null, age_from integer, age_to integer);
create table source_file (
    path varchar primary key, title varchar, publisher varchar, stand varchar, licence varchar,
    attribution varchar, is_example boolean not null, note varchar, sha256 varchar, rows_loaded integer
);
create table observation (
    indicator_id varchar not null references indicator (id), area_id varchar not null references area (id),
    period date not null, nationality varchar not null, value double, numerator bigint, denominator bigint,
    source varchar not null, source_url varchar, note varchar, figure_id varchar,
    is_example boolean not null, is_approx boolean not null, is_rounded boolean not null,
    date_uncertain boolean not null, is_derived boolean not null,
    flag varchar not null,
    source_file varchar not null, source_row integer,
    suppressed boolean not null default false,   -- statistical confidentiality (primary or secondary)
    uncertain boolean not null default false      -- rate on a small denominator
);
create table population (
    area_id varchar not null references area (id), period date not null, nationality varchar not null,
    age_group varchar not null references age_group (code), sex varchar not null, persons integer not null
        check (persons >= 0),
    source varchar not null, is_example boolean not null, source_file varchar not null, source_row integer,
    primary key (area_id, period, nationality, age_group, sex)
);
create table geometry (
    area_id varchar primary key references area (id), level varchar not null, name varchar not null,
    geojson varchar not null, is_schematic boolean not null, source varchar not null,
    attribution varchar not null, licence varchar not null
);
create table event (date date not null, label varchar not null, area_id varchar, source varchar);
create table measure (
    id varchar primary key, leitziel_id varchar not null references leitziel (id), title varchar not null,
    lead varchar, start_date date, end_date date, status varchar, is_example boolean not null, note varchar
);
create table indicator_status (
    indicator_id varchar not null, area_id varchar not null, nationality varchar not null, source varchar,
    category varchar not null, label varchar not null, rule varchar not null,
    baseline_period date, baseline_value double, latest_period date, latest_value double,
    target_value double, due date, ratio double, annual_change double, is_example boolean not null,
    primary key (indicator_id)
);
create table leitziel_status (
    leitziel_id varchar primary key, category varchar not null, label varchar not null, basis varchar not null,
    is_example boolean not null
);
create table build_manifest (
    build_id varchar not null, built_at timestamp not null, schema_version integer not null,
    package_version varchar not null, duration_seconds double not null, status_date date not null,
    observations integer not null, population_rows integer not null,
    -- the confidentiality settings this build applied; pages, footnotes and exports read them from here
    suppression_threshold integer not null, small_denominator integer not null,
    -- protection range (persons): every hidden cell's interval, given all that is published, is at least this wide
    protection_range integer not null
);
-- Elections (Offene Wahldaten): one row per election, and electorate/voters per Wahlbezirk as delivered
-- (no party results). Stimmbezirke are areas of level 'stimmbezirk' with ids '<election id>-<nr>'.
create table election (
    id varchar primary key, kind varchar not null, kind_label varchar not null, name varchar not null,
    election_date date not null, version varchar not null, postal_assignable boolean not null,
    postal_note varchar not null, notes varchar not null, folder varchar not null, geometry_file varchar not null,
    stimmbezirke integer not null
);
create table election_district (
    election_id varchar not null references election (id), bezirk_nr varchar not null,
    bezirk_art varchar not null check (bezirk_art in ('W', 'B')), name varchar not null, stadtbezirk_id varchar,
    briefwahlbezirk_nr varchar, wahlberechtigte integer not null, waehlende integer not null,
    mit_wahlschein integer not null, area_id varchar, source_file varchar not null, source_row integer not null,
    primary key (election_id, bezirk_nr)
);
