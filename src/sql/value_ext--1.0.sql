-- value_ext--1.0.sql: generated from src/sql/ by make; do not edit
\echo Use "CREATE EXTENSION value_ext" to load this file. \quit

-- source: src/sql/00_core.sql
-- src/sql/00_core.sql
-- The install script is the concatenation of src/sql/NN_*.sql in order
-- (see Makefile). Each file owns one concept; every reference to another
-- value_ext object is written @extschema@.name, every built-in
-- pg_catalog.name, so the objects work with any search_path (pg_restore
-- refreshes materialised views with an empty one).

CREATE FUNCTION @extschema@.value_ext_library_version()
RETURNS text
AS 'MODULE_PATHNAME', 'value_ext_library_version'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.value_ext_library_version() IS
'Version of the loaded value_ext shared library; compare with pg_extension.extversion after an upgrade';

-- source: src/sql/01_states.sql
-- src/sql/01_states.sql
-- value_list: the variable-size aggregate state (see src/states.c). A real
-- type rather than `internal`, so that parallel workers and Citus nodes can
-- ship partial states through its text and binary forms.

CREATE TYPE @extschema@.value_list;

CREATE FUNCTION @extschema@.value_list_in(cstring)
RETURNS @extschema@.value_list
AS 'MODULE_PATHNAME', 'value_list_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.value_list_out(@extschema@.value_list)
RETURNS cstring
AS 'MODULE_PATHNAME', 'value_list_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.value_list_recv(internal)
RETURNS @extschema@.value_list
AS 'MODULE_PATHNAME', 'value_list_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.value_list_send(@extschema@.value_list)
RETURNS bytea
AS 'MODULE_PATHNAME', 'value_list_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.value_list (
    INPUT = @extschema@.value_list_in,
    OUTPUT = @extschema@.value_list_out,
    RECEIVE = @extschema@.value_list_recv,
    SEND = @extschema@.value_list_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

COMMENT ON TYPE @extschema@.value_list IS
'Aggregate state holding every value of a group (text form "version:width:params:count:items"); shipped between parallel workers and Citus nodes';

-- source: src/sql/10_deprivation.sql
-- src/sql/10_deprivation.sql
-- Deprivation: the bundled indices of deprivation (England 2019 and 2025,
-- Wales, Scotland, Northern Ireland), the LSOA 2011 -> 2021 lookup, the
-- decile rules and the cached LSOA lookups (C in src/deprivation.c).
--
-- The reference tables are filled here, at CREATE EXTENSION, from the CSV
-- files that `make install` puts in $(pg_config --sharedir)/extension/value_ext/.
-- They are not registered with pg_extension_config_dump: they are part of
-- the extension (not user data), so pg_dump leaves them out and the restore's
-- CREATE EXTENSION loads them again from the installed files.

-- Copies one bundled CSV file (by its file name, nothing else is readable
-- through it) into a table. Used by install scripts only: no PUBLIC execute.
-- PARALLEL RESTRICTED rather than UNSAFE (the catalogue rule): it writes, but
-- only ever runs alone in the leader, and PostgreSQL refuses the COPY with an
-- error, never silently, if it were called inside a parallel plan.
CREATE FUNCTION @extschema@.value_ext_load_refdata(target regclass, file text)
RETURNS bigint
AS 'MODULE_PATHNAME', 'value_ext_load_refdata'
LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;

REVOKE ALL ON FUNCTION @extschema@.value_ext_load_refdata(regclass, text) FROM PUBLIC;

COMMENT ON FUNCTION @extschema@.value_ext_load_refdata(regclass, text) IS
'Internal: copy a CSV file bundled with value_ext (by file name) into a table; used by the install script';

-- Statement trigger on the cached tables: whatever changes them (a superuser
-- editing a reference table, load_postcode_lookup, a restore) makes every
-- backend drop its cached copy at commit.
CREATE FUNCTION @extschema@.value_ext_refdata_changed()
RETURNS trigger
AS 'MODULE_PATHNAME', 'value_ext_refdata_changed'
LANGUAGE C PARALLEL RESTRICTED;

COMMENT ON FUNCTION @extschema@.value_ext_refdata_changed() IS
'Internal trigger: invalidates the backend caches of value_ext lookup tables when their rows change';

------------------------------------------------------------------------------
-- English Indices of Deprivation, 2019 (LSOA 2011) and 2025 (LSOA 2021)
------------------------------------------------------------------------------
CREATE TABLE @extschema@.imd_lsoa (
    edition integer NOT NULL CHECK (edition IN (2019, 2025)),
    lsoa_code text NOT NULL,
    lsoa_name text NOT NULL,
    lad_code text NOT NULL,
    lad_name text NOT NULL,
    imd_score float8 NOT NULL,
    imd_rank integer NOT NULL,
    imd_decile integer NOT NULL CHECK (imd_decile BETWEEN 1 AND 10),
    income_score float8,
    income_rank integer NOT NULL,
    income_decile integer NOT NULL,
    employment_score float8,
    employment_rank integer NOT NULL,
    employment_decile integer NOT NULL,
    education_score float8,
    education_rank integer NOT NULL,
    education_decile integer NOT NULL,
    health_score float8,
    health_rank integer NOT NULL,
    health_decile integer NOT NULL,
    crime_score float8,
    crime_rank integer NOT NULL,
    crime_decile integer NOT NULL,
    barriers_score float8,
    barriers_rank integer NOT NULL,
    barriers_decile integer NOT NULL,
    living_env_score float8,
    living_env_rank integer NOT NULL,
    living_env_decile integer NOT NULL,
    children_and_young_people_score float8,
    children_and_young_people_rank integer,
    children_and_young_people_decile integer,
    adult_skills_score float8,
    adult_skills_rank integer,
    adult_skills_decile integer,
    geographical_barriers_score float8,
    geographical_barriers_rank integer,
    geographical_barriers_decile integer,
    wider_barriers_score float8,
    wider_barriers_rank integer,
    wider_barriers_decile integer,
    indoors_score float8,
    indoors_rank integer,
    indoors_decile integer,
    outdoors_score float8,
    outdoors_rank integer,
    outdoors_decile integer,
    sicbl_code text,
    sicbl_ods_code text,
    sicbl_name text,
    icb_code text,
    icb_ods_code text,
    icb_name text,
    population integer,
    PRIMARY KEY (edition, lsoa_code)
);

COMMENT ON TABLE @extschema@.imd_lsoa IS
'English Indices of Deprivation by LSOA: edition 2019 (IoD2019, 32,844 LSOA 2011, LAD 2019) and 2025 (IoD2025, 33,755 LSOA 2021, LAD 2024, sub-ICB/ICB 2024); rank 1 and decile 1 = most deprived. MHCLG, OGL v3';
COMMENT ON COLUMN @extschema@.imd_lsoa.edition IS 'IoD edition: 2019 or 2025';
COMMENT ON COLUMN @extschema@.imd_lsoa.imd_rank IS 'IMD rank, 1 = most deprived; 2019 has 26 tied pairs (equal scores share a rank, the next rank is skipped)';
COMMENT ON COLUMN @extschema@.imd_lsoa.imd_decile IS 'official IMD decile, = ceil(imd_rank * 10 / number of LSOAs)';
COMMENT ON COLUMN @extschema@.imd_lsoa.income_score IS 'domain scores are published in the bundled file for 2025 only (NULL for 2019); income and employment scores are rates';
COMMENT ON COLUMN @extschema@.imd_lsoa.children_and_young_people_score IS 'sub-domain columns (children_and_young_people, adult_skills, geographical_barriers, wider_barriers, indoors, outdoors): 2025 only';
COMMENT ON COLUMN @extschema@.imd_lsoa.sicbl_code IS 'sub-ICB location 2024 (2025 edition only; NULL for 2019)';
COMMENT ON COLUMN @extschema@.imd_lsoa.population IS 'IoD2019 mid-2015 total population denominator (2019 only)';

CREATE TRIGGER imd_lsoa_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.imd_lsoa
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.value_ext_refdata_changed();

CREATE UNLOGGED TABLE @extschema@.value_ext_stage_imd2019 (
    lsoa11_code text, lsoa11_name text, lad19_code text, lad19_name text,
    imd_score float8, imd_rank integer, imd_decile integer,
    income_rank integer, income_decile integer,
    employment_rank integer, employment_decile integer,
    education_rank integer, education_decile integer,
    health_rank integer, health_decile integer,
    crime_rank integer, crime_decile integer,
    barriers_rank integer, barriers_decile integer,
    living_env_rank integer, living_env_decile integer,
    pop_total_mid2015 integer, pop_age_0_15_mid2015 integer,
    pop_age_16_59_mid2015 integer, pop_age_60plus_mid2015 integer,
    pop_working_age_mid2015 integer);
SELECT @extschema@.value_ext_load_refdata('@extschema@.value_ext_stage_imd2019',
                                          'imd2019_lsoa11_england.csv');
INSERT INTO @extschema@.imd_lsoa (edition, lsoa_code, lsoa_name, lad_code, lad_name,
    imd_score, imd_rank, imd_decile, income_rank, income_decile,
    employment_rank, employment_decile, education_rank, education_decile,
    health_rank, health_decile, crime_rank, crime_decile,
    barriers_rank, barriers_decile, living_env_rank, living_env_decile, population)
SELECT 2019, lsoa11_code, lsoa11_name, lad19_code, lad19_name,
    imd_score, imd_rank, imd_decile, income_rank, income_decile,
    employment_rank, employment_decile, education_rank, education_decile,
    health_rank, health_decile, crime_rank, crime_decile,
    barriers_rank, barriers_decile, living_env_rank, living_env_decile, pop_total_mid2015
FROM @extschema@.value_ext_stage_imd2019;
DROP TABLE @extschema@.value_ext_stage_imd2019;

CREATE UNLOGGED TABLE @extschema@.value_ext_stage_imd2025 (
    lsoa21_code text, lsoa21_name text, lad24_code text, lad24_name text,
    imd_score float8, imd_rank integer, imd_decile integer,
    income_score float8, income_rank integer, income_decile integer,
    employment_score float8, employment_rank integer, employment_decile integer,
    education_score float8, education_rank integer, education_decile integer,
    health_score float8, health_rank integer, health_decile integer,
    crime_score float8, crime_rank integer, crime_decile integer,
    barriers_score float8, barriers_rank integer, barriers_decile integer,
    living_env_score float8, living_env_rank integer, living_env_decile integer,
    children_and_young_people_score float8, children_and_young_people_rank integer,
    children_and_young_people_decile integer,
    adult_skills_score float8, adult_skills_rank integer, adult_skills_decile integer,
    geographical_barriers_score float8, geographical_barriers_rank integer,
    geographical_barriers_decile integer,
    wider_barriers_score float8, wider_barriers_rank integer, wider_barriers_decile integer,
    indoors_score float8, indoors_rank integer, indoors_decile integer,
    outdoors_score float8, outdoors_rank integer, outdoors_decile integer,
    sicbl24_code text, sicbl24_ods_code text, sicbl24_name text,
    icb24_code text, icb24_ods_code text, icb24_name text);
SELECT @extschema@.value_ext_load_refdata('@extschema@.value_ext_stage_imd2025',
                                          'imd2025_lsoa21_england.csv');
INSERT INTO @extschema@.imd_lsoa
SELECT 2025, lsoa21_code, lsoa21_name, lad24_code, lad24_name,
    imd_score, imd_rank, imd_decile,
    income_score, income_rank, income_decile,
    employment_score, employment_rank, employment_decile,
    education_score, education_rank, education_decile,
    health_score, health_rank, health_decile,
    crime_score, crime_rank, crime_decile,
    barriers_score, barriers_rank, barriers_decile,
    living_env_score, living_env_rank, living_env_decile,
    children_and_young_people_score, children_and_young_people_rank,
    children_and_young_people_decile,
    adult_skills_score, adult_skills_rank, adult_skills_decile,
    geographical_barriers_score, geographical_barriers_rank, geographical_barriers_decile,
    wider_barriers_score, wider_barriers_rank, wider_barriers_decile,
    indoors_score, indoors_rank, indoors_decile,
    outdoors_score, outdoors_rank, outdoors_decile,
    sicbl24_code, sicbl24_ods_code, sicbl24_name,
    icb24_code, icb24_ods_code, icb24_name, NULL
FROM @extschema@.value_ext_stage_imd2025;
DROP TABLE @extschema@.value_ext_stage_imd2025;

------------------------------------------------------------------------------
-- Decile rank boundaries of every bundled index (derived file, for checks)
------------------------------------------------------------------------------
CREATE TABLE @extschema@.imd_decile_boundaries (
    index_name text NOT NULL,
    n_areas integer NOT NULL,
    decile integer NOT NULL,
    min_rank integer NOT NULL,
    max_rank integer NOT NULL,
    n_in_decile integer NOT NULL,
    rule_matching_all_rows text NOT NULL,
    PRIMARY KEY (index_name, decile)
);
COMMENT ON TABLE @extschema@.imd_decile_boundaries IS
'Lowest and highest rank of each decile of each bundled index (IMD2019/2025 England, WIMD2019, SIMD2020v2, NIMDM2017), derived from the official files, with the decile rule that matches every row';
SELECT @extschema@.value_ext_load_refdata('@extschema@.imd_decile_boundaries',
                                          'imd_decile_boundaries.csv');

------------------------------------------------------------------------------
-- Wales (WIMD 2019), Scotland (SIMD 2020v2), Northern Ireland (NIMDM 2017)
------------------------------------------------------------------------------
CREATE TABLE @extschema@.imd_other_nations (
    nation text NOT NULL CHECK (nation IN ('Wales', 'Scotland', 'Northern Ireland')),
    edition integer NOT NULL,
    area_code text NOT NULL,
    imd_rank integer NOT NULL,
    imd_decile integer NOT NULL CHECK (imd_decile BETWEEN 1 AND 10),
    imd_score float8,
    n_areas integer NOT NULL,
    PRIMARY KEY (nation, edition, area_code)
);
COMMENT ON TABLE @extschema@.imd_other_nations IS
'Official indices of the devolved nations: Wales WIMD 2019 (1,909 LSOA 2011), Scotland SIMD 2020v2 (edition 2020, 6,976 data zones 2011), Northern Ireland NIMDM 2017 (890 SOA 2001); rank 1 = most deprived. Not comparable with the English IMD. Welsh Government, Scottish Government, NISRA, OGL v3';
COMMENT ON COLUMN @extschema@.imd_other_nations.imd_decile IS
'official decile, = floor((imd_rank - 1) * 10 / n_areas) + 1 (see imd_decile_nation)';
COMMENT ON COLUMN @extschema@.imd_other_nations.imd_score IS 'WIMD score (Wales only; NULL elsewhere)';

CREATE TRIGGER imd_other_nations_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.imd_other_nations
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.value_ext_refdata_changed();

CREATE UNLOGGED TABLE @extschema@.value_ext_stage_wimd (
    lsoa11_code text, imd_decile integer, income_decile integer,
    employment_decile integer, health_decile integer, education_decile integer,
    housing_decile integer, access_decile integer, environment_decile integer,
    crime_decile integer, imd_rank integer, income_rank integer,
    employment_rank integer, health_rank integer, education_rank integer,
    housing_rank integer, access_rank integer, environment_rank integer,
    crime_rank integer, imd_score float8, income_score float8,
    employment_score float8, education_score float8, health_score float8,
    crime_score float8, housing_score float8, access_score float8,
    environment_score float8);
SELECT @extschema@.value_ext_load_refdata('@extschema@.value_ext_stage_wimd',
                                          'wimd2019_lsoa11_wales.csv');
INSERT INTO @extschema@.imd_other_nations
SELECT 'Wales', 2019, lsoa11_code, imd_rank, imd_decile, imd_score,
       pg_catalog.count(*) OVER ()
FROM @extschema@.value_ext_stage_wimd;
DROP TABLE @extschema@.value_ext_stage_wimd;

-- SIMD and NIMDM share a layout: code, 8 deciles, 8 ranks (crime rank has .5 ties)
CREATE UNLOGGED TABLE @extschema@.value_ext_stage_simd (
    area_code text, imd_decile integer, d2 integer, d3 integer, d4 integer,
    d5 integer, d6 integer, d7 integer, d8 integer, imd_rank integer,
    r2 float8, r3 float8, r4 float8, r5 float8, r6 float8, r7 float8, r8 float8);
SELECT @extschema@.value_ext_load_refdata('@extschema@.value_ext_stage_simd',
                                          'simd2020v2_dz11_scotland.csv');
INSERT INTO @extschema@.imd_other_nations
SELECT 'Scotland', 2020, area_code, imd_rank, imd_decile, NULL,
       pg_catalog.count(*) OVER ()
FROM @extschema@.value_ext_stage_simd;
TRUNCATE @extschema@.value_ext_stage_simd;
SELECT @extschema@.value_ext_load_refdata('@extschema@.value_ext_stage_simd',
                                          'nimdm2017_soa01_northern_ireland.csv');
INSERT INTO @extschema@.imd_other_nations
SELECT 'Northern Ireland', 2017, area_code, imd_rank, imd_decile, NULL,
       pg_catalog.count(*) OVER ()
FROM @extschema@.value_ext_stage_simd;
DROP TABLE @extschema@.value_ext_stage_simd;

------------------------------------------------------------------------------
-- LSOA 2011 -> LSOA 2021 (England and Wales), ONS
------------------------------------------------------------------------------
CREATE TABLE @extschema@.lsoa11_lsoa21 (
    lsoa11_code text NOT NULL,
    lsoa11_name text NOT NULL,
    lsoa21_code text NOT NULL,
    lsoa21_name text NOT NULL,
    change_code text NOT NULL CHECK (change_code IN ('U', 'S', 'M', 'X')),
    lad22_code text NOT NULL,
    lad22_name text NOT NULL,
    PRIMARY KEY (lsoa11_code, lsoa21_code)
);
COMMENT ON TABLE @extschema@.lsoa11_lsoa21 IS
'ONS LSOA 2011 to LSOA 2021 lookup for England and Wales (LAD 2022); change_code U unchanged, S split (one 2011 LSOA, several 2021), M merged (several 2011, one 2021), X irregular. OGL v3';

CREATE TRIGGER lsoa11_lsoa21_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.lsoa11_lsoa21
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.value_ext_refdata_changed();

SELECT @extschema@.value_ext_load_refdata('@extschema@.lsoa11_lsoa21',
                                          'lsoa11_lsoa21_lad22.csv');

GRANT SELECT ON @extschema@.imd_lsoa, @extschema@.imd_decile_boundaries,
    @extschema@.imd_other_nations, @extschema@.lsoa11_lsoa21 TO PUBLIC;

------------------------------------------------------------------------------
-- Decile rules
------------------------------------------------------------------------------
CREATE FUNCTION @extschema@.imd_decile(rank integer, areas integer DEFAULT 32844)
RETURNS integer
AS 'MODULE_PATHNAME', 'imd_decile_rank'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.imd_decile(integer, integer) IS
'English IMD decile of a rank among areas ranked 1 (most deprived) to areas: ceil(rank * 10 / areas); areas defaults to 32,844 (IoD2019 LSOAs; 33,755 for IoD2025)';

CREATE FUNCTION @extschema@.imd_quintile(rank integer, areas integer DEFAULT 32844)
RETURNS integer
AS 'MODULE_PATHNAME', 'imd_quintile_rank'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.imd_quintile(integer, integer) IS
'English IMD quintile of a rank: ceil(rank * 5 / areas), which always equals deciles 1-2 -> 1, 3-4 -> 2, ..., 9-10 -> 5';

CREATE FUNCTION @extschema@.imd_decile_nation(rank integer, areas integer, nation text)
RETURNS integer
AS 'MODULE_PATHNAME', 'imd_decile_nation'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.imd_decile_nation(integer, integer, text) IS
'Decile of a rank by the rule of each nation''s own index: England ceil(rank * 10 / areas); Wales, Scotland and Northern Ireland floor((rank - 1) * 10 / areas) + 1';

CREATE FUNCTION @extschema@.is_core20(decile integer)
RETURNS boolean
AS 'MODULE_PATHNAME', 'is_core20'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.is_core20(integer) IS
'Core20PLUS5: true for national IMD deciles 1 and 2 (the most deprived 20%), false for 3 to 10';

------------------------------------------------------------------------------
-- Cached LSOA lookups
------------------------------------------------------------------------------
CREATE FUNCTION @extschema@.imd_decile(lsoa_code text, edition integer DEFAULT 2019)
RETURNS integer
AS 'MODULE_PATHNAME', 'imd_decile_lsoa'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.imd_decile(text, integer) IS
'Official IMD decile of an English LSOA (2011 codes for edition 2019, 2021 codes for 2025); NULL for a code not in that edition';

CREATE FUNCTION @extschema@.imd_rank(lsoa_code text, edition integer DEFAULT 2019)
RETURNS integer
AS 'MODULE_PATHNAME', 'imd_rank_lsoa'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.imd_rank(text, integer) IS
'Official IMD rank (1 = most deprived) of an English LSOA in edition 2019 or 2025; NULL for a code not in that edition';

CREATE FUNCTION @extschema@.imd_score(lsoa_code text, edition integer DEFAULT 2019)
RETURNS float8
AS 'MODULE_PATHNAME', 'imd_score_lsoa'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.imd_score(text, integer) IS
'IMD score (higher = more deprived) of an English LSOA in edition 2019 or 2025; NULL for a code not in that edition';

-- source: src/sql/11_postcode.sql
-- src/sql/11_postcode.sql
-- Postcodes: ICU normalisation (src/postcode.c), the postcode -> LSOA table
-- filled by load_postcode_lookup, and the cached lookups (src/deprivation.c).

CREATE FUNCTION @extschema@.postcode_normalize(postcode text, strict boolean DEFAULT false)
RETURNS text
AS 'MODULE_PATHNAME', 'postcode_normalize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.postcode_normalize(text, boolean) IS
'Canonical UK postcode ("SR1 1AA") from dirty input (any case, Unicode spaces anywhere, full-width forms; ICU NFKC + upper case); NULL when it cannot be a postcode, or error 22P02 with strict => true';

-- The postcode table is user data: whatever load_postcode_lookup loaded is
-- dumped by pg_dump (pg_extension_config_dump) and restored with it.
CREATE TABLE @extschema@.postcode_lookup (
    postcode text PRIMARY KEY,
    lsoa11_code text,
    lsoa21_code text,
    terminated boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE @extschema@.postcode_lookup IS
'Postcode -> LSOA 2011/2021 as loaded by load_postcode_lookup from an ONS postcode directory (NSPL/ONSPD); postcodes in canonical form; terminated postcodes kept. Empty after CREATE EXTENSION; dumped by pg_dump';
COMMENT ON COLUMN @extschema@.postcode_lookup.terminated IS 'true when the file gave a termination date (doterm)';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.postcode_lookup', '');

CREATE TRIGGER postcode_lookup_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.postcode_lookup
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.value_ext_refdata_changed();

GRANT SELECT ON @extschema@.postcode_lookup TO PUBLIC;
-- load_postcode_lookup runs as its caller: the roles allowed to read server
-- files may replace the table's contents (and nothing else).
GRANT INSERT, TRUNCATE ON @extschema@.postcode_lookup TO pg_read_server_files;

-- Writes, so PARALLEL RESTRICTED (leader only); PostgreSQL refuses the
-- TRUNCATE with an error if it were ever reached inside a parallel plan.
CREATE FUNCTION @extschema@.load_postcode_lookup(path text)
RETURNS bigint
AS 'MODULE_PATHNAME', 'load_postcode_lookup'
LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION @extschema@.load_postcode_lookup(text) IS
'Replace postcode_lookup with an ONS postcode directory CSV on the server (columns by header name: pcds/pcd, lsoa11, lsoa21, doterm); returns rows loaded; superusers and pg_read_server_files only';

CREATE FUNCTION @extschema@.lsoa_for_postcode(postcode text, vintage integer DEFAULT 2011)
RETURNS text
AS 'MODULE_PATHNAME', 'lsoa_for_postcode'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.lsoa_for_postcode(text, integer) IS
'LSOA 2011 or 2021 code of a postcode (normalised first) from postcode_lookup; terminated postcodes resolve; NULL when unknown or when the other vintage maps ambiguously';

CREATE FUNCTION @extschema@.imd_decile_for_postcode(postcode text, edition integer DEFAULT 2019)
RETURNS integer
AS 'MODULE_PATHNAME', 'imd_decile_for_postcode'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.imd_decile_for_postcode(text, integer) IS
'IMD decile (2019 or 2025) of the LSOA of a postcode (normalised first); NULL for unknown postcodes, non-English LSOAs, and split LSOAs whose parts differ';

-- source: src/sql/20_concentration.sql
-- src/sql/20_concentration.sql
-- Cost concentration (src/concentration.c): top_share, gini, cost_profile
-- and lorenz_curve over person-level costs. Every aggregate keeps the
-- group's costs in a value_list (exact, no sampling) and has a combine
-- function, so parallel query and Citus split it; final functions only
-- read the state (FINALFUNC_MODIFY = READ_ONLY), which lets PostgreSQL
-- share one state between gini(cost) and cost_profile(cost).

CREATE TYPE @extschema@.cost_profile AS (
    persons bigint,
    total double precision,
    mean double precision,
    median double precision,
    p90 double precision,
    p99 double precision,
    max double precision,
    top1_share double precision,
    top5_share double precision,
    top20_share double precision,
    gini double precision
);

COMMENT ON TYPE @extschema@.cost_profile IS
'Cost profile of a group of people (result of the cost_profile aggregate): persons, total, mean, median, p90, p99, max (percentiles as percentile_cont), shares of cost held by the costliest 1%, 5% and 20%, population Gini';

-- Support functions (callable from SQL, so each validates its state).

CREATE FUNCTION @extschema@.cost_values_trans(state @extschema@.value_list, cost double precision)
RETURNS @extschema@.value_list
AS 'MODULE_PATHNAME', 'cost_values_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.cost_values_trans(@extschema@.value_list, double precision) IS
'Transition function of gini(cost) and cost_profile(cost): appends a non-negative finite cost to the state; NULL costs are skipped';

CREATE FUNCTION @extschema@.top_share_trans(state @extschema@.value_list, cost double precision, fraction double precision)
RETURNS @extschema@.value_list
AS 'MODULE_PATHNAME', 'top_share_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.top_share_trans(@extschema@.value_list, double precision, double precision) IS
'Transition function of top_share: appends a cost; the fraction (0 < fraction <= 1) is kept as the state''s parameter and must not change within a group';

CREATE FUNCTION @extschema@.gini_trans(state @extschema@.value_list, cost double precision, sample_correction boolean)
RETURNS @extschema@.value_list
AS 'MODULE_PATHNAME', 'gini_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.gini_trans(@extschema@.value_list, double precision, boolean) IS
'Transition function of gini(cost, sample_correction): appends a cost; the correction flag is kept as the state''s parameter and must not change within a group';

CREATE FUNCTION @extschema@.concentration_combine(@extschema@.value_list, @extschema@.value_list)
RETURNS @extschema@.value_list
AS 'MODULE_PATHNAME', 'concentration_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.concentration_combine(@extschema@.value_list, @extschema@.value_list) IS
'Combine function of top_share, gini and cost_profile: the costs of both partial states (which must have the same parameter)';

CREATE FUNCTION @extschema@.top_share_final(@extschema@.value_list)
RETURNS double precision
AS 'MODULE_PATHNAME', 'top_share_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.top_share_final(@extschema@.value_list) IS
'Final function of top_share: the share of the total held by the costliest fraction of the state''s costs';

CREATE FUNCTION @extschema@.gini_final(@extschema@.value_list)
RETURNS double precision
AS 'MODULE_PATHNAME', 'gini_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.gini_final(@extschema@.value_list) IS
'Final function of gini(cost): the population Gini coefficient of the state''s costs';

CREATE FUNCTION @extschema@.gini_correction_final(@extschema@.value_list)
RETURNS double precision
AS 'MODULE_PATHNAME', 'gini_correction_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.gini_correction_final(@extschema@.value_list) IS
'Final function of gini(cost, sample_correction): the Gini coefficient, times n/(n-1) when the state''s correction flag is set';

CREATE FUNCTION @extschema@.cost_profile_final(@extschema@.value_list)
RETURNS @extschema@.cost_profile
AS 'MODULE_PATHNAME', 'cost_profile_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.cost_profile_final(@extschema@.value_list) IS
'Final function of cost_profile: the cost_profile composite of the state''s costs';

-- The aggregates.

CREATE AGGREGATE @extschema@.top_share(cost double precision, fraction double precision) (
    SFUNC = @extschema@.top_share_trans,
    STYPE = @extschema@.value_list,
    FINALFUNC = @extschema@.top_share_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.concentration_combine,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.top_share(double precision, double precision) IS
'Share of the group''s total cost held by the costliest fraction of its rows (0 < fraction <= 1, the same in every row), a fractional row counted pro rata; NULL for an empty group or a zero total';

CREATE AGGREGATE @extschema@.gini(cost double precision) (
    SFUNC = @extschema@.cost_values_trans,
    STYPE = @extschema@.value_list,
    FINALFUNC = @extschema@.gini_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.concentration_combine,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.gini(double precision) IS
'Population Gini coefficient of the group''s costs, sum((2i-n-1) x(i)) / (n^2 mean) over ascending costs; NULL for an empty group or a zero total';

CREATE AGGREGATE @extschema@.gini(cost double precision, sample_correction boolean) (
    SFUNC = @extschema@.gini_trans,
    STYPE = @extschema@.value_list,
    FINALFUNC = @extschema@.gini_correction_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.concentration_combine,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.gini(double precision, boolean) IS
'Gini coefficient of the group''s costs, multiplied by n/(n-1) when sample_correction is true (then NULL for one person); call it positionally, gini(cost, true)';

CREATE AGGREGATE @extschema@.cost_profile(cost double precision) (
    SFUNC = @extschema@.cost_values_trans,
    STYPE = @extschema@.value_list,
    FINALFUNC = @extschema@.cost_profile_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.concentration_combine,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.cost_profile(double precision) IS
'Full cost profile of the group in one pass: persons, total, mean, median, p90, p99, max, top 1%/5%/20% shares, Gini; expand with SELECT (p).* FROM (SELECT cost_profile(cost) AS p ...) s';

CREATE FUNCTION @extschema@.lorenz_curve(costs double precision[], points integer DEFAULT 10)
RETURNS TABLE (population_share double precision, cost_share double precision)
AS 'MODULE_PATHNAME', 'lorenz_curve'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
ROWS 11;

COMMENT ON FUNCTION @extschema@.lorenz_curve(double precision[], integer) IS
'Lorenz curve of the costs for charting: points+1 rows (0,0), (1/points, L), ..., (1,1), people ascending by cost; no rows when there is no cost to share';

-- source: src/sql/30_value.sql
-- src/sql/30_value.sql
-- Value ratios (src/value.c, docs/methods.md section 5): value_ratio,
-- value_ratio_ci and cohort_ratio_ci. States are float8[] with INITCOND, so
-- parallel workers and Citus nodes ship them as plain arrays.

CREATE FUNCTION @extschema@.value_ratio_trans(float8[], float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'value_ratio_trans'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.value_ratio_combine(float8[], float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'value_ratio_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.value_ratio_final(float8[])
RETURNS float8 AS 'MODULE_PATHNAME', 'value_ratio_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE @extschema@.value_ratio(outcome float8, cost float8) (
    SFUNC = @extschema@.value_ratio_trans,
    STYPE = float8[],
    INITCOND = '{0,0,0}',
    COMBINEFUNC = @extschema@.value_ratio_combine,
    FINALFUNC = @extschema@.value_ratio_final,
    PARALLEL = SAFE
);

COMMENT ON FUNCTION @extschema@.value_ratio_trans(float8[], float8, float8) IS
'Transition function of value_ratio: state {n, sum of outcomes, sum of costs}';
COMMENT ON FUNCTION @extschema@.value_ratio_combine(float8[], float8[]) IS
'Combine function of value_ratio (adds two states)';
COMMENT ON FUNCTION @extschema@.value_ratio_final(float8[]) IS
'Final function of value_ratio: sum of outcomes / sum of costs, NULL when the costs sum to 0';
COMMENT ON AGGREGATE @extschema@.value_ratio(float8, float8) IS
'Value ratio: sum(outcome) / sum(cost) over the rows where both are non-NULL; NULL for no rows or zero total cost';

CREATE TYPE @extschema@.value_ratio_interval AS (
    ratio float8,
    lower float8,
    upper float8,
    n bigint,
    status text
);
COMMENT ON TYPE @extschema@.value_ratio_interval IS
'Result of value_ratio_ci: ratio, interval bounds (NULL unless status is ''ok''), rows used and status (ok, unbounded, too few rows, zero denominator)';

CREATE FUNCTION @extschema@.value_ratio_ci_trans(float8[], float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'value_ratio_ci_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.value_ratio_ci_trans(float8[], float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'value_ratio_ci_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.value_ratio_ci_trans(float8[], float8, float8, float8, text)
RETURNS float8[] AS 'MODULE_PATHNAME', 'value_ratio_ci_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.value_ratio_ci_combine(float8[], float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'value_ratio_ci_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.value_ratio_ci_final(float8[])
RETURNS @extschema@.value_ratio_interval AS 'MODULE_PATHNAME', 'value_ratio_ci_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- CREATE AGGREGATE takes no DEFAULTs: one aggregate per arity instead.
CREATE AGGREGATE @extschema@.value_ratio_ci(outcome float8, cost float8) (
    SFUNC = @extschema@.value_ratio_ci_trans,
    STYPE = float8[],
    INITCOND = '{0,0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.value_ratio_ci_combine,
    FINALFUNC = @extschema@.value_ratio_ci_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.value_ratio_ci(outcome float8, cost float8, confidence float8) (
    SFUNC = @extschema@.value_ratio_ci_trans,
    STYPE = float8[],
    INITCOND = '{0,0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.value_ratio_ci_combine,
    FINALFUNC = @extschema@.value_ratio_ci_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.value_ratio_ci(outcome float8, cost float8, confidence float8, method text) (
    SFUNC = @extschema@.value_ratio_ci_trans,
    STYPE = float8[],
    INITCOND = '{0,0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.value_ratio_ci_combine,
    FINALFUNC = @extschema@.value_ratio_ci_final,
    PARALLEL = SAFE
);

COMMENT ON FUNCTION @extschema@.value_ratio_ci_trans(float8[], float8, float8) IS
'Transition function of value_ratio_ci: state {n, sum y, sum x, Syy, Sxx, Sxy, confidence, method}';
COMMENT ON FUNCTION @extschema@.value_ratio_ci_trans(float8[], float8, float8, float8) IS
'Transition function of value_ratio_ci with a confidence level';
COMMENT ON FUNCTION @extschema@.value_ratio_ci_trans(float8[], float8, float8, float8, text) IS
'Transition function of value_ratio_ci with a confidence level and method';
COMMENT ON FUNCTION @extschema@.value_ratio_ci_combine(float8[], float8[]) IS
'Combine function of value_ratio_ci (pairwise merge of co-moments)';
COMMENT ON FUNCTION @extschema@.value_ratio_ci_final(float8[]) IS
'Final function of value_ratio_ci: Fieller or delta-method interval';
COMMENT ON AGGREGATE @extschema@.value_ratio_ci(float8, float8) IS
'Value ratio sum(outcome)/sum(cost) with a 95% Fieller interval: (ratio, lower, upper, n, status)';
COMMENT ON AGGREGATE @extschema@.value_ratio_ci(float8, float8, float8) IS
'Value ratio sum(outcome)/sum(cost) with a Fieller interval at the given confidence: (ratio, lower, upper, n, status)';
COMMENT ON AGGREGATE @extschema@.value_ratio_ci(float8, float8, float8, text) IS
'Value ratio sum(outcome)/sum(cost) with a ''fieller'' or ''delta'' interval at the given confidence: (ratio, lower, upper, n, status)';

CREATE TYPE @extschema@.cohort_ratio_interval AS (
    ratio float8,
    lower float8,
    upper float8,
    n_cohort bigint,
    n_rest bigint,
    status text
);
COMMENT ON TYPE @extschema@.cohort_ratio_interval IS
'Result of cohort_ratio_ci: ratio of means cohort/rest, Fieller bounds (NULL unless status is ''ok''), row counts and status';

CREATE FUNCTION @extschema@.cohort_ratio_ci_trans(float8[], float8, boolean)
RETURNS float8[] AS 'MODULE_PATHNAME', 'cohort_ratio_ci_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.cohort_ratio_ci_trans(float8[], float8, boolean, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'cohort_ratio_ci_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.cohort_ratio_ci_combine(float8[], float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'cohort_ratio_ci_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cohort_ratio_ci_final(float8[])
RETURNS @extschema@.cohort_ratio_interval AS 'MODULE_PATHNAME', 'cohort_ratio_ci_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE @extschema@.cohort_ratio_ci(value float8, in_cohort boolean) (
    SFUNC = @extschema@.cohort_ratio_ci_trans,
    STYPE = float8[],
    INITCOND = '{0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.cohort_ratio_ci_combine,
    FINALFUNC = @extschema@.cohort_ratio_ci_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.cohort_ratio_ci(value float8, in_cohort boolean, confidence float8) (
    SFUNC = @extschema@.cohort_ratio_ci_trans,
    STYPE = float8[],
    INITCOND = '{0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.cohort_ratio_ci_combine,
    FINALFUNC = @extschema@.cohort_ratio_ci_final,
    PARALLEL = SAFE
);

COMMENT ON FUNCTION @extschema@.cohort_ratio_ci_trans(float8[], float8, boolean) IS
'Transition function of cohort_ratio_ci: state {n1, sum1, S1, n0, sum0, S0, confidence}';
COMMENT ON FUNCTION @extschema@.cohort_ratio_ci_trans(float8[], float8, boolean, float8) IS
'Transition function of cohort_ratio_ci with a confidence level';
COMMENT ON FUNCTION @extschema@.cohort_ratio_ci_combine(float8[], float8[]) IS
'Combine function of cohort_ratio_ci (pairwise merge per group)';
COMMENT ON FUNCTION @extschema@.cohort_ratio_ci_final(float8[]) IS
'Final function of cohort_ratio_ci: Fieller interval for a ratio of independent means';
COMMENT ON AGGREGATE @extschema@.cohort_ratio_ci(float8, boolean) IS
'Ratio of the mean value in the cohort (in_cohort true) to the mean in the rest, with a 95% Fieller interval';
COMMENT ON AGGREGATE @extschema@.cohort_ratio_ci(float8, boolean, float8) IS
'Ratio of the mean value in the cohort to the mean in the rest, with a Fieller interval at the given confidence';

-- source: src/sql/31_peers.sql
-- src/sql/31_peers.sql
-- Peer comparisons (src/peers.c, docs/methods.md section 2): peer_zscore
-- (window function), peer_benchmark (best k of a group) and opportunity.

CREATE FUNCTION @extschema@.peer_zscore(value float8, method text DEFAULT 'standard')
RETURNS float8 AS 'MODULE_PATHNAME', 'peer_zscore'
LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.peer_zscore(float8, text) IS
'Window function: each row''s z-score against the OTHER non-NULL rows of its partition (standard: mean and SD with divisor n-1; robust: median and 1.4826*MAD); NULL for NULL values, fewer than 3 peers or zero peer spread';

CREATE FUNCTION @extschema@.peer_benchmark_trans(@extschema@.value_list, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'peer_benchmark_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_benchmark_trans(@extschema@.value_list, float8, integer)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'peer_benchmark_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_benchmark_trans(@extschema@.value_list, float8, integer, boolean)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'peer_benchmark_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_benchmark_combine(@extschema@.value_list, @extschema@.value_list)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'peer_benchmark_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_benchmark_final(@extschema@.value_list)
RETURNS float8 AS 'MODULE_PATHNAME', 'peer_benchmark_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE @extschema@.peer_benchmark(value float8) (
    SFUNC = @extschema@.peer_benchmark_trans,
    STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.peer_benchmark_combine,
    FINALFUNC = @extschema@.peer_benchmark_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.peer_benchmark(value float8, best integer) (
    SFUNC = @extschema@.peer_benchmark_trans,
    STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.peer_benchmark_combine,
    FINALFUNC = @extschema@.peer_benchmark_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.peer_benchmark(value float8, best integer, higher_is_better boolean) (
    SFUNC = @extschema@.peer_benchmark_trans,
    STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.peer_benchmark_combine,
    FINALFUNC = @extschema@.peer_benchmark_final,
    PARALLEL = SAFE
);

COMMENT ON FUNCTION @extschema@.peer_benchmark_trans(@extschema@.value_list, float8) IS
'Transition function of peer_benchmark (best 5, lower is better)';
COMMENT ON FUNCTION @extschema@.peer_benchmark_trans(@extschema@.value_list, float8, integer) IS
'Transition function of peer_benchmark (best k, lower is better)';
COMMENT ON FUNCTION @extschema@.peer_benchmark_trans(@extschema@.value_list, float8, integer, boolean) IS
'Transition function of peer_benchmark (best k, direction)';
COMMENT ON FUNCTION @extschema@.peer_benchmark_combine(@extschema@.value_list, @extschema@.value_list) IS
'Combine function of peer_benchmark (appends the values; best and direction must agree)';
COMMENT ON FUNCTION @extschema@.peer_benchmark_final(@extschema@.value_list) IS
'Final function of peer_benchmark: mean of the best k values, NULL when fewer than k';
COMMENT ON AGGREGATE @extschema@.peer_benchmark(float8) IS
'Benchmark: mean of the 5 lowest values of the group (RightCare best 5 of similar 10); NULL when fewer than 5 values';
COMMENT ON AGGREGATE @extschema@.peer_benchmark(float8, integer) IS
'Benchmark: mean of the best (lowest) k values of the group; NULL when fewer than k values';
COMMENT ON AGGREGATE @extschema@.peer_benchmark(float8, integer, boolean) IS
'Benchmark: mean of the best k values (highest when higher_is_better); NULL when fewer than k values';

CREATE FUNCTION @extschema@.opportunity(own float8, benchmark float8, population float8,
                                        higher_is_better boolean DEFAULT false,
                                        per float8 DEFAULT 1)
RETURNS float8 AS 'MODULE_PATHNAME', 'opportunity'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.opportunity(float8, float8, float8, boolean, float8) IS
'Opportunity: max(0, gap to the benchmark) * population / per, gap = own - benchmark (or benchmark - own when higher is better)';

-- source: src/sql/32_funnel.sql
-- src/sql/32_funnel.sql
-- Funnel plots with over-dispersion (src/funnel.c, docs/methods.md
-- section 1). funnel_fit aggregates units into a funnel_model, a plain
-- composite that can be stored in a table and joined back to the units.

CREATE TYPE @extschema@.funnel_model AS (
    data_type text,
    adjustment text,
    target float8,
    phi float8,
    tau2 float8,
    units bigint,
    units_used bigint
);
COMMENT ON TYPE @extschema@.funnel_model IS
'A fitted funnel: data type (proportion, ratio_log, ratio_sqrt), adjustment (none, multiplicative, additive), target, over-dispersion phi, between-unit variance tau2 (0 when phi <= 1), units and units used for phi';

CREATE FUNCTION @extschema@.funnel_fit_trans(@extschema@.value_list, float8, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'funnel_fit_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.funnel_fit_trans(@extschema@.value_list, float8, float8, text)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'funnel_fit_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.funnel_fit_trans(@extschema@.value_list, float8, float8, text, text)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'funnel_fit_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.funnel_fit_trans(@extschema@.value_list, float8, float8, text, text, text)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'funnel_fit_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.funnel_fit_trans(@extschema@.value_list, float8, float8, text, text, text, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'funnel_fit_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.funnel_fit_combine(@extschema@.value_list, @extschema@.value_list)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'funnel_fit_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.funnel_fit_final(@extschema@.value_list)
RETURNS @extschema@.funnel_model AS 'MODULE_PATHNAME', 'funnel_fit_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE @extschema@.funnel_fit(numerator float8, denominator float8) (
    SFUNC = @extschema@.funnel_fit_trans, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.funnel_fit_combine, FINALFUNC = @extschema@.funnel_fit_final,
    PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.funnel_fit(numerator float8, denominator float8, data_type text) (
    SFUNC = @extschema@.funnel_fit_trans, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.funnel_fit_combine, FINALFUNC = @extschema@.funnel_fit_final,
    PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.funnel_fit(numerator float8, denominator float8, data_type text,
                                        adjustment text) (
    SFUNC = @extschema@.funnel_fit_trans, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.funnel_fit_combine, FINALFUNC = @extschema@.funnel_fit_final,
    PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.funnel_fit(numerator float8, denominator float8, data_type text,
                                        adjustment text, "trim" text) (
    SFUNC = @extschema@.funnel_fit_trans, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.funnel_fit_combine, FINALFUNC = @extschema@.funnel_fit_final,
    PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.funnel_fit(numerator float8, denominator float8, data_type text,
                                        adjustment text, "trim" text, trim_fraction float8) (
    SFUNC = @extschema@.funnel_fit_trans, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.funnel_fit_combine, FINALFUNC = @extschema@.funnel_fit_final,
    PARALLEL = SAFE);

COMMENT ON FUNCTION @extschema@.funnel_fit_trans(@extschema@.value_list, float8, float8) IS
'Transition function of funnel_fit (defaults proportion, additive, winsorise, 0.1)';
COMMENT ON FUNCTION @extschema@.funnel_fit_trans(@extschema@.value_list, float8, float8, text) IS
'Transition function of funnel_fit with a data type';
COMMENT ON FUNCTION @extschema@.funnel_fit_trans(@extschema@.value_list, float8, float8, text, text) IS
'Transition function of funnel_fit with a data type and adjustment';
COMMENT ON FUNCTION @extschema@.funnel_fit_trans(@extschema@.value_list, float8, float8, text, text, text) IS
'Transition function of funnel_fit with a data type, adjustment and trim mode';
COMMENT ON FUNCTION @extschema@.funnel_fit_trans(@extschema@.value_list, float8, float8, text, text, text, float8) IS
'Transition function of funnel_fit with every option';
COMMENT ON FUNCTION @extschema@.funnel_fit_combine(@extschema@.value_list, @extschema@.value_list) IS
'Combine function of funnel_fit (appends units; options must agree)';
COMMENT ON FUNCTION @extschema@.funnel_fit_final(@extschema@.value_list) IS
'Final function of funnel_fit: target, phi and tau2 from the units';
COMMENT ON AGGREGATE @extschema@.funnel_fit(float8, float8) IS
'Fit a proportion funnel (arcsine scale, additive over-dispersion, 10% winsorising) to units (numerator, denominator)';
COMMENT ON AGGREGATE @extschema@.funnel_fit(float8, float8, text) IS
'Fit a funnel of the given data type (proportion, ratio_log, ratio_sqrt) with additive over-dispersion and 10% winsorising';
COMMENT ON AGGREGATE @extschema@.funnel_fit(float8, float8, text, text) IS
'Fit a funnel with the given data type and adjustment (none, multiplicative, additive), 10% winsorising';
COMMENT ON AGGREGATE @extschema@.funnel_fit(float8, float8, text, text, text) IS
'Fit a funnel with the given data type, adjustment and trim mode (winsorise, truncate), 10% trimmed';
COMMENT ON AGGREGATE @extschema@.funnel_fit(float8, float8, text, text, text, float8) IS
'Fit a funnel with the given data type, adjustment, trim mode and trim fraction per end';

CREATE FUNCTION @extschema@.funnel_z(numerator float8, denominator float8, model @extschema@.funnel_model)
RETURNS float8 AS 'MODULE_PATHNAME', 'funnel_z'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.funnel_z(float8, float8, @extschema@.funnel_model) IS
'A unit''s z-score on the model''s transformed scale, adjusted for over-dispersion as the model says; -Infinity for O = 0 on the log scale';

CREATE FUNCTION @extschema@.funnel_limit(denominator float8, model @extschema@.funnel_model,
                                         confidence float8, upper boolean)
RETURNS float8 AS 'MODULE_PATHNAME', 'funnel_limit'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.funnel_limit(float8, @extschema@.funnel_model, float8, boolean) IS
'Lower or upper funnel limit at a denominator, on the natural scale (proportion or ratio), two-sided confidence such as 0.95 or 0.998';

CREATE FUNCTION @extschema@.funnel_flag(numerator float8, denominator float8,
                                        model @extschema@.funnel_model,
                                        confidence float8 DEFAULT 0.998)
RETURNS text AS 'MODULE_PATHNAME', 'funnel_flag'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.funnel_flag(float8, float8, @extschema@.funnel_model, float8) IS
'''high'' or ''low'' when the unit lies outside the funnel limits at the confidence (default 0.998), ''within'' otherwise (a value on a limit is within)';

CREATE FUNCTION @extschema@.funnel_limits(model @extschema@.funnel_model,
                                          denominator_min float8, denominator_max float8,
                                          points integer DEFAULT 100)
RETURNS TABLE (denominator float8, lower95 float8, upper95 float8,
               lower998 float8, upper998 float8)
AS 'MODULE_PATHNAME', 'funnel_limits'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION @extschema@.funnel_limits(@extschema@.funnel_model, float8, float8, integer) IS
'Rows to draw a funnel: evenly spaced denominators from min to max with the 95% and 99.8% limits (for Power BI line charts)';

-- source: src/sql/40_rates.sql
-- src/sql/40_rates.sql
-- Proportions, crude rates and means with the confidence intervals of
-- PHEindicatormethods (see src/rates.c). Composite results: select
-- (f(...)).* to get plain columns.

CREATE TYPE @extschema@.proportion_interval AS (
    value float8,
    lower float8,
    upper float8
);
COMMENT ON TYPE @extschema@.proportion_interval IS
'Result of proportion_ci and proportion: the proportion times the multiplier and its Wilson score limits';

CREATE TYPE @extschema@.rate_interval AS (
    value float8,
    lower float8,
    upper float8,
    method text
);
COMMENT ON TYPE @extschema@.rate_interval IS
'Result of rate_ci, crude_rate and isr: value and limits with the method used (Exact below 10 events, Byars otherwise)';

CREATE TYPE @extschema@.mean_interval AS (
    value float8,
    lower float8,
    upper float8,
    count bigint,
    stdev float8
);
COMMENT ON TYPE @extschema@.mean_interval IS
'Result of mean_ci: the mean, its Student t limits, the number of values and their sample standard deviation';

CREATE TYPE @extschema@.count_interval AS (
    value float8,
    lower float8,
    upper float8
);
COMMENT ON TYPE @extschema@.count_interval IS
'Result of byars_ci: an observed count and its Byar''s confidence limits';

CREATE FUNCTION @extschema@.byars_ci(x float8, confidence float8 DEFAULT 0.95)
RETURNS @extschema@.count_interval
AS 'MODULE_PATHNAME', 'byars_ci'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.byars_ci(float8, float8) IS
'Byar''s approximate Poisson confidence limits for a count (PHE byars_lower/byars_upper); lower NULL where the approximation goes negative';

CREATE FUNCTION @extschema@.proportion_ci(x float8, n float8,
    confidence float8 DEFAULT 0.95, multiplier float8 DEFAULT 1)
RETURNS @extschema@.proportion_interval
AS 'MODULE_PATHNAME', 'proportion_ci'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.proportion_ci(float8, float8, float8, float8) IS
'Proportion x/n times multiplier with Wilson score confidence limits, as PHEindicatormethods phe_proportion; confidence 0.9-1 or 90-100';

CREATE FUNCTION @extschema@.rate_ci(x float8, n float8,
    confidence float8 DEFAULT 0.95, multiplier float8 DEFAULT 100000)
RETURNS @extschema@.rate_interval
AS 'MODULE_PATHNAME', 'rate_ci'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_ci(float8, float8, float8, float8) IS
'Crude rate x/n times multiplier with exact Poisson limits below 10 events and Byar''s limits otherwise, as PHEindicatormethods phe_rate';

-- proportion(x, n [, confidence [, multiplier]]): aggregates take no
-- defaults, hence one overload per call form.
CREATE FUNCTION @extschema@.proportion_transfn(float8[], float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'proportion_transfn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.proportion_transfn(float8[], float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'proportion_transfn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.proportion_transfn(float8[], float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'proportion_transfn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.crude_rate_transfn(float8[], float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'crude_rate_transfn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.crude_rate_transfn(float8[], float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'crude_rate_transfn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.crude_rate_transfn(float8[], float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'crude_rate_transfn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.count_ratio_combinefn(float8[], float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'count_ratio_combinefn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.proportion_finalfn(float8[])
RETURNS @extschema@.proportion_interval AS 'MODULE_PATHNAME', 'proportion_finalfn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.crude_rate_finalfn(float8[])
RETURNS @extschema@.rate_interval AS 'MODULE_PATHNAME', 'crude_rate_finalfn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE @extschema@.proportion(x float8, n float8) (
    SFUNC = @extschema@.proportion_transfn, STYPE = float8[],
    INITCOND = '{0,0,0,0,0}', COMBINEFUNC = @extschema@.count_ratio_combinefn,
    FINALFUNC = @extschema@.proportion_finalfn, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.proportion(x float8, n float8, confidence float8) (
    SFUNC = @extschema@.proportion_transfn, STYPE = float8[],
    INITCOND = '{0,0,0,0,0}', COMBINEFUNC = @extschema@.count_ratio_combinefn,
    FINALFUNC = @extschema@.proportion_finalfn, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.proportion(x float8, n float8, confidence float8, multiplier float8) (
    SFUNC = @extschema@.proportion_transfn, STYPE = float8[],
    INITCOND = '{0,0,0,0,0}', COMBINEFUNC = @extschema@.count_ratio_combinefn,
    FINALFUNC = @extschema@.proportion_finalfn, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.crude_rate(x float8, n float8) (
    SFUNC = @extschema@.crude_rate_transfn, STYPE = float8[],
    INITCOND = '{0,0,0,0,0}', COMBINEFUNC = @extschema@.count_ratio_combinefn,
    FINALFUNC = @extschema@.crude_rate_finalfn, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.crude_rate(x float8, n float8, confidence float8) (
    SFUNC = @extschema@.crude_rate_transfn, STYPE = float8[],
    INITCOND = '{0,0,0,0,0}', COMBINEFUNC = @extschema@.count_ratio_combinefn,
    FINALFUNC = @extschema@.crude_rate_finalfn, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.crude_rate(x float8, n float8, confidence float8, multiplier float8) (
    SFUNC = @extschema@.crude_rate_transfn, STYPE = float8[],
    INITCOND = '{0,0,0,0,0}', COMBINEFUNC = @extschema@.count_ratio_combinefn,
    FINALFUNC = @extschema@.crude_rate_finalfn, PARALLEL = SAFE);

-- mean_ci(value [, confidence])
CREATE FUNCTION @extschema@.mean_ci_transfn(float8[], float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'mean_ci_transfn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.mean_ci_transfn(float8[], float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'mean_ci_transfn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.mean_ci_combinefn(float8[], float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'mean_ci_combinefn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.mean_ci_finalfn(float8[])
RETURNS @extschema@.mean_interval AS 'MODULE_PATHNAME', 'mean_ci_finalfn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE @extschema@.mean_ci(value float8) (
    SFUNC = @extschema@.mean_ci_transfn, STYPE = float8[],
    INITCOND = '{0,0,0,0}', COMBINEFUNC = @extschema@.mean_ci_combinefn,
    FINALFUNC = @extschema@.mean_ci_finalfn, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.mean_ci(value float8, confidence float8) (
    SFUNC = @extschema@.mean_ci_transfn, STYPE = float8[],
    INITCOND = '{0,0,0,0}', COMBINEFUNC = @extschema@.mean_ci_combinefn,
    FINALFUNC = @extschema@.mean_ci_finalfn, PARALLEL = SAFE);

COMMENT ON FUNCTION @extschema@.proportion_transfn(float8[], float8, float8) IS 'Transition function of proportion(x, n)';
COMMENT ON FUNCTION @extschema@.proportion_transfn(float8[], float8, float8, float8) IS 'Transition function of proportion(x, n, confidence)';
COMMENT ON FUNCTION @extschema@.proportion_transfn(float8[], float8, float8, float8, float8) IS 'Transition function of proportion(x, n, confidence, multiplier)';
COMMENT ON FUNCTION @extschema@.crude_rate_transfn(float8[], float8, float8) IS 'Transition function of crude_rate(x, n)';
COMMENT ON FUNCTION @extschema@.crude_rate_transfn(float8[], float8, float8, float8) IS 'Transition function of crude_rate(x, n, confidence)';
COMMENT ON FUNCTION @extschema@.crude_rate_transfn(float8[], float8, float8, float8, float8) IS 'Transition function of crude_rate(x, n, confidence, multiplier)';
COMMENT ON FUNCTION @extschema@.count_ratio_combinefn(float8[], float8[]) IS 'Combine function of proportion and crude_rate';
COMMENT ON FUNCTION @extschema@.proportion_finalfn(float8[]) IS 'Final function of proportion';
COMMENT ON FUNCTION @extschema@.crude_rate_finalfn(float8[]) IS 'Final function of crude_rate';
COMMENT ON FUNCTION @extschema@.mean_ci_transfn(float8[], float8) IS 'Transition function of mean_ci(value)';
COMMENT ON FUNCTION @extschema@.mean_ci_transfn(float8[], float8, float8) IS 'Transition function of mean_ci(value, confidence)';
COMMENT ON FUNCTION @extschema@.mean_ci_combinefn(float8[], float8[]) IS 'Combine function of mean_ci (Chan''s pairwise update)';
COMMENT ON FUNCTION @extschema@.mean_ci_finalfn(float8[]) IS 'Final function of mean_ci';
COMMENT ON AGGREGATE @extschema@.proportion(float8, float8) IS 'Proportion sum(x)/sum(n) with Wilson score 95% limits, as phe_proportion on grouped data';
COMMENT ON AGGREGATE @extschema@.proportion(float8, float8, float8) IS 'Proportion sum(x)/sum(n) with Wilson score limits at the given confidence';
COMMENT ON AGGREGATE @extschema@.proportion(float8, float8, float8, float8) IS 'Proportion sum(x)/sum(n) times multiplier with Wilson score limits';
COMMENT ON AGGREGATE @extschema@.crude_rate(float8, float8) IS 'Crude rate per 100,000 of sum(x)/sum(n) with exact/Byar''s 95% limits, as phe_rate on grouped data';
COMMENT ON AGGREGATE @extschema@.crude_rate(float8, float8, float8) IS 'Crude rate per 100,000 with exact/Byar''s limits at the given confidence';
COMMENT ON AGGREGATE @extschema@.crude_rate(float8, float8, float8, float8) IS 'Crude rate sum(x)/sum(n) times multiplier with exact/Byar''s limits';
COMMENT ON AGGREGATE @extschema@.mean_ci(float8) IS 'Mean with Student t 95% limits, as phe_mean';
COMMENT ON AGGREGATE @extschema@.mean_ci(float8, float8) IS 'Mean with Student t limits at the given confidence, as phe_mean';

-- source: src/sql/41_dsr.sql
-- src/sql/41_dsr.sql
-- Standardised rates as PHEindicatormethods computes them (src/dsr.c), and
-- the 2013 European Standard Population. Aggregates take no named or
-- default arguments, so each call form is its own overload.

CREATE TABLE @extschema@.esp2013 (
    band_index integer PRIMARY KEY,
    age_band text NOT NULL UNIQUE,
    age_from integer NOT NULL,
    age_to integer,
    esp2013_population float8 NOT NULL
);
-- the same rows as src/data/esp2013_19_bands.csv (sql/41_dsr.sql checks it)
INSERT INTO @extschema@.esp2013 VALUES
    (1, '0-4', 0, 4, 5000), (2, '5-9', 5, 9, 5500), (3, '10-14', 10, 14, 5500),
    (4, '15-19', 15, 19, 5500), (5, '20-24', 20, 24, 6000), (6, '25-29', 25, 29, 6000),
    (7, '30-34', 30, 34, 6500), (8, '35-39', 35, 39, 7000), (9, '40-44', 40, 44, 7000),
    (10, '45-49', 45, 49, 7000), (11, '50-54', 50, 54, 7000), (12, '55-59', 55, 59, 6500),
    (13, '60-64', 60, 64, 6000), (14, '65-69', 65, 69, 5500), (15, '70-74', 70, 74, 5000),
    (16, '75-79', 75, 79, 4000), (17, '80-84', 80, 84, 2500), (18, '85-89', 85, 89, 1500),
    (19, '90+', 90, NULL, 1000);
COMMENT ON TABLE @extschema@.esp2013 IS
'2013 European Standard Population in 19 five-year bands (0-4 ... 85-89, 90+), total 100,000: the standard for dsr';

CREATE FUNCTION @extschema@.esp2013_weight(age integer)
RETURNS float8 AS 'MODULE_PATHNAME', 'esp2013_weight'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.esp2013_weight(integer) IS
'2013 European Standard Population of the five-year band holding this age (90+ for 90 and over); error for negative ages';

CREATE TYPE @extschema@.dsr_result AS (
    value float8,
    lower float8,
    upper float8,
    events float8,
    population float8
);
COMMENT ON TYPE @extschema@.dsr_result IS
'Result of dsr: directly standardised rate with Dobson limits (NULL below 10 events), total events and total population';

CREATE TYPE @extschema@.isr_result AS (
    ratio float8,
    lower float8,
    upper float8,
    observed float8,
    expected float8,
    method text
);
COMMENT ON TYPE @extschema@.isr_result IS
'Result of isr: indirectly standardised ratio (observed/expected times multiplier) with exact or Byar''s limits';

CREATE TYPE @extschema@.isr_rate_result AS (
    rate float8,
    lower float8,
    upper float8,
    observed float8,
    expected float8,
    reference_rate float8,
    method text
);
COMMENT ON TYPE @extschema@.isr_rate_result IS
'Result of isr_rate: indirectly standardised rate (ratio times the reference rate) with exact or Byar''s limits';

-- dsr, independent events: one row per band
CREATE FUNCTION @extschema@.dsr_transfn(float8[], float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'dsr_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.dsr_transfn(float8[], float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'dsr_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.dsr_transfn(float8[], float8, float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'dsr_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.dsr_combinefn(float8[], float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'dsr_combinefn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.dsr_finalfn(float8[])
RETURNS @extschema@.dsr_result AS 'MODULE_PATHNAME', 'dsr_finalfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE @extschema@.dsr(events float8, population float8, standard_population float8) (
    SFUNC = @extschema@.dsr_transfn, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.dsr_combinefn, FINALFUNC = @extschema@.dsr_finalfn, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.dsr(events float8, population float8, standard_population float8,
                                 confidence float8) (
    SFUNC = @extschema@.dsr_transfn, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.dsr_combinefn, FINALFUNC = @extschema@.dsr_finalfn, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.dsr(events float8, population float8, standard_population float8,
                                 confidence float8, multiplier float8) (
    SFUNC = @extschema@.dsr_transfn, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.dsr_combinefn, FINALFUNC = @extschema@.dsr_finalfn, PARALLEL = SAFE);

-- dsr, non-independent events: one row per (band, event frequency)
CREATE FUNCTION @extschema@.dsr_nonind_transfn(@extschema@.value_list, float8, float8, float8, float8, text)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'dsr_nonind_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.dsr_nonind_transfn(@extschema@.value_list, float8, float8, float8, float8, text, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'dsr_nonind_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.dsr_nonind_transfn(@extschema@.value_list, float8, float8, float8, float8, text, float8, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'dsr_nonind_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.dsr_nonind_combinefn(@extschema@.value_list, @extschema@.value_list)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'dsr_nonind_combinefn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.dsr_nonind_finalfn(@extschema@.value_list)
RETURNS @extschema@.dsr_result AS 'MODULE_PATHNAME', 'dsr_nonind_finalfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.dsr(persons float8, population float8, standard_population float8,
                                 event_frequency float8, age_band text) (
    SFUNC = @extschema@.dsr_nonind_transfn, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.dsr_nonind_combinefn, FINALFUNC = @extschema@.dsr_nonind_finalfn,
    PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.dsr(persons float8, population float8, standard_population float8,
                                 event_frequency float8, age_band text, confidence float8) (
    SFUNC = @extschema@.dsr_nonind_transfn, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.dsr_nonind_combinefn, FINALFUNC = @extschema@.dsr_nonind_finalfn,
    PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.dsr(persons float8, population float8, standard_population float8,
                                 event_frequency float8, age_band text, confidence float8,
                                 multiplier float8) (
    SFUNC = @extschema@.dsr_nonind_transfn, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.dsr_nonind_combinefn, FINALFUNC = @extschema@.dsr_nonind_finalfn,
    PARALLEL = SAFE);

-- isr and isr_rate
CREATE FUNCTION @extschema@.isr_transfn(float8[], float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.isr_transfn(float8[], float8, float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.isr_transfn(float8[], float8, float8, float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.isr_rate_transfn(float8[], float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_rate_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.isr_rate_transfn(float8[], float8, float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_rate_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.isr_rate_transfn(float8[], float8, float8, float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_rate_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.isr_combinefn(float8[], float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_combinefn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.isr_finalfn(float8[])
RETURNS @extschema@.isr_result AS 'MODULE_PATHNAME', 'isr_finalfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.isr_rate_finalfn(float8[])
RETURNS @extschema@.isr_rate_result AS 'MODULE_PATHNAME', 'isr_rate_finalfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE @extschema@.isr(observed float8, population float8, reference_events float8,
                                 reference_population float8) (
    SFUNC = @extschema@.isr_transfn, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.isr_combinefn, FINALFUNC = @extschema@.isr_finalfn, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.isr(observed float8, population float8, reference_events float8,
                                 reference_population float8, confidence float8) (
    SFUNC = @extschema@.isr_transfn, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.isr_combinefn, FINALFUNC = @extschema@.isr_finalfn, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.isr(observed float8, population float8, reference_events float8,
                                 reference_population float8, confidence float8, multiplier float8) (
    SFUNC = @extschema@.isr_transfn, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.isr_combinefn, FINALFUNC = @extschema@.isr_finalfn, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.isr_rate(observed float8, population float8, reference_events float8,
                                      reference_population float8) (
    SFUNC = @extschema@.isr_rate_transfn, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.isr_combinefn, FINALFUNC = @extschema@.isr_rate_finalfn, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.isr_rate(observed float8, population float8, reference_events float8,
                                      reference_population float8, confidence float8) (
    SFUNC = @extschema@.isr_rate_transfn, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.isr_combinefn, FINALFUNC = @extschema@.isr_rate_finalfn, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.isr_rate(observed float8, population float8, reference_events float8,
                                      reference_population float8, confidence float8, multiplier float8) (
    SFUNC = @extschema@.isr_rate_transfn, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.isr_combinefn, FINALFUNC = @extschema@.isr_rate_finalfn, PARALLEL = SAFE);

COMMENT ON FUNCTION @extschema@.dsr_transfn(float8[], float8, float8, float8) IS 'Transition function of dsr(events, population, standard_population)';
COMMENT ON FUNCTION @extschema@.dsr_transfn(float8[], float8, float8, float8, float8) IS 'Transition function of dsr(..., confidence)';
COMMENT ON FUNCTION @extschema@.dsr_transfn(float8[], float8, float8, float8, float8, float8) IS 'Transition function of dsr(..., confidence, multiplier)';
COMMENT ON FUNCTION @extschema@.dsr_combinefn(float8[], float8[]) IS 'Combine function of dsr (independent events)';
COMMENT ON FUNCTION @extschema@.dsr_finalfn(float8[]) IS 'Final function of dsr (independent events)';
COMMENT ON FUNCTION @extschema@.dsr_nonind_transfn(@extschema@.value_list, float8, float8, float8, float8, text) IS 'Transition function of dsr(persons, population, standard_population, event_frequency, age_band)';
COMMENT ON FUNCTION @extschema@.dsr_nonind_transfn(@extschema@.value_list, float8, float8, float8, float8, text, float8) IS 'Transition function of dsr(..., age_band, confidence)';
COMMENT ON FUNCTION @extschema@.dsr_nonind_transfn(@extschema@.value_list, float8, float8, float8, float8, text, float8, float8) IS 'Transition function of dsr(..., age_band, confidence, multiplier)';
COMMENT ON FUNCTION @extschema@.dsr_nonind_combinefn(@extschema@.value_list, @extschema@.value_list) IS 'Combine function of dsr (non-independent events)';
COMMENT ON FUNCTION @extschema@.dsr_nonind_finalfn(@extschema@.value_list) IS 'Final function of dsr (non-independent events)';
COMMENT ON FUNCTION @extschema@.isr_transfn(float8[], float8, float8, float8, float8) IS 'Transition function of isr(observed, population, reference_events, reference_population)';
COMMENT ON FUNCTION @extschema@.isr_transfn(float8[], float8, float8, float8, float8, float8) IS 'Transition function of isr(..., confidence)';
COMMENT ON FUNCTION @extschema@.isr_transfn(float8[], float8, float8, float8, float8, float8, float8) IS 'Transition function of isr(..., confidence, multiplier)';
COMMENT ON FUNCTION @extschema@.isr_rate_transfn(float8[], float8, float8, float8, float8) IS 'Transition function of isr_rate(observed, population, reference_events, reference_population)';
COMMENT ON FUNCTION @extschema@.isr_rate_transfn(float8[], float8, float8, float8, float8, float8) IS 'Transition function of isr_rate(..., confidence)';
COMMENT ON FUNCTION @extschema@.isr_rate_transfn(float8[], float8, float8, float8, float8, float8, float8) IS 'Transition function of isr_rate(..., confidence, multiplier)';
COMMENT ON FUNCTION @extschema@.isr_combinefn(float8[], float8[]) IS 'Combine function of isr and isr_rate';
COMMENT ON FUNCTION @extschema@.isr_finalfn(float8[]) IS 'Final function of isr';
COMMENT ON FUNCTION @extschema@.isr_rate_finalfn(float8[]) IS 'Final function of isr_rate';
COMMENT ON AGGREGATE @extschema@.dsr(float8, float8, float8) IS 'Directly standardised rate per 100,000 with Dobson 95% limits (one row per band; NULL below 10 events), as PHEindicatormethods calculate_dsr';
COMMENT ON AGGREGATE @extschema@.dsr(float8, float8, float8, float8) IS 'Directly standardised rate per 100,000 with Dobson limits at the given confidence';
COMMENT ON AGGREGATE @extschema@.dsr(float8, float8, float8, float8, float8) IS 'Directly standardised rate times multiplier with Dobson limits at the given confidence';
COMMENT ON AGGREGATE @extschema@.dsr(float8, float8, float8, float8, text) IS 'Directly standardised rate for non-independent events: rows are (band, event frequency) with the persons having that many events';
COMMENT ON AGGREGATE @extschema@.dsr(float8, float8, float8, float8, text, float8) IS 'Directly standardised rate for non-independent events at the given confidence';
COMMENT ON AGGREGATE @extschema@.dsr(float8, float8, float8, float8, text, float8, float8) IS 'Directly standardised rate for non-independent events at the given confidence and multiplier';
COMMENT ON AGGREGATE @extschema@.isr(float8, float8, float8, float8) IS 'Indirectly standardised ratio observed/expected with exact (below 10) or Byar''s 95% limits, as calculate_ISRatio';
COMMENT ON AGGREGATE @extschema@.isr(float8, float8, float8, float8, float8) IS 'Indirectly standardised ratio at the given confidence';
COMMENT ON AGGREGATE @extschema@.isr(float8, float8, float8, float8, float8, float8) IS 'Indirectly standardised ratio times multiplier (100 for an SMR-style percentage) at the given confidence';
COMMENT ON AGGREGATE @extschema@.isr_rate(float8, float8, float8, float8) IS 'Indirectly standardised rate per 100,000 with exact or Byar''s 95% limits, as calculate_ISRate';
COMMENT ON AGGREGATE @extschema@.isr_rate(float8, float8, float8, float8, float8) IS 'Indirectly standardised rate per 100,000 at the given confidence';
COMMENT ON AGGREGATE @extschema@.isr_rate(float8, float8, float8, float8, float8, float8) IS 'Indirectly standardised rate times multiplier at the given confidence';

-- source: src/sql/42_quantile_group.sql
-- src/sql/42_quantile_group.sql
-- quantile_group: PHE's quantile assignment as a window function
-- (src/quantile_group.c).

CREATE FUNCTION @extschema@.quantile_group(value float8, groups integer,
    invert boolean DEFAULT true)
RETURNS integer
AS 'MODULE_PATHNAME', 'quantile_group'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.quantile_group(float8, integer, boolean) IS
'Window function: quantile 1..groups of value within its partition exactly as PHEindicatormethods phe_quantile (ties share a group; invert = true puts the highest values in group 1; NULL when the partition has fewer values than groups)';

-- source: src/sql/43_life.sql
-- src/sql/43_life.sql
-- Life expectancy from an abridged life table (Chiang II, Silcocks limits)
-- on PHE's 20 age bands (src/life.c).

CREATE TYPE @extschema@.life_expectancy_result AS (
    value float8,
    lower float8,
    upper float8,
    population float8,
    deaths float8
);
COMMENT ON TYPE @extschema@.life_expectancy_result IS
'Result of life_expectancy: life expectancy at the chosen age (NULL when the 95% interval is wider than 20 years), its limits, and the population and deaths of the bands from that age up';

CREATE FUNCTION @extschema@.life_table_band(age integer)
RETURNS integer AS 'MODULE_PATHNAME', 'life_table_band'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.life_table_band(integer) IS
'Start age of the PHE life-table band holding this age: 0, 1 (1-4), 5, 10, ..., 85, 90 (90+)';

CREATE FUNCTION @extschema@.life_expectancy_transfn(float8[], float8, float8, integer)
RETURNS float8[] AS 'MODULE_PATHNAME', 'life_expectancy_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.life_expectancy_transfn(float8[], float8, float8, integer, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'life_expectancy_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.life_expectancy_transfn(float8[], float8, float8, integer, float8, integer)
RETURNS float8[] AS 'MODULE_PATHNAME', 'life_expectancy_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.life_expectancy_combinefn(float8[], float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'life_expectancy_combinefn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.life_expectancy_finalfn(float8[])
RETURNS @extschema@.life_expectancy_result AS 'MODULE_PATHNAME', 'life_expectancy_finalfn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE @extschema@.life_expectancy(deaths float8, population float8, age_band_start integer) (
    SFUNC = @extschema@.life_expectancy_transfn, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.life_expectancy_combinefn,
    FINALFUNC = @extschema@.life_expectancy_finalfn, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.life_expectancy(deaths float8, population float8, age_band_start integer,
                                             confidence float8) (
    SFUNC = @extschema@.life_expectancy_transfn, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.life_expectancy_combinefn,
    FINALFUNC = @extschema@.life_expectancy_finalfn, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.life_expectancy(deaths float8, population float8, age_band_start integer,
                                             confidence float8, at_age integer) (
    SFUNC = @extschema@.life_expectancy_transfn, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.life_expectancy_combinefn,
    FINALFUNC = @extschema@.life_expectancy_finalfn, PARALLEL = SAFE);

COMMENT ON FUNCTION @extschema@.life_expectancy_transfn(float8[], float8, float8, integer) IS 'Transition function of life_expectancy(deaths, population, age_band_start)';
COMMENT ON FUNCTION @extschema@.life_expectancy_transfn(float8[], float8, float8, integer, float8) IS 'Transition function of life_expectancy(..., confidence)';
COMMENT ON FUNCTION @extschema@.life_expectancy_transfn(float8[], float8, float8, integer, float8, integer) IS 'Transition function of life_expectancy(..., confidence, at_age)';
COMMENT ON FUNCTION @extschema@.life_expectancy_combinefn(float8[], float8[]) IS 'Combine function of life_expectancy';
COMMENT ON FUNCTION @extschema@.life_expectancy_finalfn(float8[]) IS 'Final function of life_expectancy: the Chiang II life table with Silcocks limits';
COMMENT ON AGGREGATE @extschema@.life_expectancy(float8, float8, integer) IS 'Life expectancy at birth with 95% limits (Chiang II, Silcocks), as PHEindicatormethods phe_life_expectancy; rows of a band add up';
COMMENT ON AGGREGATE @extschema@.life_expectancy(float8, float8, integer, float8) IS 'Life expectancy at birth with limits at the given confidence';
COMMENT ON AGGREGATE @extschema@.life_expectancy(float8, float8, integer, float8, integer) IS 'Life expectancy at at_age (a band start) with limits at the given confidence';

-- source: src/sql/44_inequality.sql
-- src/sql/44_inequality.sql
-- Slope and relative index of inequality (PHE phe_sii, seeded simulation)
-- and the concentration index (src/inequality.c).

CREATE TYPE @extschema@.sii_result AS (
    sii float8,
    sii_lower float8,
    sii_upper float8,
    rii float8,
    rii_lower float8,
    rii_upper float8,
    intercept float8
);
COMMENT ON TYPE @extschema@.sii_result IS
'Result of sii: slope index of inequality and relative index of inequality with simulated limits, and the fitted value at the most deprived end';

CREATE FUNCTION @extschema@.sii_transfn(@extschema@.value_list, float8, float8, integer, float8, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'sii_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.sii_transfn(@extschema@.value_list, float8, float8, integer, float8, float8, text)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'sii_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.sii_transfn(@extschema@.value_list, float8, float8, integer, float8, float8, text, boolean)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'sii_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.sii_transfn(@extschema@.value_list, float8, float8, integer, float8, float8, text, boolean,
                                        float8, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'sii_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.sii_transfn(@extschema@.value_list, float8, float8, integer, float8, float8, text, boolean,
                                        float8, float8, integer, bigint)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'sii_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.inequality_combinefn(@extschema@.value_list, @extschema@.value_list)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'inequality_combinefn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.sii_finalfn(@extschema@.value_list)
RETURNS @extschema@.sii_result AS 'MODULE_PATHNAME', 'sii_finalfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.sii(value float8, population float8, quantile integer, lower float8, upper float8) (
    SFUNC = @extschema@.sii_transfn, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.inequality_combinefn, FINALFUNC = @extschema@.sii_finalfn, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.sii(value float8, population float8, quantile integer, lower float8, upper float8,
                                 value_type text) (
    SFUNC = @extschema@.sii_transfn, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.inequality_combinefn, FINALFUNC = @extschema@.sii_finalfn, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.sii(value float8, population float8, quantile integer, lower float8, upper float8,
                                 value_type text, transform boolean) (
    SFUNC = @extschema@.sii_transfn, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.inequality_combinefn, FINALFUNC = @extschema@.sii_finalfn, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.sii(value float8, population float8, quantile integer, lower float8, upper float8,
                                 value_type text, transform boolean, confidence float8, multiplier float8) (
    SFUNC = @extschema@.sii_transfn, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.inequality_combinefn, FINALFUNC = @extschema@.sii_finalfn, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.sii(value float8, population float8, quantile integer, lower float8, upper float8,
                                 value_type text, transform boolean, confidence float8, multiplier float8,
                                 repetitions integer, seed bigint) (
    SFUNC = @extschema@.sii_transfn, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.inequality_combinefn, FINALFUNC = @extschema@.sii_finalfn, PARALLEL = SAFE);

CREATE FUNCTION @extschema@.concentration_index_transfn(@extschema@.value_list, float8, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'concentration_index_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.concentration_index_transfn(@extschema@.value_list, float8, float8, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'concentration_index_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.concentration_index_finalfn(@extschema@.value_list)
RETURNS float8 AS 'MODULE_PATHNAME', 'concentration_index_finalfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE @extschema@.concentration_index(outcome float8, rank float8) (
    SFUNC = @extschema@.concentration_index_transfn, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.inequality_combinefn, FINALFUNC = @extschema@.concentration_index_finalfn,
    PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.concentration_index(outcome float8, rank float8, weight float8) (
    SFUNC = @extschema@.concentration_index_transfn, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.inequality_combinefn, FINALFUNC = @extschema@.concentration_index_finalfn,
    PARALLEL = SAFE);

COMMENT ON FUNCTION @extschema@.sii_transfn(@extschema@.value_list, float8, float8, integer, float8, float8) IS 'Transition function of sii(value, population, quantile, lower, upper)';
COMMENT ON FUNCTION @extschema@.sii_transfn(@extschema@.value_list, float8, float8, integer, float8, float8, text) IS 'Transition function of sii(..., value_type)';
COMMENT ON FUNCTION @extschema@.sii_transfn(@extschema@.value_list, float8, float8, integer, float8, float8, text, boolean) IS 'Transition function of sii(..., value_type, transform)';
COMMENT ON FUNCTION @extschema@.sii_transfn(@extschema@.value_list, float8, float8, integer, float8, float8, text, boolean, float8, float8) IS 'Transition function of sii(..., transform, confidence, multiplier)';
COMMENT ON FUNCTION @extschema@.sii_transfn(@extschema@.value_list, float8, float8, integer, float8, float8, text, boolean, float8, float8, integer, bigint) IS 'Transition function of sii(..., multiplier, repetitions, seed)';
COMMENT ON FUNCTION @extschema@.inequality_combinefn(@extschema@.value_list, @extschema@.value_list) IS 'Combine function of sii and concentration_index';
COMMENT ON FUNCTION @extschema@.sii_finalfn(@extschema@.value_list) IS 'Final function of sii: the weighted fit and the seeded simulation of its limits';
COMMENT ON FUNCTION @extschema@.concentration_index_transfn(@extschema@.value_list, float8, float8) IS 'Transition function of concentration_index(outcome, rank)';
COMMENT ON FUNCTION @extschema@.concentration_index_transfn(@extschema@.value_list, float8, float8, float8) IS 'Transition function of concentration_index(outcome, rank, weight)';
COMMENT ON FUNCTION @extschema@.concentration_index_finalfn(@extschema@.value_list) IS 'Final function of concentration_index';
COMMENT ON AGGREGATE @extschema@.sii(float8, float8, integer, float8, float8) IS 'Slope and relative index of inequality across quantiles (1 = most deprived), as PHEindicatormethods phe_sii; limits simulated with 100,000 seeded draws';
COMMENT ON AGGREGATE @extschema@.sii(float8, float8, integer, float8, float8, text) IS 'SII/RII with value_type ''other'', ''rate'' (log-scale simulation) or ''proportion'' (logit-scale simulation)';
COMMENT ON AGGREGATE @extschema@.sii(float8, float8, integer, float8, float8, text, boolean) IS 'SII/RII, optionally fitted on the log (rates) or logit (proportions) scale';
COMMENT ON AGGREGATE @extschema@.sii(float8, float8, integer, float8, float8, text, boolean, float8, float8) IS 'SII/RII at the given confidence and multiplier (negative multiplier: gap reported with reversed sign, RII inverted)';
COMMENT ON AGGREGATE @extschema@.sii(float8, float8, integer, float8, float8, text, boolean, float8, float8, integer, bigint) IS 'SII/RII with the number of simulation repetitions and the seed that makes the limits reproducible';
COMMENT ON AGGREGATE @extschema@.concentration_index(float8, float8) IS 'Concentration index 2 cov(h, R) / mean(h) with R the fractional rank of rank (ascending; ties share the mid rank)';
COMMENT ON AGGREGATE @extschema@.concentration_index(float8, float8, float8) IS 'Weighted concentration index: fractional ranks and moments weighted by weight';

-- source: src/sql/50_nhs_number.sql
-- src/sql/50_nhs_number.sql
-- NHS numbers (src/nhs_number.c): accepted written forms and Modulus 11.
-- Accepted: ten digits, or the 3-3-4 display grouping with one space or one
-- hyphen (the same both times); surrounding spaces, tabs, CR and LF ignored.

CREATE FUNCTION @extschema@.nhs_number_is_valid(nhs_number text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'nhs_number_is_valid'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.nhs_number_is_valid(text) IS
'True when the text is an NHS number that passes the Modulus 11 check: ten digits, or 3-3-4 groups separated by one space or one hyphen (e.g. ''943 476 5919''); surrounding whitespace ignored';

CREATE FUNCTION @extschema@.nhs_number_normalize(nhs_number text)
RETURNS text
AS 'MODULE_PATHNAME', 'nhs_number_normalize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.nhs_number_normalize(text) IS
'The ten digits of a valid NHS number (''943 476 5919'' -> ''9434765919''), or NULL when nhs_number_is_valid is false';

-- source: src/sql/51_disclosure.sql
-- src/sql/51_disclosure.sql
-- Statistical disclosure control (src/disclosure.c), NHS Digital HES/ECDS rule
-- by default: 0 stays 0, 1..threshold suppressed, the rest rounded to the
-- nearest multiple of base (halves up).

CREATE FUNCTION @extschema@.sdc_round(count bigint, threshold integer DEFAULT 7,
                                      base integer DEFAULT 5)
RETURNS bigint
AS 'MODULE_PATHNAME', 'sdc_round'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.sdc_round(bigint, integer, integer) IS
'Disclosure control of a count: 0 stays 0, 1..threshold -> NULL (suppressed), larger counts rounded to the nearest multiple of base, halves up (NHS Digital rule: threshold 7, base 5)';

CREATE FUNCTION @extschema@.sdc_label(count bigint, threshold integer DEFAULT 7,
                                      base integer DEFAULT 5)
RETURNS text
AS 'MODULE_PATHNAME', 'sdc_label'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.sdc_label(bigint, integer, integer) IS
'sdc_round for display: the rounded count as text, or ''*'' when suppressed';

CREATE FUNCTION @extschema@.sdc_percentage(numerator bigint, denominator bigint,
                                           threshold integer DEFAULT 7,
                                           base integer DEFAULT 5,
                                           digits integer DEFAULT 1)
RETURNS numeric
AS 'MODULE_PATHNAME', 'sdc_percentage'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.sdc_percentage(bigint, bigint, integer, integer, integer) IS
'100 * sdc_round(numerator) / sdc_round(denominator), rounded half up to digits places; NULL when either is suppressed or the rounded denominator is 0';

-- source: src/sql/52_pseudonym.sql
-- src/sql/52_pseudonym.sql
-- Keyed pseudonyms (src/pseudonym.c): HMAC-SHA256 as 64 lowercase hex digits.
-- Explicit-key forms are pure (IMMUTABLE). Key-file forms depend on the GUC
-- value_ext.pseudonym_key_file and the file (STABLE), and are PARALLEL
-- RESTRICTED so one query never mixes keys if the file is replaced while
-- parallel workers start. Their EXECUTE is revoked from PUBLIC: anyone who can
-- call them can pseudonymise every possible NHS number and so reverse the
-- pseudonyms; the DBA grants them to the roles that make extracts.

CREATE FUNCTION @extschema@.pseudonymise(identifier text, key bytea)
RETURNS text
AS 'MODULE_PATHNAME', 'pseudonymise_key'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.pseudonymise(text, bytea) IS
'Keyed pseudonym: HMAC-SHA256(key, identifier''s bytes) as 64 lowercase hex digits, equal to encode(pgcrypto hmac(identifier, key, ''sha256''), ''hex''); the key must have at least 32 bytes';

CREATE FUNCTION @extschema@.pseudonymise(identifier text)
RETURNS text
AS 'MODULE_PATHNAME', 'pseudonymise_file'
LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;

COMMENT ON FUNCTION @extschema@.pseudonymise(text) IS
'Keyed pseudonym with the server''s key: the hex key in the file named by value_ext.pseudonym_key_file (set by a superuser); same result as pseudonymise(identifier, key) with that key. EXECUTE is granted by the DBA';

CREATE FUNCTION @extschema@.pseudonymise_nhs_number(nhs_number text, key bytea)
RETURNS text
AS 'MODULE_PATHNAME', 'pseudonymise_nhs_number_key'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.pseudonymise_nhs_number(text, bytea) IS
'pseudonymise(nhs_number_normalize(nhs_number), key): every accepted written form of one NHS number gives one pseudonym; NULL for an invalid number';

CREATE FUNCTION @extschema@.pseudonymise_nhs_number(nhs_number text)
RETURNS text
AS 'MODULE_PATHNAME', 'pseudonymise_nhs_number_file'
LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;

COMMENT ON FUNCTION @extschema@.pseudonymise_nhs_number(text) IS
'pseudonymise(nhs_number_normalize(nhs_number)) with the server''s key file; NULL for an invalid number. EXECUTE is granted by the DBA';

REVOKE EXECUTE ON FUNCTION @extschema@.pseudonymise(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.pseudonymise_nhs_number(text) FROM PUBLIC;
