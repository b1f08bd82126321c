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
