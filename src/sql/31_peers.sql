-- src/sql/31_peers.sql
-- Peer comparisons (src/peers.c, docs/methods.md section 2): peer_zscore
-- (window function), peer_benchmark (best k of a group) and opportunity.

CREATE FUNCTION @extschema@.peer_zscore(value float8, method text DEFAULT 'standard')
RETURNS float8 AS 'MODULE_PATHNAME', 'peer_zscore'
LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.peer_zscore(float8, text) IS
'Window function: each row''s z-score against the OTHER non-NULL rows of its partition (standard: mean and SD with divisor n-1; robust: median and 1.4826*MAD); NULL for NULL values, fewer than 3 peers or zero peer spread';

CREATE FUNCTION @extschema@.peer_benchmark_trans(@extschema@.value_list, float8)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'peer_benchmark_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_benchmark_trans(@extschema@.value_list, float8, integer)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'peer_benchmark_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_benchmark_trans(@extschema@.value_list, float8, integer, boolean)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'peer_benchmark_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_benchmark_combine(@extschema@.value_list, @extschema@.value_list)
RETURNS @extschema@.value_list AS 'MODULE_PATHNAME', 'peer_benchmark_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.peer_benchmark_final(@extschema@.value_list)
RETURNS float8 AS 'MODULE_PATHNAME', 'peer_benchmark_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE @extschema@.peer_benchmark(value float8) (
    SFUNC = @extschema@.peer_benchmark_trans,
    STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.peer_benchmark_combine,
    FINALFUNC = @extschema@.peer_benchmark_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.peer_benchmark(value float8, best integer) (
    SFUNC = @extschema@.peer_benchmark_trans,
    STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.peer_benchmark_combine,
    FINALFUNC = @extschema@.peer_benchmark_final,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.peer_benchmark(value float8, best integer, higher_is_better boolean) (
    SFUNC = @extschema@.peer_benchmark_trans,
    STYPE = @extschema@.value_list,
    COMBINEFUNC = @extschema@.peer_benchmark_combine,
    FINALFUNC = @extschema@.peer_benchmark_final,
    PARALLEL = SAFE
);

COMMENT ON FUNCTION @extschema@.peer_benchmark_trans(@extschema@.value_list, float8) IS
'Transition function of peer_benchmark (best 5, lower is better)';
COMMENT ON FUNCTION @extschema@.peer_benchmark_trans(@extschema@.value_list, float8, integer) IS
'Transition function of peer_benchmark (best k, lower is better)';
COMMENT ON FUNCTION @extschema@.peer_benchmark_trans(@extschema@.value_list, float8, integer, boolean) IS
'Transition function of peer_benchmark (best k, direction)';
COMMENT ON FUNCTION @extschema@.peer_benchmark_combine(@extschema@.value_list, @extschema@.value_list) IS
'Combine function of peer_benchmark (appends the values; best and direction must agree)';
COMMENT ON FUNCTION @extschema@.peer_benchmark_final(@extschema@.value_list) IS
'Final function of peer_benchmark: mean of the best k values, NULL when fewer than k';
COMMENT ON AGGREGATE @extschema@.peer_benchmark(float8) IS
'Benchmark: mean of the 5 lowest values of the group (RightCare best 5 of similar 10); NULL when fewer than 5 values';
COMMENT ON AGGREGATE @extschema@.peer_benchmark(float8, integer) IS
'Benchmark: mean of the best (lowest) k values of the group; NULL when fewer than k values';
COMMENT ON AGGREGATE @extschema@.peer_benchmark(float8, integer, boolean) IS
'Benchmark: mean of the best k values (highest when higher_is_better); NULL when fewer than k values';

CREATE FUNCTION @extschema@.opportunity(own float8, benchmark float8, population float8,
                                        higher_is_better boolean DEFAULT false,
                                        per float8 DEFAULT 1)
RETURNS float8 AS 'MODULE_PATHNAME', 'opportunity'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.opportunity(float8, float8, float8, boolean, float8) IS
'Opportunity: max(0, gap to the benchmark) * population / per, gap = own - benchmark (or benchmark - own when higher is better)';
