-- test/bench/citus_states.sql -- run by test/bench/70_citus.sh after
-- test/bench/citus.sql, on the same cz.b (distributed) and lcl.b (one
-- node): the stored-state route of README "Rollups from stored states"
-- against recomputing from the rows, for the concentration family
-- (top_share, gini, cost_profile by segment and in total).
--
--   build:     a materialised view on the coordinator of value_list_agg(cost)
--              per practice x segment, built from cz.b (the inner GROUP BY
--              split across the workers): a one-off cost, paid again at
--              each REFRESH;
--   rollup:    GROUP BY ROLLUP (segment) over the view's states
--              (value_list_agg(value_list), then the finals): no row of the
--              activity is read;
--   recompute: the aggregates over the rows, on Citus per segment UNION ALL
--              the total (Citus refuses GROUP BY ROLLUP), on one node with
--              GROUP BY ROLLUP.
-- Best of 3 each; the view's size per person row is its stored cost.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET jit = off;
SET citus.coordinator_aggregation_strategy = 'disabled';

SELECT clock_timestamp() AS t0 \gset
CREATE MATERIALIZED VIEW lcl.b_states AS
SELECT practice_code, g, value_list_agg(cost) AS s FROM cz.b GROUP BY practice_code, g;
SELECT round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000) AS build_ms,
       (SELECT count(*) FROM lcl.b_states) AS n_states,
       round(pg_total_relation_size('lcl.b_states')::numeric / (SELECT count(*) FROM cz.b), 2) AS bytes_per_row \gset

SET client_min_messages = error;   -- Citus: a pg_temp function stays local
CREATE FUNCTION pg_temp.best_ms(q text, runs integer DEFAULT 3) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    best float8 := 'infinity';
    t0 timestamptz;
BEGIN
    FOR k IN 1 .. runs LOOP
        t0 := clock_timestamp();
        EXECUTE 'SELECT count(r) FROM (' || q || ') r';
        best := least(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
    RETURN best;
END $$;
SET client_min_messages = warning;

CREATE TEMP TABLE states_q (id serial, route text, q text);
INSERT INTO states_q (route, q) VALUES
('rollup from the stored states (coordinator)',
 $q$ SELECT g, top_share(s, 0.2), gini(s), cost_profile(s)
     FROM (SELECT g, value_list_agg(s) AS s FROM lcl.b_states GROUP BY ROLLUP (g)) r $q$),
('recompute from rows on Citus (per segment UNION ALL total)',
 $q$ SELECT g, top_share(cost, 0.2), gini(cost), cost_profile(cost) FROM cz.b GROUP BY g
     UNION ALL
     SELECT NULL, top_share(cost, 0.2), gini(cost), cost_profile(cost) FROM cz.b $q$),
('recompute from rows on one node (GROUP BY ROLLUP)',
 $q$ SELECT g, top_share(cost, 0.2), gini(cost), cost_profile(cost) FROM lcl.b GROUP BY ROLLUP (g) $q$);

-- the route gives the aggregates' results exactly
SELECT count(*) AS differing FROM (
    (SELECT g, top_share(s, 0.2)::text AS t, gini(s)::text AS gi, cost_profile(s)::text AS p
     FROM (SELECT g, value_list_agg(s) AS s FROM lcl.b_states GROUP BY ROLLUP (g)) r
     EXCEPT
     SELECT g, top_share(cost, 0.2)::text, gini(cost)::text, cost_profile(cost)::text FROM lcl.b GROUP BY ROLLUP (g))
) d \gset

\pset footer off
\pset tuples_only off
\pset format aligned
\echo
\echo 'stored-state route (concentration family, 7 segments and the total):' :n_states 'states of practice x segment,' :bytes_per_row 'bytes per person row stored, built in' :build_ms 'ms from the distributed rows;' :differing 'results differ from the direct aggregates'
SELECT route, round(ms) AS ms,
       round((ms / first_value(ms) OVER (ORDER BY id))::numeric, 1) AS ratio_to_rollup_from_states
FROM (SELECT id, route, pg_temp.best_ms(q) AS ms FROM states_q) t
ORDER BY id;
DROP MATERIALIZED VIEW lcl.b_states;
