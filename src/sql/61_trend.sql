-- src/sql/61_trend.sql
-- Fingertips recent-trend markers as PHEindicatormethods computes them
-- (src/trend.c): aggregates over one series, judged on its last 5 periods.
-- Composite result: select (trend_marker(...)).* for plain columns.

CREATE TYPE @extschema@.trend_result AS (
    marker text,
    reason text,
    slope float8,
    statistic float8,
    points integer
);
COMMENT ON TYPE @extschema@.trend_result IS
'Result of trend_marker: the recent-trend marker and its reason as PHEindicatormethods labels them, the slope and chi-squared statistic of the last 5 periods, and the number of points in the series';

CREATE FUNCTION @extschema@.trend_marker_trans(@extschema@.value_list, integer, float8, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'trend_marker_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.trend_marker_trans(@extschema@.value_list, integer, float8, float8, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'trend_marker_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.trend_marker_trans(@extschema@.value_list, integer, float8, float8, float8, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'trend_marker_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.trend_marker_combine(@extschema@.value_list, @extschema@.value_list)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'trend_marker_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.trend_marker_final(@extschema@.value_list)
RETURNS @extschema@.trend_result AS 'MODULE_PATHNAME', 'trend_marker_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- trend_marker(period, value, lower, upper [, confidence]): aggregates take
-- no defaults, hence one overload per call form.
CREATE AGGREGATE @extschema@.trend_marker(period integer, numerator float8, denominator float8) (
    SFUNC = @extschema@.trend_marker_trans, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.trend_marker_combine, FINALFUNC = @extschema@.trend_marker_final,
    PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.trend_marker(period integer, value float8, lower float8, upper float8) (
    SFUNC = @extschema@.trend_marker_trans, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.trend_marker_combine, FINALFUNC = @extschema@.trend_marker_final,
    PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.trend_marker(period integer, value float8, lower float8, upper float8,
                                          confidence float8) (
    SFUNC = @extschema@.trend_marker_trans, STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.trend_marker_combine, FINALFUNC = @extschema@.trend_marker_final,
    PARALLEL = SAFE);

COMMENT ON FUNCTION @extschema@.trend_marker_trans(@extschema@.value_list, integer, float8, float8) IS 'Transition function of trend_marker(period, numerator, denominator)';
COMMENT ON FUNCTION @extschema@.trend_marker_trans(@extschema@.value_list, integer, float8, float8, float8) IS 'Transition function of trend_marker(period, value, lower, upper)';
COMMENT ON FUNCTION @extschema@.trend_marker_trans(@extschema@.value_list, integer, float8, float8, float8, float8) IS 'Transition function of trend_marker(period, value, lower, upper, confidence)';
COMMENT ON FUNCTION @extschema@.trend_marker_combine(@extschema@.value_list, @extschema@.value_list) IS 'Combine function of trend_marker';
COMMENT ON FUNCTION @extschema@.trend_marker_final(@extschema@.value_list) IS 'Final function of trend_marker: checks the periods for duplicates and tests the latest 5 points';
COMMENT ON AGGREGATE @extschema@.trend_marker(integer, float8, float8) IS 'Fingertips recent-trend marker of a proportion series (numerator, denominator per period), as PHEindicatormethods assign_trend_markers: chi-squared trend test on the last 5 periods, direction from the slope of logit(p)';
COMMENT ON AGGREGATE @extschema@.trend_marker(integer, float8, float8, float8) IS 'Fingertips recent-trend marker of a series of values with 95% limits, as PHEindicatormethods assign_trend_markers: weighted regression on the last 5 periods';
COMMENT ON AGGREGATE @extschema@.trend_marker(integer, float8, float8, float8, float8) IS 'Fingertips recent-trend marker of a series of values with limits at the given confidence (0.9-0.9999 or 90-99.99), as PHEindicatormethods assign_trend_markers';
