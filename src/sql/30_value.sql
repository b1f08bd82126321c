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
