-- test/bench/20_rollups.sql -- the stored-state route of README "Rollups
-- from stored states" against recomputing from the person rows, single
-- node: 3M people in ~1,000 practices x 7 segments; a table of states per
-- practice x segment (value_list_agg(cost), what a materialised view would
-- hold: 6,979 states of about 430 costs), then gini, top_share and
-- cost_profile by segment, for everyone, and GROUP BY ROLLUP (segment).
-- Each ratio is from-states / from-rows (below 1: the states are faster),
-- best of 3 runs taking turns (lib.sql). Also: building the states against
-- the same aggregates per practice x segment, and the size of a state per
-- cost stored and as text.
\set ON_ERROR_STOP 1
SET max_parallel_workers_per_gather = 2;

-- heavy-tailed, deterministic person costs as in 20_concentration.sql
CREATE UNLOGGED TABLE roll_people AS
SELECT i AS person_id, i % 997 AS practice,
       (ARRAY['Healthy well', 'Maternity', 'Long-term conditions', 'Disability', 'Cancer',
              'Frailty and dementia', 'End of life'])[1 + (hashint4(i) & 2147483647) % 7] AS segment,
       CASE WHEN i % 5 = 0 THEN 0
            ELSE round((50 * (1 - ((i * 0.6180339887498949::float8)
                                   - floor(i * 0.6180339887498949::float8))) ^ (-1 / 1.3::float8))::numeric, 2)::float8
       END AS cost
FROM generate_series(1, 3000000) i;
VACUUM ANALYZE roll_people;

CREATE UNLOGGED TABLE roll_states AS
SELECT practice, segment, value_list_agg(cost) AS costs FROM roll_people GROUP BY practice, segment;
VACUUM ANALYZE roll_states;

SELECT count(*) AS states, round(avg(v.n)) AS costs_per_state,
       round(pg_total_relation_size('roll_states')::numeric / sum(v.n), 2) AS stored_bytes_per_cost,
       round(sum(length(costs::text))::numeric / sum(v.n), 2) AS text_bytes_per_cost
FROM roll_states, LATERAL (SELECT (cost_profile(costs)).persons AS n) v;

-- the routes give the same numbers (README; test/rollups.sql proves it)
SELECT count(*) AS groups, count(*) FILTER (WHERE r.p = s.p) AS equal
FROM (SELECT segment, cost_profile(cost)::text AS p FROM roll_people GROUP BY ROLLUP (segment)) r
JOIN (SELECT segment, cost_profile(v)::text AS p
      FROM (SELECT segment, value_list_agg(costs) AS v FROM roll_states GROUP BY ROLLUP (segment)) x) s
  ON r.segment IS NOT DISTINCT FROM s.segment;

SELECT * FROM bench_compare(
    'by segment, from the states',
    $q$ SELECT segment, gini(s) AS g, top_share(s, 0.2) AS t, cost_profile(s) AS p
        FROM (SELECT segment, value_list_agg(costs) AS s FROM roll_states GROUP BY segment) r $q$,
    'by segment, from the rows',
    $q$ SELECT segment, gini(cost) AS g, top_share(cost, 0.2) AS t, cost_profile(cost) AS p
        FROM roll_people GROUP BY segment $q$)
UNION ALL
SELECT * FROM bench_compare(
    'everyone, from the states',
    $q$ SELECT gini(s) AS g, top_share(s, 0.2) AS t, cost_profile(s) AS p
        FROM (SELECT value_list_agg(costs) AS s FROM roll_states) r $q$,
    'everyone, from the rows',
    $q$ SELECT gini(cost) AS g, top_share(cost, 0.2) AS t, cost_profile(cost) AS p FROM roll_people $q$)
UNION ALL
SELECT * FROM bench_compare(
    'ROLLUP (segment), from the states',
    $q$ SELECT segment, gini(s) AS g, top_share(s, 0.2) AS t, cost_profile(s) AS p
        FROM (SELECT segment, value_list_agg(costs) AS s FROM roll_states GROUP BY ROLLUP (segment)) r $q$,
    'ROLLUP (segment), from the rows',
    $q$ SELECT segment, gini(cost) AS g, top_share(cost, 0.2) AS t, cost_profile(cost) AS p
        FROM roll_people GROUP BY ROLLUP (segment) $q$)
UNION ALL
SELECT * FROM bench_compare(
    'build: value_list_agg per practice x segment',
    $q$ SELECT practice, segment, value_list_agg(cost) AS s FROM roll_people GROUP BY practice, segment $q$,
    'the aggregates per practice x segment',
    $q$ SELECT practice, segment, gini(cost) AS g, top_share(cost, 0.2) AS t, cost_profile(cost) AS p
        FROM roll_people GROUP BY practice, segment $q$);

DROP TABLE roll_states, roll_people;
