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
CREATE FUNCTION @extschema@.proportion_trans(float8[], float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'proportion_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.proportion_trans(float8[], float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'proportion_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.proportion_trans(float8[], float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'proportion_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.crude_rate_trans(float8[], float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'crude_rate_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.crude_rate_trans(float8[], float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'crude_rate_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.crude_rate_trans(float8[], float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'crude_rate_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.count_ratio_combine(float8[], float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'count_ratio_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.proportion_final(float8[])
RETURNS @extschema@.proportion_interval AS 'MODULE_PATHNAME', 'proportion_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.crude_rate_final(float8[])
RETURNS @extschema@.rate_interval AS 'MODULE_PATHNAME', 'crude_rate_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE @extschema@.proportion(x float8, n float8) (
    SFUNC = @extschema@.proportion_trans, STYPE = float8[],
    INITCOND = '{0,0,0,0,0}', COMBINEFUNC = @extschema@.count_ratio_combine,
    FINALFUNC = @extschema@.proportion_final, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.proportion(x float8, n float8, confidence float8) (
    SFUNC = @extschema@.proportion_trans, STYPE = float8[],
    INITCOND = '{0,0,0,0,0}', COMBINEFUNC = @extschema@.count_ratio_combine,
    FINALFUNC = @extschema@.proportion_final, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.proportion(x float8, n float8, confidence float8, multiplier float8) (
    SFUNC = @extschema@.proportion_trans, STYPE = float8[],
    INITCOND = '{0,0,0,0,0}', COMBINEFUNC = @extschema@.count_ratio_combine,
    FINALFUNC = @extschema@.proportion_final, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.crude_rate(x float8, n float8) (
    SFUNC = @extschema@.crude_rate_trans, STYPE = float8[],
    INITCOND = '{0,0,0,0,0}', COMBINEFUNC = @extschema@.count_ratio_combine,
    FINALFUNC = @extschema@.crude_rate_final, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.crude_rate(x float8, n float8, confidence float8) (
    SFUNC = @extschema@.crude_rate_trans, STYPE = float8[],
    INITCOND = '{0,0,0,0,0}', COMBINEFUNC = @extschema@.count_ratio_combine,
    FINALFUNC = @extschema@.crude_rate_final, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.crude_rate(x float8, n float8, confidence float8, multiplier float8) (
    SFUNC = @extschema@.crude_rate_trans, STYPE = float8[],
    INITCOND = '{0,0,0,0,0}', COMBINEFUNC = @extschema@.count_ratio_combine,
    FINALFUNC = @extschema@.crude_rate_final, PARALLEL = SAFE);

-- mean_ci(value [, confidence])
CREATE FUNCTION @extschema@.mean_ci_trans(float8[], float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'mean_ci_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.mean_ci_trans(float8[], float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'mean_ci_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.mean_ci_combine(float8[], float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'mean_ci_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.mean_ci_final(float8[])
RETURNS @extschema@.mean_interval AS 'MODULE_PATHNAME', 'mean_ci_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE @extschema@.mean_ci(value float8) (
    SFUNC = @extschema@.mean_ci_trans, STYPE = float8[],
    INITCOND = '{0,0,0,0}', COMBINEFUNC = @extschema@.mean_ci_combine,
    FINALFUNC = @extschema@.mean_ci_final, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.mean_ci(value float8, confidence float8) (
    SFUNC = @extschema@.mean_ci_trans, STYPE = float8[],
    INITCOND = '{0,0,0,0}', COMBINEFUNC = @extschema@.mean_ci_combine,
    FINALFUNC = @extschema@.mean_ci_final, PARALLEL = SAFE);

COMMENT ON FUNCTION @extschema@.proportion_trans(float8[], float8, float8) IS 'Transition function of proportion(x, n)';
COMMENT ON FUNCTION @extschema@.proportion_trans(float8[], float8, float8, float8) IS 'Transition function of proportion(x, n, confidence)';
COMMENT ON FUNCTION @extschema@.proportion_trans(float8[], float8, float8, float8, float8) IS 'Transition function of proportion(x, n, confidence, multiplier)';
COMMENT ON FUNCTION @extschema@.crude_rate_trans(float8[], float8, float8) IS 'Transition function of crude_rate(x, n)';
COMMENT ON FUNCTION @extschema@.crude_rate_trans(float8[], float8, float8, float8) IS 'Transition function of crude_rate(x, n, confidence)';
COMMENT ON FUNCTION @extschema@.crude_rate_trans(float8[], float8, float8, float8, float8) IS 'Transition function of crude_rate(x, n, confidence, multiplier)';
COMMENT ON FUNCTION @extschema@.count_ratio_combine(float8[], float8[]) IS 'Combine function of proportion and crude_rate';
COMMENT ON FUNCTION @extschema@.proportion_final(float8[]) IS 'Final function of proportion';
COMMENT ON FUNCTION @extschema@.crude_rate_final(float8[]) IS 'Final function of crude_rate';
COMMENT ON FUNCTION @extschema@.mean_ci_trans(float8[], float8) IS 'Transition function of mean_ci(value)';
COMMENT ON FUNCTION @extschema@.mean_ci_trans(float8[], float8, float8) IS 'Transition function of mean_ci(value, confidence)';
COMMENT ON FUNCTION @extschema@.mean_ci_combine(float8[], float8[]) IS 'Combine function of mean_ci (Chan''s pairwise update)';
COMMENT ON FUNCTION @extschema@.mean_ci_final(float8[]) IS 'Final function of mean_ci';
COMMENT ON AGGREGATE @extschema@.proportion(float8, float8) IS 'Proportion sum(x)/sum(n) with Wilson score 95% limits, as phe_proportion on grouped data';
COMMENT ON AGGREGATE @extschema@.proportion(float8, float8, float8) IS 'Proportion sum(x)/sum(n) with Wilson score limits at the given confidence';
COMMENT ON AGGREGATE @extschema@.proportion(float8, float8, float8, float8) IS 'Proportion sum(x)/sum(n) times multiplier with Wilson score limits';
COMMENT ON AGGREGATE @extschema@.crude_rate(float8, float8) IS 'Crude rate per 100,000 of sum(x)/sum(n) with exact/Byar''s 95% limits, as phe_rate on grouped data';
COMMENT ON AGGREGATE @extschema@.crude_rate(float8, float8, float8) IS 'Crude rate per 100,000 with exact/Byar''s limits at the given confidence';
COMMENT ON AGGREGATE @extschema@.crude_rate(float8, float8, float8, float8) IS 'Crude rate sum(x)/sum(n) times multiplier with exact/Byar''s limits';
COMMENT ON AGGREGATE @extschema@.mean_ci(float8) IS 'Mean with Student t 95% limits, as phe_mean';
COMMENT ON AGGREGATE @extschema@.mean_ci(float8, float8) IS 'Mean with Student t limits at the given confidence, as phe_mean';
