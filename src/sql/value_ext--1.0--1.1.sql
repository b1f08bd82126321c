-- src/sql/value_ext--1.0--1.1.sql: ALTER EXTENSION value_ext UPDATE from 1.0 to 1.1
\echo Use "ALTER EXTENSION value_ext UPDATE TO '1.1'" to load this file. \quit

-- One naming scheme for the aggregates' support functions (_trans, _combine,
-- _final; 1.0 also had _transfn, _combinefn, _finalfn), and C symbols equal
-- to the SQL names. A rename keeps each function's OID, so the aggregates,
-- comments, privileges and anything a user built on them stay attached;
-- CREATE OR REPLACE then points the function at its new C symbol with the
-- definition a fresh 1.1 install has (the upgrade test compares the two).
-- The 1.0 symbols stay in the library (src/compat_1_0.c) for databases
-- still at 1.0.

ALTER FUNCTION @extschema@.concentration_index_finalfn(@extschema@.value_list) RENAME TO concentration_index_final;
CREATE OR REPLACE FUNCTION @extschema@.concentration_index_final(@extschema@.value_list)
RETURNS float8 AS 'MODULE_PATHNAME', 'concentration_index_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.concentration_index_transfn(@extschema@.value_list, float8, float8) RENAME TO concentration_index_trans;
CREATE OR REPLACE FUNCTION @extschema@.concentration_index_trans(@extschema@.value_list, float8, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'concentration_index_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.concentration_index_transfn(@extschema@.value_list, float8, float8, float8) RENAME TO concentration_index_trans;
CREATE OR REPLACE FUNCTION @extschema@.concentration_index_trans(@extschema@.value_list, float8, float8, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'concentration_index_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.count_ratio_combinefn(float8[], float8[]) RENAME TO count_ratio_combine;
CREATE OR REPLACE FUNCTION @extschema@.count_ratio_combine(float8[], float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'count_ratio_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION @extschema@.crude_rate_finalfn(float8[]) RENAME TO crude_rate_final;
CREATE OR REPLACE FUNCTION @extschema@.crude_rate_final(float8[])
RETURNS @extschema@.rate_interval AS 'MODULE_PATHNAME', 'crude_rate_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION @extschema@.crude_rate_transfn(float8[], float8, float8) RENAME TO crude_rate_trans;
CREATE OR REPLACE FUNCTION @extschema@.crude_rate_trans(float8[], float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'crude_rate_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.crude_rate_transfn(float8[], float8, float8, float8) RENAME TO crude_rate_trans;
CREATE OR REPLACE FUNCTION @extschema@.crude_rate_trans(float8[], float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'crude_rate_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.crude_rate_transfn(float8[], float8, float8, float8, float8) RENAME TO crude_rate_trans;
CREATE OR REPLACE FUNCTION @extschema@.crude_rate_trans(float8[], float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'crude_rate_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.dsr_combinefn(float8[], float8[]) RENAME TO dsr_combine;
CREATE OR REPLACE FUNCTION @extschema@.dsr_combine(float8[], float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'dsr_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION @extschema@.dsr_finalfn(float8[]) RENAME TO dsr_final;
CREATE OR REPLACE FUNCTION @extschema@.dsr_final(float8[])
RETURNS @extschema@.dsr_result AS 'MODULE_PATHNAME', 'dsr_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION @extschema@.dsr_nonind_combinefn(@extschema@.value_list, @extschema@.value_list) RENAME TO dsr_nonind_combine;
CREATE OR REPLACE FUNCTION @extschema@.dsr_nonind_combine(@extschema@.value_list, @extschema@.value_list)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'dsr_nonind_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.dsr_nonind_finalfn(@extschema@.value_list) RENAME TO dsr_nonind_final;
CREATE OR REPLACE FUNCTION @extschema@.dsr_nonind_final(@extschema@.value_list)
RETURNS @extschema@.dsr_result AS 'MODULE_PATHNAME', 'dsr_nonind_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.dsr_nonind_transfn(@extschema@.value_list, float8, float8, float8, float8, text) RENAME TO dsr_nonind_trans;
CREATE OR REPLACE FUNCTION @extschema@.dsr_nonind_trans(@extschema@.value_list, float8, float8, float8, float8, text)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'dsr_nonind_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.dsr_nonind_transfn(@extschema@.value_list, float8, float8, float8, float8, text, float8) RENAME TO dsr_nonind_trans;
CREATE OR REPLACE FUNCTION @extschema@.dsr_nonind_trans(@extschema@.value_list, float8, float8, float8, float8, text, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'dsr_nonind_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.dsr_nonind_transfn(@extschema@.value_list, float8, float8, float8, float8, text, float8, float8) RENAME TO dsr_nonind_trans;
CREATE OR REPLACE FUNCTION @extschema@.dsr_nonind_trans(@extschema@.value_list, float8, float8, float8, float8, text, float8, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'dsr_nonind_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.dsr_transfn(float8[], float8, float8, float8) RENAME TO dsr_trans;
CREATE OR REPLACE FUNCTION @extschema@.dsr_trans(float8[], float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'dsr_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.dsr_transfn(float8[], float8, float8, float8, float8) RENAME TO dsr_trans;
CREATE OR REPLACE FUNCTION @extschema@.dsr_trans(float8[], float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'dsr_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.dsr_transfn(float8[], float8, float8, float8, float8, float8) RENAME TO dsr_trans;
CREATE OR REPLACE FUNCTION @extschema@.dsr_trans(float8[], float8, float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'dsr_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.inequality_combinefn(@extschema@.value_list, @extschema@.value_list) RENAME TO inequality_combine;
CREATE OR REPLACE FUNCTION @extschema@.inequality_combine(@extschema@.value_list, @extschema@.value_list)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'inequality_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.isr_combinefn(float8[], float8[]) RENAME TO isr_combine;
CREATE OR REPLACE FUNCTION @extschema@.isr_combine(float8[], float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION @extschema@.isr_finalfn(float8[]) RENAME TO isr_final;
CREATE OR REPLACE FUNCTION @extschema@.isr_final(float8[])
RETURNS @extschema@.isr_result AS 'MODULE_PATHNAME', 'isr_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION @extschema@.isr_rate_finalfn(float8[]) RENAME TO isr_rate_final;
CREATE OR REPLACE FUNCTION @extschema@.isr_rate_final(float8[])
RETURNS @extschema@.isr_rate_result AS 'MODULE_PATHNAME', 'isr_rate_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION @extschema@.isr_rate_transfn(float8[], float8, float8, float8, float8) RENAME TO isr_rate_trans;
CREATE OR REPLACE FUNCTION @extschema@.isr_rate_trans(float8[], float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_rate_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.isr_rate_transfn(float8[], float8, float8, float8, float8, float8) RENAME TO isr_rate_trans;
CREATE OR REPLACE FUNCTION @extschema@.isr_rate_trans(float8[], float8, float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_rate_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.isr_rate_transfn(float8[], float8, float8, float8, float8, float8, float8) RENAME TO isr_rate_trans;
CREATE OR REPLACE FUNCTION @extschema@.isr_rate_trans(float8[], float8, float8, float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_rate_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.isr_transfn(float8[], float8, float8, float8, float8) RENAME TO isr_trans;
CREATE OR REPLACE FUNCTION @extschema@.isr_trans(float8[], float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.isr_transfn(float8[], float8, float8, float8, float8, float8) RENAME TO isr_trans;
CREATE OR REPLACE FUNCTION @extschema@.isr_trans(float8[], float8, float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.isr_transfn(float8[], float8, float8, float8, float8, float8, float8) RENAME TO isr_trans;
CREATE OR REPLACE FUNCTION @extschema@.isr_trans(float8[], float8, float8, float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'isr_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.life_expectancy_combinefn(float8[], float8[]) RENAME TO life_expectancy_combine;
CREATE OR REPLACE FUNCTION @extschema@.life_expectancy_combine(float8[], float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'life_expectancy_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION @extschema@.life_expectancy_finalfn(float8[]) RENAME TO life_expectancy_final;
CREATE OR REPLACE FUNCTION @extschema@.life_expectancy_final(float8[])
RETURNS @extschema@.life_expectancy_result AS 'MODULE_PATHNAME', 'life_expectancy_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION @extschema@.life_expectancy_transfn(float8[], float8, float8, integer) RENAME TO life_expectancy_trans;
CREATE OR REPLACE FUNCTION @extschema@.life_expectancy_trans(float8[], float8, float8, integer)
RETURNS float8[] AS 'MODULE_PATHNAME', 'life_expectancy_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.life_expectancy_transfn(float8[], float8, float8, integer, float8) RENAME TO life_expectancy_trans;
CREATE OR REPLACE FUNCTION @extschema@.life_expectancy_trans(float8[], float8, float8, integer, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'life_expectancy_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.life_expectancy_transfn(float8[], float8, float8, integer, float8, integer) RENAME TO life_expectancy_trans;
CREATE OR REPLACE FUNCTION @extschema@.life_expectancy_trans(float8[], float8, float8, integer, float8, integer)
RETURNS float8[] AS 'MODULE_PATHNAME', 'life_expectancy_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.mean_ci_combinefn(float8[], float8[]) RENAME TO mean_ci_combine;
CREATE OR REPLACE FUNCTION @extschema@.mean_ci_combine(float8[], float8[])
RETURNS float8[] AS 'MODULE_PATHNAME', 'mean_ci_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION @extschema@.mean_ci_finalfn(float8[]) RENAME TO mean_ci_final;
CREATE OR REPLACE FUNCTION @extschema@.mean_ci_final(float8[])
RETURNS @extschema@.mean_interval AS 'MODULE_PATHNAME', 'mean_ci_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION @extschema@.mean_ci_transfn(float8[], float8) RENAME TO mean_ci_trans;
CREATE OR REPLACE FUNCTION @extschema@.mean_ci_trans(float8[], float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'mean_ci_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.mean_ci_transfn(float8[], float8, float8) RENAME TO mean_ci_trans;
CREATE OR REPLACE FUNCTION @extschema@.mean_ci_trans(float8[], float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'mean_ci_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.proportion_finalfn(float8[]) RENAME TO proportion_final;
CREATE OR REPLACE FUNCTION @extschema@.proportion_final(float8[])
RETURNS @extschema@.proportion_interval AS 'MODULE_PATHNAME', 'proportion_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION @extschema@.proportion_transfn(float8[], float8, float8) RENAME TO proportion_trans;
CREATE OR REPLACE FUNCTION @extschema@.proportion_trans(float8[], float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'proportion_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.proportion_transfn(float8[], float8, float8, float8) RENAME TO proportion_trans;
CREATE OR REPLACE FUNCTION @extschema@.proportion_trans(float8[], float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'proportion_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.proportion_transfn(float8[], float8, float8, float8, float8) RENAME TO proportion_trans;
CREATE OR REPLACE FUNCTION @extschema@.proportion_trans(float8[], float8, float8, float8, float8)
RETURNS float8[] AS 'MODULE_PATHNAME', 'proportion_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.sii_finalfn(@extschema@.value_list) RENAME TO sii_final;
CREATE OR REPLACE FUNCTION @extschema@.sii_final(@extschema@.value_list)
RETURNS @extschema@.sii_result AS 'MODULE_PATHNAME', 'sii_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.sii_transfn(@extschema@.value_list, float8, float8, integer, float8, float8) RENAME TO sii_trans;
CREATE OR REPLACE FUNCTION @extschema@.sii_trans(@extschema@.value_list, float8, float8, integer, float8, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'sii_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.sii_transfn(@extschema@.value_list, float8, float8, integer, float8, float8, text) RENAME TO sii_trans;
CREATE OR REPLACE FUNCTION @extschema@.sii_trans(@extschema@.value_list, float8, float8, integer, float8, float8, text)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'sii_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.sii_transfn(@extschema@.value_list, float8, float8, integer, float8, float8, text, boolean) RENAME TO sii_trans;
CREATE OR REPLACE FUNCTION @extschema@.sii_trans(@extschema@.value_list, float8, float8, integer, float8, float8, text, boolean)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'sii_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.sii_transfn(@extschema@.value_list, float8, float8, integer, float8, float8, text, boolean,
                                        float8, float8) RENAME TO sii_trans;
CREATE OR REPLACE FUNCTION @extschema@.sii_trans(@extschema@.value_list, float8, float8, integer, float8, float8, text, boolean,
                                        float8, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'sii_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
ALTER FUNCTION @extschema@.sii_transfn(@extschema@.value_list, float8, float8, integer, float8, float8, text, boolean,
                                        float8, float8, integer, bigint) RENAME TO sii_trans;
CREATE OR REPLACE FUNCTION @extschema@.sii_trans(@extschema@.value_list, float8, float8, integer, float8, float8, text, boolean,
                                        float8, float8, integer, bigint)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'sii_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.imd_decile(rank integer, areas integer DEFAULT 32844)
RETURNS integer
AS 'MODULE_PATHNAME', 'imd_decile'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.imd_quintile(rank integer, areas integer DEFAULT 32844)
RETURNS integer
AS 'MODULE_PATHNAME', 'imd_quintile'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.imd_rank(lsoa_code text, edition integer DEFAULT 2019)
RETURNS integer
AS 'MODULE_PATHNAME', 'imd_rank'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.imd_score(lsoa_code text, edition integer DEFAULT 2019)
RETURNS float8
AS 'MODULE_PATHNAME', 'imd_score'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

-- 61_trend (new in 1.1): trend_result and the trend_marker aggregates, as
-- src/sql/61_trend.sql creates them.

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
-- New in 1.1: SPC charts (src/sql/60_spc.sql)
CREATE TYPE @extschema@.spc_chart;

CREATE FUNCTION @extschema@.spc_chart_in(cstring)
RETURNS @extschema@.spc_chart AS 'MODULE_PATHNAME', 'spc_chart_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.spc_chart_out(@extschema@.spc_chart)
RETURNS cstring AS 'MODULE_PATHNAME', 'value_list_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.spc_chart_recv(internal)
RETURNS @extschema@.spc_chart AS 'MODULE_PATHNAME', 'spc_chart_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.spc_chart_send(@extschema@.spc_chart)
RETURNS bytea AS 'MODULE_PATHNAME', 'value_list_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.spc_chart (
    INPUT = @extschema@.spc_chart_in,
    OUTPUT = @extschema@.spc_chart_out,
    RECEIVE = @extschema@.spc_chart_recv,
    SEND = @extschema@.spc_chart_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE @extschema@.spc_chart IS
'A series for SPC, the state and result of the spc_chart aggregate: its points (period, value or numerator and denominator, rebase flag), in period order once finished (text form as value_list); read it with spc_points and spc_summary';
COMMENT ON FUNCTION @extschema@.spc_chart_in(cstring) IS
'Input function of spc_chart (the value_list text form, checked)';
COMMENT ON FUNCTION @extschema@.spc_chart_out(@extschema@.spc_chart) IS
'Output function of spc_chart (the value_list text form)';
COMMENT ON FUNCTION @extschema@.spc_chart_recv(internal) IS
'Binary input function of spc_chart (checked as the text input is)';
COMMENT ON FUNCTION @extschema@.spc_chart_send(@extschema@.spc_chart) IS
'Binary output function of spc_chart';

CREATE FUNCTION @extschema@.spc_chart_combine(@extschema@.spc_chart, @extschema@.spc_chart)
RETURNS @extschema@.spc_chart AS 'MODULE_PATHNAME', 'spc_chart_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.spc_chart_final(@extschema@.spc_chart)
RETURNS @extschema@.spc_chart AS 'MODULE_PATHNAME', 'spc_chart_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.spc_chart_combine(@extschema@.spc_chart, @extschema@.spc_chart) IS
'Combine function of spc_chart (appends points; the period kinds must agree)';
COMMENT ON FUNCTION @extschema@.spc_chart_final(@extschema@.spc_chart) IS
'Final function of spc_chart: the points sorted by period (a repeated period is an error)';

CREATE FUNCTION @extschema@.spc_chart_trans(@extschema@.spc_chart, date, float8)
RETURNS @extschema@.spc_chart AS 'MODULE_PATHNAME', 'spc_chart_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.spc_chart_trans(@extschema@.spc_chart, date, float8) IS
'Transition function of spc_chart (date period, value)';
CREATE AGGREGATE @extschema@.spc_chart(period date, value float8) (
    SFUNC = @extschema@.spc_chart_trans, STYPE = @extschema@.spc_chart,
    COMBINEFUNC = @extschema@.spc_chart_combine, FINALFUNC = @extschema@.spc_chart_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.spc_chart(date, float8) IS
'One SPC series of values (XmR chart), dated periods, one row per period (NULL measurements skipped)';

CREATE FUNCTION @extschema@.spc_chart_trans(@extschema@.spc_chart, date, float8, boolean)
RETURNS @extschema@.spc_chart AS 'MODULE_PATHNAME', 'spc_chart_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.spc_chart_trans(@extschema@.spc_chart, date, float8, boolean) IS
'Transition function of spc_chart (date period, value, rebase flag)';
CREATE AGGREGATE @extschema@.spc_chart(period date, value float8, rebase boolean) (
    SFUNC = @extschema@.spc_chart_trans, STYPE = @extschema@.spc_chart,
    COMBINEFUNC = @extschema@.spc_chart_combine, FINALFUNC = @extschema@.spc_chart_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.spc_chart(date, float8, boolean) IS
'One SPC series of values (XmR chart), dated periods, one row per period (NULL measurements skipped); rebase true starts a new segment with its own limits';

CREATE FUNCTION @extschema@.spc_chart_trans(@extschema@.spc_chart, date, float8, float8)
RETURNS @extschema@.spc_chart AS 'MODULE_PATHNAME', 'spc_chart_trans_ratio'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.spc_chart_trans(@extschema@.spc_chart, date, float8, float8) IS
'Transition function of spc_chart (date period, numerator and denominator)';
CREATE AGGREGATE @extschema@.spc_chart(period date, numerator float8, denominator float8) (
    SFUNC = @extschema@.spc_chart_trans, STYPE = @extschema@.spc_chart,
    COMBINEFUNC = @extschema@.spc_chart_combine, FINALFUNC = @extschema@.spc_chart_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.spc_chart(date, float8, float8) IS
'One SPC series of numerators and denominators (Laney p'' or u'' charts, or XmR of their ratio), dated periods, one row per period (NULL measurements skipped)';

CREATE FUNCTION @extschema@.spc_chart_trans(@extschema@.spc_chart, date, float8, float8, boolean)
RETURNS @extschema@.spc_chart AS 'MODULE_PATHNAME', 'spc_chart_trans_ratio'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.spc_chart_trans(@extschema@.spc_chart, date, float8, float8, boolean) IS
'Transition function of spc_chart (date period, numerator and denominator, rebase flag)';
CREATE AGGREGATE @extschema@.spc_chart(period date, numerator float8, denominator float8, rebase boolean) (
    SFUNC = @extschema@.spc_chart_trans, STYPE = @extschema@.spc_chart,
    COMBINEFUNC = @extschema@.spc_chart_combine, FINALFUNC = @extschema@.spc_chart_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.spc_chart(date, float8, float8, boolean) IS
'One SPC series of numerators and denominators (Laney p'' or u'' charts, or XmR of their ratio), dated periods, one row per period (NULL measurements skipped); rebase true starts a new segment with its own limits';

CREATE FUNCTION @extschema@.spc_chart_trans(@extschema@.spc_chart, bigint, float8)
RETURNS @extschema@.spc_chart AS 'MODULE_PATHNAME', 'spc_chart_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.spc_chart_trans(@extschema@.spc_chart, bigint, float8) IS
'Transition function of spc_chart (bigint period, value)';
CREATE AGGREGATE @extschema@.spc_chart(period bigint, value float8) (
    SFUNC = @extschema@.spc_chart_trans, STYPE = @extschema@.spc_chart,
    COMBINEFUNC = @extschema@.spc_chart_combine, FINALFUNC = @extschema@.spc_chart_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.spc_chart(bigint, float8) IS
'One SPC series of values (XmR chart), numbered periods, one row per period (NULL measurements skipped)';

CREATE FUNCTION @extschema@.spc_chart_trans(@extschema@.spc_chart, bigint, float8, boolean)
RETURNS @extschema@.spc_chart AS 'MODULE_PATHNAME', 'spc_chart_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.spc_chart_trans(@extschema@.spc_chart, bigint, float8, boolean) IS
'Transition function of spc_chart (bigint period, value, rebase flag)';
CREATE AGGREGATE @extschema@.spc_chart(period bigint, value float8, rebase boolean) (
    SFUNC = @extschema@.spc_chart_trans, STYPE = @extschema@.spc_chart,
    COMBINEFUNC = @extschema@.spc_chart_combine, FINALFUNC = @extschema@.spc_chart_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.spc_chart(bigint, float8, boolean) IS
'One SPC series of values (XmR chart), numbered periods, one row per period (NULL measurements skipped); rebase true starts a new segment with its own limits';

CREATE FUNCTION @extschema@.spc_chart_trans(@extschema@.spc_chart, bigint, float8, float8)
RETURNS @extschema@.spc_chart AS 'MODULE_PATHNAME', 'spc_chart_trans_ratio'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.spc_chart_trans(@extschema@.spc_chart, bigint, float8, float8) IS
'Transition function of spc_chart (bigint period, numerator and denominator)';
CREATE AGGREGATE @extschema@.spc_chart(period bigint, numerator float8, denominator float8) (
    SFUNC = @extschema@.spc_chart_trans, STYPE = @extschema@.spc_chart,
    COMBINEFUNC = @extschema@.spc_chart_combine, FINALFUNC = @extschema@.spc_chart_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.spc_chart(bigint, float8, float8) IS
'One SPC series of numerators and denominators (Laney p'' or u'' charts, or XmR of their ratio), numbered periods, one row per period (NULL measurements skipped)';

CREATE FUNCTION @extschema@.spc_chart_trans(@extschema@.spc_chart, bigint, float8, float8, boolean)
RETURNS @extschema@.spc_chart AS 'MODULE_PATHNAME', 'spc_chart_trans_ratio'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.spc_chart_trans(@extschema@.spc_chart, bigint, float8, float8, boolean) IS
'Transition function of spc_chart (bigint period, numerator and denominator, rebase flag)';
CREATE AGGREGATE @extschema@.spc_chart(period bigint, numerator float8, denominator float8, rebase boolean) (
    SFUNC = @extschema@.spc_chart_trans, STYPE = @extschema@.spc_chart,
    COMBINEFUNC = @extschema@.spc_chart_combine, FINALFUNC = @extschema@.spc_chart_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.spc_chart(bigint, float8, float8, boolean) IS
'One SPC series of numerators and denominators (Laney p'' or u'' charts, or XmR of their ratio), numbered periods, one row per period (NULL measurements skipped); rebase true starts a new segment with its own limits';

CREATE FUNCTION @extschema@.spc_points(chart @extschema@.spc_chart,
    improvement text DEFAULT 'neutral', target float8 DEFAULT NULL,
    fix_after_n integer DEFAULT NULL, screen_outliers boolean DEFAULT true,
    centre_line text DEFAULT 'mean', chart_type text DEFAULT 'xmr',
    shift_length integer DEFAULT 7, trend_length integer DEFAULT 7)
RETURNS TABLE (point integer, period_date date, period bigint, segment integer,
               value float8, denominator float8, centre float8,
               lower_limit float8, upper_limit float8, lower_near float8, upper_near float8,
               target_line float8, trial_limits boolean, outside_limits boolean, trend boolean,
               two_in_three boolean, shift boolean, rule text, direction smallint,
               point_type text)
AS 'MODULE_PATHNAME', 'spc_points'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 60;
COMMENT ON FUNCTION @extschema@.spc_points(@extschema@.spc_chart, text, float8, integer, boolean, text, text, integer, integer) IS
'One row per point of an SPC chart, in period order: segment, centre, process and near (2 sigma) limits, the rules that fire (outside limits, trend, two in three, shift) and the Making Data Count point type';

CREATE FUNCTION @extschema@.spc_summary(chart @extschema@.spc_chart,
    improvement text DEFAULT 'neutral', target float8 DEFAULT NULL,
    fix_after_n integer DEFAULT NULL, screen_outliers boolean DEFAULT true,
    centre_line text DEFAULT 'mean', chart_type text DEFAULT 'xmr',
    shift_length integer DEFAULT 7, trend_length integer DEFAULT 7,
    OUT points integer, OUT segments integer, OUT period_date date, OUT period bigint,
    OUT value float8, OUT centre float8, OUT lower_limit float8, OUT upper_limit float8,
    OUT trial_limits boolean, OUT rule text, OUT variation text,
    OUT special_cause_points integer, OUT assurance text)
RETURNS record
AS 'MODULE_PATHNAME', 'spc_summary'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.spc_summary(@extschema@.spc_chart, text, float8, integer, boolean, text, text, integer, integer) IS
'The last point of an SPC chart as Making Data Count reports it: its limits, variation (point type) and assurance against a target (consistent_pass, consistent_fail, hit_or_miss, none)';

-- New in 1.1: similar peers (src/sql/62_peer_space.sql)
CREATE TYPE @extschema@.peer_space;

CREATE FUNCTION @extschema@.peer_space_in(cstring)
RETURNS @extschema@.peer_space AS 'MODULE_PATHNAME', 'peer_space_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_space_out(@extschema@.peer_space)
RETURNS cstring AS 'MODULE_PATHNAME', 'peer_space_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_space_recv(internal)
RETURNS @extschema@.peer_space AS 'MODULE_PATHNAME', 'peer_space_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_space_send(@extschema@.peer_space)
RETURNS bytea AS 'MODULE_PATHNAME', 'peer_space_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.peer_space (
    INPUT = @extschema@.peer_space_in,
    OUTPUT = @extschema@.peer_space_out,
    RECEIVE = @extschema@.peer_space_recv,
    SEND = @extschema@.peer_space_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE @extschema@.peer_space IS
'Units to find similar peers among, the state and result of the peer_space aggregate: each unit''s name and features, and the feature weights, in unit name order once finished; read it with nearest_peers';
COMMENT ON FUNCTION @extschema@.peer_space_in(cstring) IS
'Input function of peer_space (version:features:units:weights:"unit",x1,...;..., checked)';
COMMENT ON FUNCTION @extschema@.peer_space_out(@extschema@.peer_space) IS
'Output function of peer_space';
COMMENT ON FUNCTION @extschema@.peer_space_recv(internal) IS
'Binary input function of peer_space (checked as the text input is)';
COMMENT ON FUNCTION @extschema@.peer_space_send(@extschema@.peer_space) IS
'Binary output function of peer_space';

CREATE FUNCTION @extschema@.peer_space_trans(@extschema@.peer_space, text, float8[])
RETURNS @extschema@.peer_space AS 'MODULE_PATHNAME', 'peer_space_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_space_trans(@extschema@.peer_space, text, float8[], float8[])
RETURNS @extschema@.peer_space AS 'MODULE_PATHNAME', 'peer_space_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_space_combine(@extschema@.peer_space, @extschema@.peer_space)
RETURNS @extschema@.peer_space AS 'MODULE_PATHNAME', 'peer_space_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_space_final(@extschema@.peer_space)
RETURNS @extschema@.peer_space AS 'MODULE_PATHNAME', 'peer_space_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.peer_space_trans(@extschema@.peer_space, text, float8[]) IS
'Transition function of peer_space (unit, features; equal weights)';
COMMENT ON FUNCTION @extschema@.peer_space_trans(@extschema@.peer_space, text, float8[], float8[]) IS
'Transition function of peer_space (unit, features, weights)';
COMMENT ON FUNCTION @extschema@.peer_space_combine(@extschema@.peer_space, @extschema@.peer_space) IS
'Combine function of peer_space (appends the units; feature counts and weights must agree)';
COMMENT ON FUNCTION @extschema@.peer_space_final(@extschema@.peer_space) IS
'Final function of peer_space: the units in name order (a repeated unit is an error)';

CREATE AGGREGATE @extschema@.peer_space(unit text, features float8[]) (
    SFUNC = @extschema@.peer_space_trans, STYPE = @extschema@.peer_space,
    COMBINEFUNC = @extschema@.peer_space_combine, FINALFUNC = @extschema@.peer_space_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.peer_space(text, float8[]) IS
'The units to find similar peers among, one row per unit: its name and its features (non-negative, the same number for every unit), equally weighted';
CREATE AGGREGATE @extschema@.peer_space(unit text, features float8[], weights float8[]) (
    SFUNC = @extschema@.peer_space_trans, STYPE = @extschema@.peer_space,
    COMBINEFUNC = @extschema@.peer_space_combine, FINALFUNC = @extschema@.peer_space_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.peer_space(text, float8[], float8[]) IS
'The units to find similar peers among, one row per unit: its name, its features (non-negative, the same number for every unit) and the weight of each feature (the same in every row; NULL for equal weights)';

CREATE FUNCTION @extschema@.nearest_peers(space @extschema@.peer_space, n integer DEFAULT 10)
RETURNS TABLE (unit text, peer text, peer_rank integer, distance float8, tied boolean)
AS 'MODULE_PATHNAME', 'nearest_peers'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10000;
COMMENT ON FUNCTION @extschema@.nearest_peers(@extschema@.peer_space, integer) IS
'Every unit''s n nearest peers (NHS RightCare similar 10 method: features capped at mean + 5 SD, square-rooted, standardised; weighted squared Euclidean distance): all peers ranked n or better, so ties at the n-th distance give more than n (tied marks rows sharing a rank); by unit, distance and peer name';

CREATE FUNCTION @extschema@.nearest_peers(space @extschema@.peer_space, unit text, n integer DEFAULT 10)
RETURNS TABLE (unit text, peer text, peer_rank integer, distance float8, tied boolean)
AS 'MODULE_PATHNAME', 'nearest_peers_unit'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION @extschema@.nearest_peers(@extschema@.peer_space, text, integer) IS
'One unit''s n nearest peers in a peer space (as nearest_peers(space, n)); an unknown unit is an error';

-- New in 1.1: stored states of the concentration family, as
-- src/sql/20_concentration.sql creates them. value_list_agg returns the
-- state of the costs itself (a value_list of width 1 without parameters,
-- the costs in ascending order), to keep in a table or materialised view
-- and merge later with value_list_agg(value_list); the finals below read
-- such a state and give the bits the aggregates give for the same costs.

CREATE FUNCTION @extschema@.value_list_agg_trans(state @extschema@.value_list, cost float8)
RETURNS @extschema@.value_list
AS 'MODULE_PATHNAME', 'value_list_agg_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.value_list_agg_trans(@extschema@.value_list, float8) IS
'Transition function of value_list_agg(cost): appends a non-negative finite cost to the state; NULL costs are skipped';

CREATE FUNCTION @extschema@.value_list_agg_combine(@extschema@.value_list, @extschema@.value_list)
RETURNS @extschema@.value_list
AS 'MODULE_PATHNAME', 'value_list_agg_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.value_list_agg_combine(@extschema@.value_list, @extschema@.value_list) IS
'Combine function of both value_list_agg aggregates and transition function of value_list_agg(value_list): the costs of both cost states (width 1, no parameters); NULL states are skipped';

CREATE FUNCTION @extschema@.value_list_agg_final(@extschema@.value_list)
RETURNS @extschema@.value_list
AS 'MODULE_PATHNAME', 'value_list_agg_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.value_list_agg_final(@extschema@.value_list) IS
'Final function of value_list_agg: a copy of the state with its costs in ascending order';

CREATE AGGREGATE @extschema@.value_list_agg(cost float8) (
    SFUNC = @extschema@.value_list_agg_trans,
    STYPE = @extschema@.value_list,
    FINALFUNC = @extschema@.value_list_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.value_list_agg_combine,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.value_list_agg(float8) IS
'The group''s costs as a stored state (value_list, ascending), for top_share, gini, cost_profile and lorenz_curve over a state and for value_list_agg(value_list); NULL costs skipped, NULL for an empty group';

CREATE AGGREGATE @extschema@.value_list_agg(state @extschema@.value_list) (
    SFUNC = @extschema@.value_list_agg_combine,
    STYPE = @extschema@.value_list,
    FINALFUNC = @extschema@.value_list_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.value_list_agg_combine,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.value_list_agg(@extschema@.value_list) IS
'Merges the group''s stored cost states (from value_list_agg) into one: the state of all their costs, as value_list_agg(cost) over the same rows gives it; NULL states skipped';

CREATE FUNCTION @extschema@.top_share(state @extschema@.value_list, fraction float8)
RETURNS float8
AS 'MODULE_PATHNAME', 'top_share_state'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.top_share(@extschema@.value_list, float8) IS
'top_share over a stored state from value_list_agg: the share of the total held by the costliest fraction of its costs, the bits top_share(cost, fraction) gives for the same costs';

CREATE FUNCTION @extschema@.gini(state @extschema@.value_list)
RETURNS float8
AS 'MODULE_PATHNAME', 'gini_state'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.gini(@extschema@.value_list) IS
'gini over a stored state from value_list_agg: the population Gini coefficient of its costs, as gini(cost) gives it';

CREATE FUNCTION @extschema@.gini(state @extschema@.value_list, sample_correction boolean)
RETURNS float8
AS 'MODULE_PATHNAME', 'gini_state'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.gini(@extschema@.value_list, boolean) IS
'gini over a stored state from value_list_agg, times n/(n-1) when sample_correction is true, as gini(cost, sample_correction) gives it';

CREATE FUNCTION @extschema@.cost_profile(state @extschema@.value_list)
RETURNS @extschema@.cost_profile
AS 'MODULE_PATHNAME', 'cost_profile_state'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.cost_profile(@extschema@.value_list) IS
'cost_profile over a stored state from value_list_agg: the composite cost_profile(cost) gives for the same costs';

CREATE FUNCTION @extschema@.lorenz_curve(state @extschema@.value_list, points integer DEFAULT 10)
RETURNS TABLE (population_share float8, cost_share float8)
AS 'MODULE_PATHNAME', 'lorenz_curve_state'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
ROWS 11;

COMMENT ON FUNCTION @extschema@.lorenz_curve(@extschema@.value_list, integer) IS
'Lorenz curve of a stored state from value_list_agg: the rows lorenz_curve gives for an array of the same costs';
-- New in 1.1: cost sketches (src/sql/21_cost_sketch.sql)
CREATE TYPE @extschema@.cost_sketch;

CREATE FUNCTION @extschema@.cost_sketch_in(cstring)
RETURNS @extschema@.cost_sketch AS 'MODULE_PATHNAME', 'cost_sketch_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cost_sketch_out(@extschema@.cost_sketch)
RETURNS cstring AS 'MODULE_PATHNAME', 'cost_sketch_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cost_sketch_recv(internal)
RETURNS @extschema@.cost_sketch AS 'MODULE_PATHNAME', 'cost_sketch_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cost_sketch_send(@extschema@.cost_sketch)
RETURNS bytea AS 'MODULE_PATHNAME', 'cost_sketch_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.cost_sketch (
    INPUT = @extschema@.cost_sketch_in,
    OUTPUT = @extschema@.cost_sketch_out,
    RECEIVE = @extschema@.cost_sketch_recv,
    SEND = @extschema@.cost_sketch_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE @extschema@.cost_sketch IS
'Person-level costs in logarithmic buckets (relative accuracy alpha: bucket i holds costs in (g^(i-1), g^i], g = (1+alpha)/(1-alpha); zero costs counted apart), each bucket with its count and exact sum: the state and result of the cost_sketch aggregates, read with top_share, gini, cost_quantile, cost_profile and lorenz_curve';
COMMENT ON FUNCTION @extschema@.cost_sketch_in(cstring) IS
'Input function of cost_sketch (1;relative_accuracy;index:count:sum;..., checked)';
COMMENT ON FUNCTION @extschema@.cost_sketch_out(@extschema@.cost_sketch) IS
'Output function of cost_sketch';
COMMENT ON FUNCTION @extschema@.cost_sketch_recv(internal) IS
'Binary input function of cost_sketch (checked as the text input is)';
COMMENT ON FUNCTION @extschema@.cost_sketch_send(@extschema@.cost_sketch) IS
'Binary output function of cost_sketch';

CREATE TYPE @extschema@.sketch_estimate AS (
    estimate float8,
    lower_bound float8,
    upper_bound float8
);
COMMENT ON TYPE @extschema@.sketch_estimate IS
'A figure read from a cost_sketch: the estimate and bounds the exact figure is guaranteed to lie within';

CREATE TYPE @extschema@.cost_sketch_profile AS (
    persons bigint,
    total float8,
    mean float8,
    median float8,
    p90 float8,
    p99 float8,
    max float8,
    top1_share float8,
    top5_share float8,
    top20_share float8,
    gini float8,
    median_lower float8,
    median_upper float8,
    p90_lower float8,
    p90_upper float8,
    p99_lower float8,
    p99_upper float8,
    max_lower float8,
    max_upper float8,
    top1_share_lower float8,
    top1_share_upper float8,
    top5_share_lower float8,
    top5_share_upper float8,
    top20_share_lower float8,
    top20_share_upper float8,
    gini_lower float8,
    gini_upper float8
);
COMMENT ON TYPE @extschema@.cost_sketch_profile IS
'Cost profile read from a cost_sketch: the columns of cost_profile (persons, total and mean exact; the others estimates), then the lower and upper bound of each estimated column';

-- Support functions (callable from SQL, so each validates its state).

CREATE FUNCTION @extschema@.cost_sketch_trans(state @extschema@.cost_sketch, cost float8)
RETURNS @extschema@.cost_sketch AS 'MODULE_PATHNAME', 'cost_sketch_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cost_sketch_trans(@extschema@.cost_sketch, float8) IS
'Transition function of cost_sketch(cost): adds a non-negative finite cost at relative accuracy 0.005; NULL costs are skipped';

CREATE FUNCTION @extschema@.cost_sketch_trans(state @extschema@.cost_sketch, cost float8, relative_accuracy float8)
RETURNS @extschema@.cost_sketch AS 'MODULE_PATHNAME', 'cost_sketch_trans_accuracy'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cost_sketch_trans(@extschema@.cost_sketch, float8, float8) IS
'Transition function of cost_sketch(cost, relative_accuracy): adds a cost; the relative accuracy (0.0001 to 0.5) must not change within a group; rows with a NULL cost or accuracy are skipped';

CREATE FUNCTION @extschema@.cost_sketch_combine(@extschema@.cost_sketch, @extschema@.cost_sketch)
RETURNS @extschema@.cost_sketch AS 'MODULE_PATHNAME', 'cost_sketch_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cost_sketch_combine(@extschema@.cost_sketch, @extschema@.cost_sketch) IS
'Combine function of the cost_sketch aggregates and transition function of cost_sketch(cost_sketch): the buckets of both sketches added (same relative accuracy)';

CREATE FUNCTION @extschema@.cost_sketch_final(@extschema@.cost_sketch)
RETURNS @extschema@.cost_sketch AS 'MODULE_PATHNAME', 'cost_sketch_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cost_sketch_final(@extschema@.cost_sketch) IS
'Final function of the cost_sketch aggregates: the sketch without spare room';

-- The aggregates.

CREATE AGGREGATE @extschema@.cost_sketch(cost float8) (
    SFUNC = @extschema@.cost_sketch_trans,
    STYPE = @extschema@.cost_sketch,
    FINALFUNC = @extschema@.cost_sketch_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.cost_sketch_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cost_sketch(float8) IS
'Sketch of the group''s costs at relative accuracy 0.005 (non-negative, finite; NULL skipped); NULL for an empty group';

CREATE AGGREGATE @extschema@.cost_sketch(cost float8, relative_accuracy float8) (
    SFUNC = @extschema@.cost_sketch_trans,
    STYPE = @extschema@.cost_sketch,
    FINALFUNC = @extschema@.cost_sketch_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.cost_sketch_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cost_sketch(float8, float8) IS
'Sketch of the group''s costs at the given relative accuracy (0.0001 to 0.5, the same in every row); NULL for an empty group';

CREATE AGGREGATE @extschema@.cost_sketch(sketch @extschema@.cost_sketch) (
    SFUNC = @extschema@.cost_sketch_combine,
    STYPE = @extschema@.cost_sketch,
    FINALFUNC = @extschema@.cost_sketch_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.cost_sketch_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cost_sketch(@extschema@.cost_sketch) IS
'Merge of the group''s sketches (all of one relative accuracy; NULL skipped): the same sketch, bit for bit, as one made from all their costs';

-- The figures read from a sketch.

CREATE FUNCTION @extschema@.top_share(sketch @extschema@.cost_sketch, fraction float8)
RETURNS @extschema@.sketch_estimate AS 'MODULE_PATHNAME', 'top_share_sketch'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.top_share(@extschema@.cost_sketch, float8) IS
'Share of the total cost held by the costliest fraction of the sketch''s people (0 < fraction <= 1, a fractional person pro rata, as top_share(cost, fraction)), with bounds; NULL for a zero total';

CREATE FUNCTION @extschema@.gini(sketch @extschema@.cost_sketch)
RETURNS @extschema@.sketch_estimate AS 'MODULE_PATHNAME', 'gini_sketch'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.gini(@extschema@.cost_sketch) IS
'Population Gini coefficient of the sketch''s costs (as gini(cost)), with bounds; NULL for a zero total';

CREATE FUNCTION @extschema@.gini(sketch @extschema@.cost_sketch, sample_correction boolean)
RETURNS @extschema@.sketch_estimate AS 'MODULE_PATHNAME', 'gini_sketch_correction'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.gini(@extschema@.cost_sketch, boolean) IS
'Gini coefficient of the sketch''s costs, times n/(n-1) when sample_correction is true (as gini(cost, sample_correction)), with bounds';

CREATE FUNCTION @extschema@.cost_quantile(sketch @extschema@.cost_sketch, p float8)
RETURNS @extschema@.sketch_estimate AS 'MODULE_PATHNAME', 'cost_quantile'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cost_quantile(@extschema@.cost_sketch, float8) IS
'Quantile p (0 to 1) of the sketch''s costs as percentile_cont defines it, with bounds';

CREATE FUNCTION @extschema@.cost_profile(sketch @extschema@.cost_sketch)
RETURNS @extschema@.cost_sketch_profile AS 'MODULE_PATHNAME', 'cost_profile_sketch'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cost_profile(@extschema@.cost_sketch) IS
'The cost_profile of the sketch''s costs (persons, total, mean exact; percentiles, max, shares and Gini estimated), with the bounds of every estimate';

CREATE FUNCTION @extschema@.lorenz_curve(sketch @extschema@.cost_sketch, points integer DEFAULT 10)
RETURNS TABLE (population_share float8, cost_share float8, cost_share_lower float8, cost_share_upper float8)
AS 'MODULE_PATHNAME', 'lorenz_curve_sketch'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
ROWS 11;
COMMENT ON FUNCTION @extschema@.lorenz_curve(@extschema@.cost_sketch, integer) IS
'Lorenz curve of the sketch''s costs for charting, as lorenz_curve(costs, points): points+1 rows with the estimated cost share and its bounds; no rows when there is no cost to share';
