-- src/sql/20_concentration.sql
-- Cost concentration (src/concentration.c): top_share, gini, cost_profile
-- and lorenz_curve over person-level costs. Every aggregate keeps the
-- group's costs in a value_list (exact, no sampling) and has a combine
-- function, so parallel query and Citus split it; final functions only
-- read the state (FINALFUNC_MODIFY = READ_ONLY), which lets PostgreSQL
-- share one state between gini(cost) and cost_profile(cost).

CREATE TYPE @extschema@.cost_profile AS (
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
    gini float8
);

COMMENT ON TYPE @extschema@.cost_profile IS
'Cost profile of a group of people (result of the cost_profile aggregate): persons, total, mean, median, p90, p99, max (percentiles as percentile_cont), shares of cost held by the costliest 1%, 5% and 20%, population Gini';

-- Support functions (callable from SQL, so each validates its state).

CREATE FUNCTION @extschema@.cost_values_trans(state @extschema@.value_list, cost float8)
RETURNS @extschema@.value_list
AS 'MODULE_PATHNAME', 'cost_values_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.cost_values_trans(@extschema@.value_list, float8) IS
'Transition function of gini(cost) and cost_profile(cost): appends a non-negative finite cost to the state; NULL costs are skipped';

CREATE FUNCTION @extschema@.top_share_trans(state @extschema@.value_list, cost float8, fraction float8)
RETURNS @extschema@.value_list
AS 'MODULE_PATHNAME', 'top_share_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.top_share_trans(@extschema@.value_list, float8, float8) IS
'Transition function of top_share: appends a cost; the fraction (0 < fraction <= 1) is kept as the state''s parameter and must not change within a group';

CREATE FUNCTION @extschema@.gini_trans(state @extschema@.value_list, cost float8, sample_correction boolean)
RETURNS @extschema@.value_list
AS 'MODULE_PATHNAME', 'gini_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.gini_trans(@extschema@.value_list, float8, boolean) IS
'Transition function of gini(cost, sample_correction): appends a cost; the correction flag is kept as the state''s parameter and must not change within a group';

CREATE FUNCTION @extschema@.concentration_combine(@extschema@.value_list, @extschema@.value_list)
RETURNS @extschema@.value_list
AS 'MODULE_PATHNAME', 'concentration_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.concentration_combine(@extschema@.value_list, @extschema@.value_list) IS
'Combine function of top_share, gini and cost_profile: the costs of both partial states (which must have the same parameter)';

CREATE FUNCTION @extschema@.top_share_final(@extschema@.value_list)
RETURNS float8
AS 'MODULE_PATHNAME', 'top_share_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.top_share_final(@extschema@.value_list) IS
'Final function of top_share: the share of the total held by the costliest fraction of the state''s costs';

CREATE FUNCTION @extschema@.gini_final(@extschema@.value_list)
RETURNS float8
AS 'MODULE_PATHNAME', 'gini_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.gini_final(@extschema@.value_list) IS
'Final function of gini(cost): the population Gini coefficient of the state''s costs';

CREATE FUNCTION @extschema@.gini_correction_final(@extschema@.value_list)
RETURNS float8
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

CREATE AGGREGATE @extschema@.top_share(cost float8, fraction float8) (
    SFUNC = @extschema@.top_share_trans,
    STYPE = @extschema@.value_list,
    FINALFUNC = @extschema@.top_share_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.concentration_combine,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.top_share(float8, float8) IS
'Share of the group''s total cost held by the costliest fraction of its rows (0 < fraction <= 1, the same in every row), a fractional row counted pro rata; NULL for an empty group or a zero total';

CREATE AGGREGATE @extschema@.gini(cost float8) (
    SFUNC = @extschema@.cost_values_trans,
    STYPE = @extschema@.value_list,
    FINALFUNC = @extschema@.gini_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.concentration_combine,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.gini(float8) IS
'Population Gini coefficient of the group''s costs, sum((2i-n-1) x(i)) / (n^2 mean) over ascending costs; NULL for an empty group or a zero total';

CREATE AGGREGATE @extschema@.gini(cost float8, sample_correction boolean) (
    SFUNC = @extschema@.gini_trans,
    STYPE = @extschema@.value_list,
    FINALFUNC = @extschema@.gini_correction_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.concentration_combine,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.gini(float8, boolean) IS
'Gini coefficient of the group''s costs, multiplied by n/(n-1) when sample_correction is true (then NULL for one person); call it positionally, gini(cost, true)';

CREATE AGGREGATE @extschema@.cost_profile(cost float8) (
    SFUNC = @extschema@.cost_values_trans,
    STYPE = @extschema@.value_list,
    FINALFUNC = @extschema@.cost_profile_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.concentration_combine,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.cost_profile(float8) IS
'Full cost profile of the group in one pass: persons, total, mean, median, p90, p99, max, top 1%/5%/20% shares, Gini; expand with SELECT (p).* FROM (SELECT cost_profile(cost) AS p ...) s';

CREATE FUNCTION @extschema@.lorenz_curve(costs float8[], points integer DEFAULT 10)
RETURNS TABLE (population_share float8, cost_share float8)
AS 'MODULE_PATHNAME', 'lorenz_curve'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
ROWS 11;

COMMENT ON FUNCTION @extschema@.lorenz_curve(float8[], integer) IS
'Lorenz curve of the costs for charting: points+1 rows (0,0), (1/points, L), ..., (1,1), people ascending by cost; no rows when there is no cost to share';

-- Stored states (1.1): value_list_agg returns the state of the costs itself
-- (a value_list of width 1 without parameters, the costs in ascending
-- order), to keep in a table or materialised view and merge later with
-- value_list_agg(value_list); the finals below read such a state and give
-- the bits the aggregates give for the same costs.

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
