-- Cost concentration aggregates split and recombined: forced parallel
-- plans, ROLLUP/CUBE/GROUPING SETS, window use, and partial states shipped
-- as text (the Citus path: output function on a worker, input function,
-- combine and final on the coordinator). All results are functions of the
-- sorted costs, so every split must give identical numbers, bit for bit.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;
SET extra_float_digits = 0;

-- 60,000 people, heavy-tailed deterministic costs (a fifth cost nothing)
CREATE TABLE conc_people AS
SELECT i AS person_id, i % 7 AS segment, i % 13 AS practice,
       CASE WHEN i % 5 = 0 THEN 0
            ELSE round((50 * (1 - ((i * 0.6180339887498949::float8) - floor(i * 0.6180339887498949::float8))) ^ (-1 / 1.3::float8))::numeric, 2)::float8
       END AS cost
FROM generate_series(1, 60000) i;
ALTER TABLE conc_people SET (parallel_workers = 2);
ANALYZE conc_people;

-- every aggregate at three levels; a view so that each run plans afresh
-- (PostgreSQL has no partial aggregation for GROUPING SETS, so the levels
-- are separate GROUP BY queries here; GROUPING SETS are tested below)
CREATE VIEW conc_results AS
SELECT segment, practice, count(cost) AS persons, gini(cost) AS g, gini(cost, true) AS gc,
       top_share(cost, 0.2) AS t20, top_share(cost, 0.01) AS t1, cost_profile(cost)::text AS p
FROM conc_people GROUP BY segment, practice
UNION ALL
SELECT segment, NULL, count(cost), gini(cost), gini(cost, true),
       top_share(cost, 0.2), top_share(cost, 0.01), cost_profile(cost)::text
FROM conc_people GROUP BY segment
UNION ALL
SELECT NULL, NULL, count(cost), gini(cost), gini(cost, true),
       top_share(cost, 0.2), top_share(cost, 0.01), cost_profile(cost)::text
FROM conc_people;

SET max_parallel_workers_per_gather = 0;
CREATE TABLE conc_serial AS SELECT * FROM conc_results;

SET max_parallel_workers_per_gather = 2;
SET force_parallel_mode = on;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET enable_hashagg = off;  -- keep the plans below stable
SET enable_parallel_append = off;
EXPLAIN (COSTS OFF) SELECT gini(cost), gini(cost, true), top_share(cost, 0.2), cost_profile(cost) FROM conc_people;
EXPLAIN (COSTS OFF) SELECT * FROM conc_results;
CREATE TABLE conc_parallel AS SELECT * FROM conc_results;
RESET enable_hashagg;
RESET enable_parallel_append;

-- identical: same rows, same bits (text of the composite included)
SELECT (SELECT count(*) FROM conc_serial) AS groups,
       (SELECT count(*) FROM (TABLE conc_serial EXCEPT TABLE conc_parallel) d) AS serial_only,
       (SELECT count(*) FROM (TABLE conc_parallel EXCEPT TABLE conc_serial) d) AS parallel_only;
-- the whole-population row, for the record
SELECT persons, round(g::numeric, 12) AS gini, round(t20::numeric, 12) AS top20
FROM conc_serial WHERE segment IS NULL;
-- ... which plain SQL with window functions reproduces to 1e-12 relative
SELECT abs(s.g - w.g) <= 1e-12 * w.g AS gini_agrees,
       abs(s.t20 - w.t20) <= 1e-12 * w.t20 AS top20_agrees
FROM conc_serial s,
     (SELECT sum((2 * rn - n - 1) * cost) / (max(n) * sum(cost)) AS g,
             (sum(cost) FILTER (WHERE rd <= floor(0.2 * n))
              + (0.2 * max(n) - floor(0.2 * max(n))) * max(cost) FILTER (WHERE rd = floor(0.2 * n) + 1))
             / sum(cost) AS t20
      FROM (SELECT cost, row_number() OVER (ORDER BY cost) AS rn,
                   row_number() OVER (ORDER BY cost DESC) AS rd, count(*) OVER () AS n
            FROM conc_people) x) w
WHERE s.segment IS NULL;

-- ROLLUP and CUBE give what separate GROUP BY queries give
SELECT count(*) AS rollup_rows,
       count(*) FILTER (WHERE r.g IS NOT DISTINCT FROM s.g AND r.t20 IS NOT DISTINCT FROM s.t20
                        AND r.p = s.p) AS equal
FROM (SELECT segment, practice, gini(cost) AS g, top_share(cost, 0.2) AS t20, cost_profile(cost)::text AS p
      FROM conc_people GROUP BY ROLLUP (segment, practice)) r
JOIN (SELECT segment, practice, gini(cost) AS g, top_share(cost, 0.2) AS t20, cost_profile(cost)::text AS p
      FROM conc_people GROUP BY segment, practice
      UNION ALL
      SELECT segment, NULL, gini(cost), top_share(cost, 0.2), cost_profile(cost)::text
      FROM conc_people GROUP BY segment
      UNION ALL
      SELECT NULL, NULL, gini(cost), top_share(cost, 0.2), cost_profile(cost)::text
      FROM conc_people) s
  ON r.segment IS NOT DISTINCT FROM s.segment AND r.practice IS NOT DISTINCT FROM s.practice;
SELECT count(*) AS cube_rows,
       count(*) FILTER (WHERE c.g = s.g) AS equal
FROM (SELECT practice, gini(cost) AS g FROM conc_people GROUP BY CUBE (segment, practice)
      HAVING GROUPING(segment) = 1 AND GROUPING(practice) = 0) c
JOIN (SELECT practice, gini(cost) AS g FROM conc_people GROUP BY practice) s USING (practice);

-- window use: per-partition values equal the grouped ones on every row
SELECT count(*) AS rows,
       count(*) FILTER (WHERE w.g = s.g AND w.t20 = s.t20 AND w.p = s.p) AS equal
FROM (SELECT segment, gini(cost) OVER w AS g, top_share(cost, 0.2) OVER w AS t20,
             cost_profile(cost) OVER w::text AS p
      FROM conc_people WINDOW w AS (PARTITION BY segment)) w
JOIN (SELECT segment, gini(cost) AS g, top_share(cost, 0.2) AS t20, cost_profile(cost)::text AS p
      FROM conc_people GROUP BY segment) s USING (segment);
-- a growing frame calls the final function again after more rows arrive:
-- it must not have disturbed the state (it sorts a copy)
CREATE TABLE conc_first AS SELECT * FROM conc_people WHERE person_id <= 300;
SELECT count(*) AS rows,
       count(*) FILTER (WHERE r.g IS NOT DISTINCT FROM
           (SELECT gini(c.cost) FROM conc_first c WHERE c.person_id <= r.person_id)
           AND r.t IS NOT DISTINCT FROM
           (SELECT top_share(c.cost, 0.1) FROM conc_first c WHERE c.person_id <= r.person_id)) AS equal
FROM (SELECT person_id, gini(cost) OVER w AS g, top_share(cost, 0.1) OVER w AS t
      FROM conc_first WINDOW w AS (ORDER BY person_id)) r;
-- a sliding frame (no inverse transition: each frame is aggregated afresh);
-- row 5's frame {219.79, 81.74, 0}, T = 301.53: Gini = (2*219.79)/(3*301.53)
-- = 0.485944, top 50%: k = 1.5 -> (219.79 + 0.5*81.74)/301.53 = 0.864458
SELECT i, round(gini(c) OVER w::numeric, 6) AS gini, round(top_share(c, 0.5) OVER w::numeric, 6) AS top50
FROM (VALUES (1, 104.83::float8), (2, 61.51), (3, 219.79), (4, 81.74), (5, 0), (6, 128.96)) v(i, c)
WINDOW w AS (ORDER BY i ROWS BETWEEN 2 PRECEDING AND CURRENT ROW);
-- named notation works only in window use (PostgreSQL rejects it in aggregates)
SELECT DISTINCT gini(cost, sample_correction => true) OVER () = (SELECT gc FROM conc_serial WHERE segment IS NULL)
FROM conc_people;

-- (cost_profile(cost)).* is written as one aggregate call per column (see
-- EXPLAIN VERBOSE), but PostgreSQL 15 merges identical aggregate calls, so
-- the costs are collected and finished once. The subquery form makes that
-- explicit; both plans have a single Aggregate node.
RESET force_parallel_mode;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (VERBOSE, COSTS OFF) SELECT (cost_profile(cost)).* FROM conc_people;
EXPLAIN (VERBOSE, COSTS OFF) SELECT (p).* FROM (SELECT cost_profile(cost) AS p FROM conc_people) s;
-- counting final-function calls with a stand-in aggregate of the same
-- shape (composite result; its final function bumps a sequence)
CREATE SEQUENCE conc_final_calls;
CREATE TYPE conc_pair AS (n bigint, total float8);
CREATE FUNCTION conc_pair_final(value_list) RETURNS conc_pair LANGUAGE sql AS
$$ SELECT nextval('conc_final_calls'), (cost_profile_final($1)).total $$;
CREATE AGGREGATE conc_pair_agg(float8) (SFUNC = cost_values_trans, STYPE = value_list,
    FINALFUNC = conc_pair_final);
SELECT (conc_pair_agg(cost)).* FROM conc_people WHERE person_id <= 10;
SELECT (conc_pair_agg(cost)).*, (conc_pair_agg(cost)).n AS n_again FROM conc_people WHERE person_id <= 10;
SELECT nextval('conc_final_calls') - 1 AS final_calls_in_two_queries;
RESET max_parallel_workers_per_gather;

-- partial states through text: per-practice states printed, read back,
-- combined and finished give the whole-population answers
CREATE AGGREGATE conc_cost_state(float8) (SFUNC = cost_values_trans, STYPE = value_list);
CREATE AGGREGATE conc_top_state(float8, float8) (SFUNC = top_share_trans, STYPE = value_list);
CREATE AGGREGATE conc_gini_state(float8, boolean) (SFUNC = gini_trans, STYPE = value_list);
CREATE AGGREGATE conc_merge(value_list) (SFUNC = concentration_combine, STYPE = value_list);
CREATE TABLE conc_shipped AS
SELECT practice, conc_cost_state(cost)::text AS cost_state,
       conc_top_state(cost, 0.2)::text AS top_state,
       conc_gini_state(cost, true)::text AS gini_state
FROM conc_people GROUP BY practice;
SELECT gini_final(conc_merge(cost_state::value_list)) = g AS gini_same,
       cost_profile_final(conc_merge(cost_state::value_list))::text = p AS profile_same,
       top_share_final(conc_merge(top_state::value_list)) = t20 AS top_share_same,
       gini_correction_final(conc_merge(gini_state::value_list)) = gc AS corrected_same
FROM conc_shipped, conc_serial WHERE conc_serial.segment IS NULL
GROUP BY g, p, t20, gc;
-- a state's text is exact: out -> in -> out is the identity
SELECT count(*) FILTER (WHERE cost_state::value_list::text = cost_state) AS texts_equal
FROM conc_shipped;
-- the state holds about 8 bytes per cost (capacity grows by half again)
SELECT persons, pg_column_size(s) >= 8 * persons AS at_least_8_bytes,
       pg_column_size(s) <= 12 * persons + 1024 AS at_most_12_bytes
FROM (SELECT count(*) AS persons, conc_cost_state(cost) AS s FROM conc_people) t;
-- combine keeps its inputs: the right one is never returned or changed
SELECT concentration_combine(a, b)::text AS ab, a::text AS a_after, b::text AS b_after,
       concentration_combine(NULL, b)::text AS null_b, concentration_combine(a, NULL)::text AS a_null,
       concentration_combine(NULL, NULL) IS NULL AS both_null
FROM (VALUES ('1:1::2:1,2'::value_list, '1:1::1:3'::value_list)) v(a, b);
-- support functions called directly: transition copies its input
SELECT top_share_trans(top_share_trans(NULL, 4, 0.5), 1, 0.5)::text AS built,
       top_share_final(top_share_trans(top_share_trans(NULL, 4, 0.5), 1, 0.5)) AS share;

-- states of the wrong shape are rejected, never misread
SELECT gini_final('1:2::1:1,2'::value_list);
SELECT gini_final('1:1:0.2:1:1'::value_list);
SELECT top_share_final('1:1::1:1'::value_list);
SELECT top_share_final('1:1:1.5:1:1'::value_list);
SELECT gini_correction_final('1:1:0.5:1:1'::value_list);
SELECT cost_profile_final('1:3::1:1,2,3'::value_list);
SELECT cost_values_trans('1:2::1:1,2'::value_list, 1);
SELECT top_share_trans('1:1::1:1'::value_list, 1, 0.2);
SELECT top_share_trans('1:1:0.1:1:1'::value_list, 1, 0.2);
SELECT gini_trans('1:1::1:1'::value_list, 1, true);
SELECT concentration_combine('1:1::1:1'::value_list, '1:2::1:1,2'::value_list);
SELECT concentration_combine('1:1:0.1:1:1'::value_list, '1:1:0.2:1:2'::value_list);
-- a negative cost smuggled into a state by hand
SELECT gini_final('1:1::3:4,-1,2'::value_list);
-- malformed state text: errors, never a crash (and no huge allocation for
-- a count the text cannot hold)
SELECT gini_final('1:1::3:1,2'::value_list);
SELECT gini_final('1:1::100000000:1'::value_list);
SELECT gini_final('1:1::1:1;'::value_list);
SELECT gini_final('1:1::1:-nan'::value_list);
-- an empty state finishes as NULL
SELECT gini_final('1:1::0:'::value_list), top_share_final('1:1:0.2:0:'::value_list),
       cost_profile_final('1:1::0:'::value_list) IS NULL AS profile_null;

-- large states: past 1,000 values (8 kB) a state becomes an expanded
-- object that grows in place. A growing window frame crosses that size;
-- every frame still equals the aggregate over the same rows.
CREATE TABLE conc_big AS SELECT * FROM conc_people WHERE person_id <= 3000;
SELECT count(*) AS frames_checked,
       count(*) FILTER (WHERE r.g = (SELECT gini(c.cost) FROM conc_big c WHERE c.person_id <= r.person_id)
                          AND r.t = (SELECT top_share(c.cost, 0.1) FROM conc_big c WHERE c.person_id <= r.person_id)
                          AND r.p = (SELECT cost_profile(c.cost)::text FROM conc_big c WHERE c.person_id <= r.person_id)) AS equal
FROM (SELECT person_id, gini(cost) OVER w AS g, top_share(cost, 0.1) OVER w AS t, cost_profile(cost) OVER w::text AS p
      FROM conc_big WINDOW w AS (ORDER BY person_id)) r
WHERE person_id IN (1, 2, 999, 1000, 1001, 1024, 1025, 1536, 2048, 2999, 3000);

-- a sliding frame of 1,201 rows is aggregated afresh for every row, each
-- time past the expanded size: every 199th frame checked against the
-- aggregate over the same rows
SELECT count(*) AS frames_checked,
       count(*) FILTER (WHERE r.g = (SELECT gini(c.cost) FROM conc_big c
                                     WHERE c.person_id BETWEEN r.person_id - 1200 AND r.person_id)
                          AND r.t = (SELECT top_share(c.cost, 0.2) FROM conc_big c
                                     WHERE c.person_id BETWEEN r.person_id - 1200 AND r.person_id)) AS equal
FROM (SELECT person_id, gini(cost) OVER w AS g, top_share(cost, 0.2) OVER w AS t
      FROM conc_big WINDOW w AS (ORDER BY person_id ROWS BETWEEN 1200 PRECEDING AND CURRENT ROW)) r
WHERE person_id % 199 = 0;
-- hashed grouping sets (MixedAggregate) with large states give what sorted
-- grouping sets give
SET max_parallel_workers_per_gather = 0;
SET enable_sort = off;
EXPLAIN (COSTS OFF)
SELECT segment, practice % 2, gini(cost) FROM conc_people GROUP BY GROUPING SETS ((segment), (practice % 2), ());
CREATE TABLE conc_sets_hashed AS
SELECT segment, practice % 2 AS half, gini(cost) AS g, cost_profile(cost)::text AS p
FROM conc_people GROUP BY GROUPING SETS ((segment), (practice % 2), ());
RESET enable_sort;
SET enable_hashagg = off;
CREATE TABLE conc_sets_sorted AS
SELECT segment, practice % 2 AS half, gini(cost) AS g, cost_profile(cost)::text AS p
FROM conc_people GROUP BY GROUPING SETS ((segment), (practice % 2), ());
RESET enable_hashagg;
RESET max_parallel_workers_per_gather;
SELECT count(*) AS sets_rows, count(*) FILTER (WHERE h.g = s.g AND h.p = s.p) AS equal
FROM conc_sets_hashed h JOIN conc_sets_sorted s
  ON h.segment IS NOT DISTINCT FROM s.segment AND h.half IS NOT DISTINCT FROM s.half;

-- hash aggregation with far too little memory spills groups to disk and
-- finishes them in batches; large states and spilled groups alike give the
-- bits that sorted grouping gives (40 groups of 1,500 costs)
CREATE FUNCTION conc_hash_batches(q text) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE plan json;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, FORMAT JSON) ' || q INTO plan;
    RETURN (plan -> 0 -> 'Plan' ->> 'HashAgg Batches')::integer;
END $$;
SET max_parallel_workers_per_gather = 0;
SET work_mem = '64kB';
SET enable_sort = off;
SELECT conc_hash_batches('SELECT person_id % 40, gini(cost), top_share(cost, 0.2) FROM conc_people GROUP BY 1') > 1 AS spilled;
CREATE TABLE conc_hashed AS
SELECT person_id % 40 AS g40, gini(cost) AS g, top_share(cost, 0.2) AS t, cost_profile(cost)::text AS p
FROM conc_people GROUP BY 1;
RESET enable_sort;
SET enable_hashagg = off;
CREATE TABLE conc_sorted AS
SELECT person_id % 40 AS g40, gini(cost) AS g, top_share(cost, 0.2) AS t, cost_profile(cost)::text AS p
FROM conc_people GROUP BY 1;
RESET enable_hashagg;
RESET work_mem;
RESET max_parallel_workers_per_gather;
-- (the 8 groups whose ids are multiples of 5 cost nothing: NULL Gini)
SELECT count(*) AS groups, count(*) FILTER (WHERE h.g IS NULL) AS zero_total,
       count(*) FILTER (WHERE h.g IS NOT DISTINCT FROM s.g AND h.t IS NOT DISTINCT FROM s.t
                        AND h.p = s.p) AS equal
FROM conc_hashed h JOIN conc_sorted s USING (g40);

-- combine returns the costs of both states in ascending order (so final
-- functions need not sort), whatever order its inputs are in; by hand for
-- costs 0,1,2,3,5: T = 11, sum((2i-6) x(i)) = -2 + 6 + 20 = 24, Gini =
-- 24 / (5 * 11) = 0.436364
SELECT concentration_combine('1:1::3:3,1,2'::value_list, '1:1::2:5,0'::value_list)::text AS combined,
       round(gini_final(concentration_combine('1:1::3:3,1,2'::value_list, '1:1::2:5,0'::value_list))::numeric, 6) AS gini,
       abs(gini_final('1:1::5:5,0,3,1,2'::value_list) - 24 / 55::float8) < 1e-15 AS gini_by_hand;

DROP AGGREGATE conc_cost_state(float8), conc_top_state(float8, float8),
    conc_gini_state(float8, boolean), conc_merge(value_list);
DROP AGGREGATE conc_pair_agg(float8);
DROP FUNCTION conc_pair_final(value_list);
DROP TYPE conc_pair;
DROP SEQUENCE conc_final_calls;
DROP VIEW conc_results;
DROP FUNCTION conc_hash_batches(text);
DROP TABLE conc_first, conc_big, conc_hashed, conc_sorted, conc_sets_hashed, conc_sets_sorted, conc_people, conc_serial, conc_parallel, conc_shipped;
