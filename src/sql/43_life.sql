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

CREATE FUNCTION @extschema@.life_expectancy_trans(float8[], float8, float8, integer)
RETURNS float8[] AS 'MODULE_PATHNAME', 'life_expectancy_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.life_expectancy_trans(float8[], float8, float8, integer, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'life_expectancy_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.life_expectancy_trans(float8[], float8, float8, integer, float8, integer)
RETURNS float8[] AS 'MODULE_PATHNAME', 'life_expectancy_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.life_expectancy_combine(float8[], float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'life_expectancy_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.life_expectancy_final(float8[])
RETURNS @extschema@.life_expectancy_result AS 'MODULE_PATHNAME', 'life_expectancy_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE @extschema@.life_expectancy(deaths float8, population float8, age_band_start integer) (
    SFUNC = @extschema@.life_expectancy_trans, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.life_expectancy_combine,
    FINALFUNC = @extschema@.life_expectancy_final, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.life_expectancy(deaths float8, population float8, age_band_start integer,
                                             confidence float8) (
    SFUNC = @extschema@.life_expectancy_trans, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.life_expectancy_combine,
    FINALFUNC = @extschema@.life_expectancy_final, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.life_expectancy(deaths float8, population float8, age_band_start integer,
                                             confidence float8, at_age integer) (
    SFUNC = @extschema@.life_expectancy_trans, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@.life_expectancy_combine,
    FINALFUNC = @extschema@.life_expectancy_final, PARALLEL = SAFE);

COMMENT ON FUNCTION @extschema@.life_expectancy_trans(float8[], float8, float8, integer) IS 'Transition function of life_expectancy(deaths, population, age_band_start)';
COMMENT ON FUNCTION @extschema@.life_expectancy_trans(float8[], float8, float8, integer, float8) IS 'Transition function of life_expectancy(..., confidence)';
COMMENT ON FUNCTION @extschema@.life_expectancy_trans(float8[], float8, float8, integer, float8, integer) IS 'Transition function of life_expectancy(..., confidence, at_age)';
COMMENT ON FUNCTION @extschema@.life_expectancy_combine(float8[], float8[]) IS 'Combine function of life_expectancy';
COMMENT ON FUNCTION @extschema@.life_expectancy_final(float8[]) IS 'Final function of life_expectancy: the Chiang II life table with Silcocks limits';
COMMENT ON AGGREGATE @extschema@.life_expectancy(float8, float8, integer) IS 'Life expectancy at birth with 95% limits (Chiang II, Silcocks), as PHEindicatormethods phe_life_expectancy; rows of a band add up';
COMMENT ON AGGREGATE @extschema@.life_expectancy(float8, float8, integer, float8) IS 'Life expectancy at birth with limits at the given confidence';
COMMENT ON AGGREGATE @extschema@.life_expectancy(float8, float8, integer, float8, integer) IS 'Life expectancy at at_age (a band start) with limits at the given confidence';
