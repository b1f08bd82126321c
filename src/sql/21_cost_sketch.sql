-- src/sql/21_cost_sketch.sql
-- Cost sketches (src/cost_sketch.c): the cost_sketch type, the aggregates
-- cost_sketch(cost [, relative_accuracy]) and cost_sketch(cost_sketch)
-- (merge), and the concentration figures read from a sketch, each an
-- estimate with guaranteed lower and upper bounds: top_share, gini,
-- cost_quantile, cost_profile and lorenz_curve.

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
