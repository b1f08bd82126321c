-- src/sql/10_deprivation.sql
-- Deprivation: the bundled indices of deprivation (England 2019 and 2025,
-- Wales, Scotland, Northern Ireland), the LSOA 2011 -> 2021 lookup, the
-- decile rules and the cached LSOA lookups (C in src/deprivation.c).
--
-- The reference tables are filled here, at CREATE EXTENSION, from the CSV
-- files that `make install` puts in $(pg_config --sharedir)/extension/value_ext/.
-- They are not registered with pg_extension_config_dump: they are part of
-- the extension (not user data), so pg_dump leaves them out and the restore's
-- CREATE EXTENSION loads them again from the installed files. The loader
-- (value_ext_load_refdata) and the trigger function on the cached tables
-- (value_ext_refdata_changed) come from src/sql/02_refdata.sql.

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
AS 'MODULE_PATHNAME', 'imd_decile'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.imd_decile(integer, integer) IS
'English IMD decile of a rank among areas ranked 1 (most deprived) to areas: ceil(rank * 10 / areas); areas defaults to 32,844 (IoD2019 LSOAs; 33,755 for IoD2025)';

CREATE FUNCTION @extschema@.imd_quintile(rank integer, areas integer DEFAULT 32844)
RETURNS integer
AS 'MODULE_PATHNAME', 'imd_quintile'
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
AS 'MODULE_PATHNAME', 'imd_rank'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.imd_rank(text, integer) IS
'Official IMD rank (1 = most deprived) of an English LSOA in edition 2019 or 2025; NULL for a code not in that edition';

CREATE FUNCTION @extschema@.imd_score(lsoa_code text, edition integer DEFAULT 2019)
RETURNS float8
AS 'MODULE_PATHNAME', 'imd_score'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.imd_score(text, integer) IS
'IMD score (higher = more deprived) of an English LSOA in edition 2019 or 2025; NULL for a code not in that edition';
