-- src/sql/60_spc.sql
-- Statistical process control charts (src/spc.c, docs/methods.md section 3):
-- the spc_chart aggregate collects a series into an spc_chart (its own state
-- type, a value_list of points; the final function sorts them by period);
-- spc_points and spc_summary apply the Making Data Count rules (XmR) or
-- Laney's p' and u' charts to it.

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
