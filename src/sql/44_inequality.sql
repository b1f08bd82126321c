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

CREATE FUNCTION @extschema@.sii_trans(@extschema@.value_list, float8, float8, integer, float8, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'sii_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.sii_trans(@extschema@.value_list, float8, float8, integer, float8, float8, text)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'sii_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.sii_trans(@extschema@.value_list, float8, float8, integer, float8, float8, text, boolean)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'sii_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.sii_trans(@extschema@.value_list, float8, float8, integer, float8, float8, text, boolean,
                                        float8, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'sii_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.sii_trans(@extschema@.value_list, float8, float8, integer, float8, float8, text, boolean,
                                        float8, float8, integer, bigint)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'sii_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.inequality_combine(@extschema@.value_list, @extschema@.value_list)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'inequality_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.sii_final(@extschema@.value_list)
RETURNS @extschema@.sii_result AS 'MODULE_PATHNAME', 'sii_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.sii(value float8, population float8, quantile integer, lower float8, upper float8) (
    SFUNC = @extschema@.sii_trans, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.inequality_combine, FINALFUNC = @extschema@.sii_final, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.sii(value float8, population float8, quantile integer, lower float8, upper float8,
                                 value_type text) (
    SFUNC = @extschema@.sii_trans, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.inequality_combine, FINALFUNC = @extschema@.sii_final, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.sii(value float8, population float8, quantile integer, lower float8, upper float8,
                                 value_type text, transform boolean) (
    SFUNC = @extschema@.sii_trans, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.inequality_combine, FINALFUNC = @extschema@.sii_final, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.sii(value float8, population float8, quantile integer, lower float8, upper float8,
                                 value_type text, transform boolean, confidence float8, multiplier float8) (
    SFUNC = @extschema@.sii_trans, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.inequality_combine, FINALFUNC = @extschema@.sii_final, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.sii(value float8, population float8, quantile integer, lower float8, upper float8,
                                 value_type text, transform boolean, confidence float8, multiplier float8,
                                 repetitions integer, seed bigint) (
    SFUNC = @extschema@.sii_trans, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.inequality_combine, FINALFUNC = @extschema@.sii_final, PARALLEL = SAFE);

CREATE FUNCTION @extschema@.concentration_index_trans(@extschema@.value_list, float8, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'concentration_index_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.concentration_index_trans(@extschema@.value_list, float8, float8, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'concentration_index_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.concentration_index_final(@extschema@.value_list)
RETURNS float8 AS 'MODULE_PATHNAME', 'concentration_index_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE @extschema@.concentration_index(outcome float8, rank float8) (
    SFUNC = @extschema@.concentration_index_trans, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.inequality_combine, FINALFUNC = @extschema@.concentration_index_final,
    PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.concentration_index(outcome float8, rank float8, weight float8) (
    SFUNC = @extschema@.concentration_index_trans, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.inequality_combine, FINALFUNC = @extschema@.concentration_index_final,
    PARALLEL = SAFE);

COMMENT ON FUNCTION @extschema@.sii_trans(@extschema@.value_list, float8, float8, integer, float8, float8) IS 'Transition function of sii(value, population, quantile, lower, upper)';
COMMENT ON FUNCTION @extschema@.sii_trans(@extschema@.value_list, float8, float8, integer, float8, float8, text) IS 'Transition function of sii(..., value_type)';
COMMENT ON FUNCTION @extschema@.sii_trans(@extschema@.value_list, float8, float8, integer, float8, float8, text, boolean) IS 'Transition function of sii(..., value_type, transform)';
COMMENT ON FUNCTION @extschema@.sii_trans(@extschema@.value_list, float8, float8, integer, float8, float8, text, boolean, float8, float8) IS 'Transition function of sii(..., transform, confidence, multiplier)';
COMMENT ON FUNCTION @extschema@.sii_trans(@extschema@.value_list, float8, float8, integer, float8, float8, text, boolean, float8, float8, integer, bigint) IS 'Transition function of sii(..., multiplier, repetitions, seed)';
COMMENT ON FUNCTION @extschema@.inequality_combine(@extschema@.value_list, @extschema@.value_list) IS 'Combine function of sii and concentration_index';
COMMENT ON FUNCTION @extschema@.sii_final(@extschema@.value_list) IS 'Final function of sii: the weighted fit and the seeded simulation of its limits';
COMMENT ON FUNCTION @extschema@.concentration_index_trans(@extschema@.value_list, float8, float8) IS 'Transition function of concentration_index(outcome, rank)';
COMMENT ON FUNCTION @extschema@.concentration_index_trans(@extschema@.value_list, float8, float8, float8) IS 'Transition function of concentration_index(outcome, rank, weight)';
COMMENT ON FUNCTION @extschema@.concentration_index_final(@extschema@.value_list) IS 'Final function of concentration_index';
COMMENT ON AGGREGATE @extschema@.sii(float8, float8, integer, float8, float8) IS 'Slope and relative index of inequality across quantiles (1 = most deprived), as PHEindicatormethods phe_sii; limits simulated with 100,000 seeded draws';
COMMENT ON AGGREGATE @extschema@.sii(float8, float8, integer, float8, float8, text) IS 'SII/RII with value_type ''other'', ''rate'' (log-scale simulation) or ''proportion'' (logit-scale simulation)';
COMMENT ON AGGREGATE @extschema@.sii(float8, float8, integer, float8, float8, text, boolean) IS 'SII/RII, optionally fitted on the log (rates) or logit (proportions) scale';
COMMENT ON AGGREGATE @extschema@.sii(float8, float8, integer, float8, float8, text, boolean, float8, float8) IS 'SII/RII at the given confidence and multiplier (negative multiplier: gap reported with reversed sign, RII inverted)';
COMMENT ON AGGREGATE @extschema@.sii(float8, float8, integer, float8, float8, text, boolean, float8, float8, integer, bigint) IS 'SII/RII with the number of simulation repetitions and the seed that makes the limits reproducible';
COMMENT ON AGGREGATE @extschema@.concentration_index(float8, float8) IS 'Concentration index 2 cov(h, R) / mean(h) with R the fractional rank of rank (ascending; ties share the mid rank)';
COMMENT ON AGGREGATE @extschema@.concentration_index(float8, float8, float8) IS 'Weighted concentration index: fractional ranks and moments weighted by weight';
