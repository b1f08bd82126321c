-- Cost concentration: top_share, gini, cost_profile and lorenz_curve on
-- small cases whose answers are derived by hand in the comments, the
-- percentiles checked against percentile_cont, and every error path.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;
SET extra_float_digits = 0;

CREATE TABLE conc_cases (name text, cost float8);
INSERT INTO conc_cases VALUES
    -- n = 1: Gini 0; top_share(f) = f by interpolation (k = f, m = 0)
    ('one', 5),
    -- n = 2, {1,3}, T = 4: Gini = ((-1)1 + (1)3)/(2*4) = 0.25, corrected 0.5
    ('two', 1), ('two', 3),
    -- ties {2,2,5,5}, T = 14: Gini = (-3*2 - 1*2 + 1*5 + 3*5)/(4*14) = 3/14
    ('ties', 2), ('ties', 5), ('ties', 2), ('ties', 5),
    -- all equal: Gini 0, top_share(f) = f
    ('equal', 3), ('equal', 3), ('equal', 3), ('equal', 3), ('equal', 3),
    -- one big spender among 5: Gini = 4*100/(5*100) = 0.8 = (n-1)/n,
    -- corrected 1; the top 20% (one person) hold everything
    ('big', 0), ('big', 0), ('big', 100), ('big', 0), ('big', 0),
    -- NULL costs are ignored: the same answers as 'two'
    ('nulls', NULL), ('nulls', 3), ('nulls', NULL), ('nulls', 1),
    -- zero total: every share and the Gini are NULL
    ('zero', 0), ('zero', 0),
    -- only NULLs: an empty group
    ('allnull', NULL);

SELECT name, count(cost) AS n, gini(cost), gini(cost, true) AS gini_corrected,
       gini(cost, false) AS gini_uncorrected
FROM conc_cases GROUP BY name ORDER BY name;

-- top_share by hand, k = f n, m = floor(k):
-- two f=0.25: k=0.5 -> 0.5*3/4 = 0.375; f=0.5: k=1 -> 3/4; f=0.75: k=1.5
--   -> (3 + 0.5*1)/4 = 0.875; f=1 -> 1
-- ties f=0.25: k=1 -> 5/14 = 0.357142857142857; f=0.5: 10/14 = 0.714285714285714;
--   f=0.75: k=3 -> 12/14 = 0.857142857142857
-- equal: f; big f=0.25: k=1.25 -> (100 + 0.25*0)/100 = 1
SELECT name, top_share(cost, 0.25) AS top25, top_share(cost, 0.5) AS top50,
       top_share(cost, 0.75) AS top75, top_share(cost, 1) AS top100
FROM conc_cases GROUP BY name ORDER BY name;
-- ties f=0.6: k=2.4 -> (10 + 0.4*2)/14 = 0.771428571428571;
-- big f=0.1: k=0.5 -> 0.5*100/100 = 0.5; one f=0.2 -> 0.2
SELECT top_share(cost, 0.6) FILTER (WHERE name = 'ties') AS ties60,
       top_share(cost, 0.1) FILTER (WHERE name = 'big') AS big10,
       top_share(cost, 0.2) FILTER (WHERE name = 'one') AS one20
FROM conc_cases;

-- cost_profile: one composite per group, expanded through a subquery
SELECT name, (p).*
FROM (SELECT name, cost_profile(cost) AS p FROM conc_cases GROUP BY name) s
ORDER BY name;

-- 1..10: median = 5.5, p90: h = 0.9*9 = 8.1 -> 9 + 0.1 = 9.1,
-- p99: h = 8.91 -> 9.91; mean 5.5; Gini = 2*sum(i*i)/(10*55) - 11/10 = 0.3;
-- top 20% = (10+9)/55; top 5%: k = 0.5 -> 5/55; top 1%: k = 0.1 -> 1/55
SELECT (p).* FROM (SELECT cost_profile(x) AS p FROM generate_series(1, 10) x) s;

-- the percentiles are percentile_cont's, bit for bit, also on awkward data
CREATE TABLE conc_pct AS
SELECT i % 7 AS g, (((i * 7919) % 1009) / 7.0) ^ 2 AS cost
FROM generate_series(1, 3000) i;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE (p).median = pc[1] AND (p).p90 = pc[2]
                        AND (p).p99 = pc[3]) AS equal_to_percentile_cont
FROM (SELECT g, cost_profile(cost) AS p,
             percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY cost) AS pc
      FROM conc_pct GROUP BY ROLLUP (g)) s;

-- gini(cost) and cost_profile(cost) share one transition state: both
-- stay right (the final functions only read it)
SELECT gini(cost) AS gini, (cost_profile(cost)).gini AS profile_gini,
       (cost_profile(cost)).persons, top_share(cost, 0.2) AS top20,
       (cost_profile(cost)).top20_share
FROM conc_cases WHERE name = 'ties';

-- empty input: NULL from every aggregate
SELECT gini(x), gini(x, true), top_share(x, 0.2), cost_profile(x) IS NULL AS profile_null
FROM generate_series(1, 0) x;
-- a NULL fraction or flag skips the row, as a strict transition would
SELECT top_share(x, NULL), gini(x, NULL) FROM generate_series(1, 3) x;
-- sample_correction with one person: NULL (n/(n-1) undefined)
SELECT gini(x, true) FROM (VALUES (7.0::float8)) t(x);
-- -0 is stored as 0
SELECT cost_values_trans(NULL, '-0'::float8)::text;

-- lorenz_curve over {1,2,3,4}: points+1 rows from (0,0) to (1,1);
-- L(1/4) = 1/10, L(1/2) = 3/10, L(3/4) = 6/10
SELECT * FROM lorenz_curve(ARRAY[4, 1, 3, 2]::float8[], 4);
-- points = 3: L(1/3): k = 4/3 -> (1 + (1/3)*2)/10 = 1/6; L(2/3): k = 8/3 ->
-- (1 + 2 + (2/3)*3)/10 = 0.5
SELECT * FROM lorenz_curve(ARRAY[1, 2, 3, 4]::float8[], 3);
-- default 10 points, NULL elements ignored; ten people, one spender: L = 0
-- up to p = 0.9 (k = 9: the nine zeros), then 1 at p = 1
SELECT * FROM lorenz_curve(ARRAY[0, 0, NULL, 0, 0, 0, 0, 0, 0, 0, 50]::float8[]);
-- the curve is 1 - top_share(1 - p): same numbers from both functions
SELECT l.population_share,
       abs(l.cost_share - (1 - (SELECT top_share(c, 1 - l.population_share)
                                FROM unnest(ARRAY[3, 1, 4, 1, 5, 9, 2, 6]::float8[]) c))) < 1e-15 AS agrees
FROM lorenz_curve(ARRAY[3, 1, 4, 1, 5, 9, 2, 6]::float8[], 4) l
WHERE l.population_share < 1;
-- nothing to share: no rows
SELECT count(*) FROM lorenz_curve('{}'::float8[]);
SELECT count(*) FROM lorenz_curve(ARRAY[NULL, 0, 0]::float8[]);
SELECT count(*) FROM lorenz_curve(NULL::float8[]);

-- Totals and shares are exact sums rounded once (exact_sum.c), whatever
-- the order of the costs. By hand: 2^53 + 1 + 2^-60 lies just above the
-- midpoint of the doubles 2^53 and 2^53 + 2, so it rounds up to 2^53 + 2;
-- float8 addition (sum) loses the 1 and then the 2^-60: 2^53.
-- 2^53 + 0.5 + 0.5 = 2^53 + 1 is a tie: to even, 2^53. Seven of the
-- smallest subnormal, 2^-1074, make 7 * 2^-1074 exactly.
SELECT (cost_profile(x)).total - 2::float8 ^ 53 AS exact_minus_2p53,
       sum(x) - 2::float8 ^ 53 AS float8_sum_minus_2p53
FROM (VALUES (2::float8 ^ 53), (1), (2::float8 ^ -60)) t(x);
SELECT (cost_profile(x)).total = 2::float8 ^ 53 AS tie_to_even
FROM (VALUES (2::float8 ^ 53), (0.5), (0.5)) t(x);
SELECT (cost_profile(x)).total = 7 * '5e-324'::float8 AS subnormals_exact,
       top_share(x, 3.0 / 7) = 3.0 / 7 AS subnormal_share
FROM (VALUES ('5e-324'::float8), ('5e-324'), ('5e-324'), ('5e-324'),
             ('5e-324'), ('5e-324'), ('5e-324')) t(x);
-- exact totals against numeric, which adds these costs exactly (k 2^j, k
-- below 2^52, j from -10 to 70: exact in float8 and in numeric; numeric to
-- float8 rounds correctly): 40 groups of 1 to 2,992 costs whose totals
-- mostly need rounding. float8 sum() rounds after every row.
CREATE TABLE conc_exact AS
SELECT g, c::float8 AS x, c
FROM (SELECT g, ((i * 2654435761 + g * 40503) % 4503599627370496)::numeric
                * CASE WHEN (i * 7 + g) % 81 >= 10
                       THEN 2::numeric ^ ((i * 7 + g) % 81 - 10)
                       ELSE round(1 / 2::numeric ^ (10 - (i * 7 + g) % 81), 20)
                  END AS c
      FROM generate_series(1, 40) g, generate_series(1, (g * 73) % 3000) i) s;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE total = exact) AS total_exact,
       count(*) FILTER (WHERE float8_sum = exact) AS float8_sum_exact
FROM (SELECT g, (cost_profile(x)).total, sum(x) AS float8_sum, sum(c)::float8 AS exact
      FROM conc_exact GROUP BY g) r;
DROP TABLE conc_exact;
-- order does not matter: 3,000 awkward costs fed in three orders, same
-- bits (top_share selecting, cost_profile sorting a copy)
CREATE TABLE conc_order AS
SELECT i, (((i * 7919) % 1009) / 7.0::float8) ^ 2 + i * 1e-9 AS c
FROM generate_series(1, 3000) i;
SELECT count(*) AS orders, count(DISTINCT (t, p)) AS distinct_results
FROM (SELECT top_share(c, 0.2 ORDER BY c) AS t, cost_profile(c ORDER BY c) AS p
      FROM conc_order
      UNION ALL
      SELECT top_share(c, 0.2 ORDER BY c DESC), cost_profile(c ORDER BY c DESC)
      FROM conc_order
      UNION ALL
      SELECT top_share(c, 0.2 ORDER BY i), cost_profile(c ORDER BY i)
      FROM conc_order) r;
DROP TABLE conc_order;

-- top_share selects its rows from 2,048 costs up (no sort; the others sort
-- a copy). Against exact numeric arithmetic, on costs numeric and float8
-- both hold exactly (quarters, powers of two): the m = f n largest (k = f n
-- is a whole number for these n and f) over the total, each rounded once
-- to float8, must be the aggregate's bits. Groups: many ties and zeros;
-- all equal; two sizes 2^40 apart; sixty binary orders of magnitude; and
-- 2,040 rows (the sorting side of the threshold).
CREATE TABLE conc_sel AS
SELECT 'ties' AS g, i, CASE WHEN i % 5 = 0 THEN 0 ELSE ((i * 7919) % 10007) / 4.0 END AS c
FROM generate_series(1, 10000) i
UNION ALL SELECT 'equal', i, 3.25 FROM generate_series(1, 5000) i
UNION ALL SELECT 'two sizes', i, CASE WHEN i % 41 = 0 THEN 2::numeric ^ 40 ELSE 1 END
FROM generate_series(1, 4100) i
UNION ALL SELECT 'magnitudes', i, 2::numeric ^ ((i * 37) % 60) FROM generate_series(1, 4000) i
UNION ALL SELECT 'below threshold', i, ((i * 7919) % 2039) / 4.0 FROM generate_series(1, 2040) i;
SELECT g, f, count(*) AS n,
       top_share(c::float8, f ORDER BY i) = (sum(c) FILTER (WHERE rd <= m))::float8 / sum(c)::float8
           AS equals_exact_arithmetic
FROM (SELECT g, i, c, f, floor(f * count(*) OVER (PARTITION BY g, f)) AS m,
             row_number() OVER (PARTITION BY g, f ORDER BY c DESC) AS rd
      FROM conc_sel, (VALUES (0.2::float8), (0.25), (0.5)) fs(f)) r
GROUP BY g, f ORDER BY g, f;
-- and the sorted path (cost_profile) agrees with the selection bit for bit
SELECT g, top_share(c::float8, 0.2 ORDER BY i) = (cost_profile(c::float8)).top20_share AS same
FROM conc_sel GROUP BY g ORDER BY g;
DROP TABLE conc_sel;

-- errors
SELECT gini(x) FROM (VALUES (1.0::float8), (-2.5)) t(x);
SELECT cost_profile(x) FROM (VALUES ('NaN'::float8)) t(x);
SELECT top_share(x, 0.2) FROM (VALUES ('Infinity'::float8)) t(x);
SELECT gini(x, true) FROM (VALUES ('-Infinity'::float8)) t(x);
SELECT top_share(x, 0) FROM generate_series(1, 3) x;
SELECT top_share(x, 1.5) FROM generate_series(1, 3) x;
SELECT top_share(x, 'NaN') FROM generate_series(1, 3) x;
SELECT top_share(x, CASE WHEN x < 3 THEN 0.2 ELSE 0.25 END) FROM generate_series(1, 5) x;
SELECT gini(x, x > 2) FROM generate_series(1, 5) x;
SELECT * FROM lorenz_curve(ARRAY[1, -1]::float8[]);
SELECT * FROM lorenz_curve(ARRAY[1, 'NaN']::float8[]);
SELECT * FROM lorenz_curve(ARRAY[1, 2]::float8[], 0);
SELECT * FROM lorenz_curve(ARRAY[1, 2]::float8[], 100001);
-- a total beyond double precision
SELECT gini(x) FROM (VALUES (1e308::float8), (1e308)) t(x);

-- the total is finite but n T and the numerator overflow: the Gini is
-- scale-free, so it is computed at a smaller scale. By hand for
-- (1, 2, 1e308): (-2 * 1 + 0 * 2 + 2 * 1e308) / (3 (1e308 + 3)) = 2/3 to
-- within 1e-15; 100 costs that are all 1e306 in double precision: 0.
SELECT abs(gini(x) - 2.0 / 3) < 1e-15 AS two_thirds FROM (VALUES (1e308::float8), (1), (2)) t(x);
SELECT gini(1e306::float8 + s), (cost_profile(1e306::float8 + s)).gini
FROM generate_series(1, 100) s;
-- scaled by 2^-1000 and back: the same bits as the unscaled Gini
SELECT gini(x * 2 ^ 1000) = gini(x) AS scale_free
FROM (VALUES (1.0::float8), (2), (3), (10), (0)) t(x);

DROP TABLE conc_cases, conc_pct;

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

-- Stored states (1.1): value_list_agg(cost) returns the state itself, the
-- costs in ascending order (NULLs skipped; NULL for an empty group);
-- value_list_agg(value_list) merges stored states; top_share, gini,
-- cost_profile and lorenz_curve over a state give the aggregates' bits.
CREATE TABLE conc_st AS
SELECT i, i % 7 AS segment, i % 13 AS practice,
       CASE WHEN i % 5 = 0 THEN 0
            WHEN i % 11 = 0 THEN NULL
            ELSE (((i * 7919) % 1009) / 7.0::float8) ^ 2 + i * 1e-9
       END AS cost
FROM generate_series(1, 30000) i;
-- by hand: {3, 1, NULL, 2} -> 1,2,3; a group of NULLs -> NULL
SELECT value_list_agg(x)::text AS state FROM (VALUES (3::float8), (1), (NULL), (2)) t(x);
SELECT value_list_agg(x) IS NULL AS all_null_is_null FROM (VALUES (NULL::float8)) t(x);
SELECT value_list_agg(s)::text AS merged
FROM (VALUES ('1:1::2:5,1'::value_list), ('1:1::1:2'), (NULL), ('1:1::0:')) t(s);
-- the hand cases of the top of this file, through a state: 1..10 gives
-- median 5.5, p90 9.1, Gini 0.3, top 20% 19/55; {2,2,5,5} Gini 3/14
SELECT top_share(s, 0.2) AS top20, gini(s), gini(s, true) AS gini_corrected,
       (cost_profile(s)).median, (cost_profile(s)).p90
FROM (SELECT value_list_agg(x::float8) AS s FROM generate_series(1, 10) x) t;
SELECT gini(value_list_agg(x)) = 3 / 14::float8 AS ties
FROM (VALUES (2::float8), (5), (2), (5)) t(x);
-- empty, zero total, one person corrected: NULL as from the aggregates
SELECT top_share('1:1::0:'::value_list, 0.2) AS empty_top, gini('1:1::0:'::value_list) AS empty_gini,
       cost_profile('1:1::0:'::value_list) IS NULL AS empty_profile,
       (SELECT count(*) FROM lorenz_curve('1:1::0:'::value_list, 4)) AS empty_curve_rows,
       top_share('1:1::2:0,0'::value_list, 0.5) AS zero_top, gini('1:1::2:0,0'::value_list) AS zero_gini,
       (SELECT count(*) FROM lorenz_curve('1:1::2:0,0'::value_list)) AS zero_curve_rows,
       gini('1:1::1:5'::value_list, true) AS one_corrected,
       top_share(NULL::value_list, 0.2) AS null_state, top_share('1:1::1:5'::value_list, NULL) AS null_fraction;
-- per group, the finals over value_list_agg(cost) equal the aggregates over
-- cost bit for bit (sizes 2,143 to 2,308 per segment: top_share's selection
-- path for the aggregate, the sorted path for the state; 13 x 7 groups of
-- about 330: both sort)
CREATE TABLE conc_st_direct AS
SELECT segment, practice, top_share(cost, 0.2) AS t20, top_share(cost, 0.01) AS t1,
       gini(cost) AS g, gini(cost, true) AS gc, cost_profile(cost)::text AS p,
       (SELECT array_agg(l ORDER BY l.population_share)
        FROM lorenz_curve(array_agg(cost), 20) l)::text AS lorenz
FROM conc_st GROUP BY GROUPING SETS ((segment, practice), (segment), ());
CREATE TABLE conc_st_states AS
SELECT segment, practice, value_list_agg(cost) AS s FROM conc_st GROUP BY segment, practice;
CREATE VIEW conc_st_final AS
SELECT segment, practice, top_share(s, 0.2) AS t20, top_share(s, 0.01) AS t1,
       gini(s) AS g, gini(s, true) AS gc, cost_profile(s)::text AS p,
       (SELECT array_agg(l ORDER BY l.population_share) FROM lorenz_curve(s, 20) l)::text AS lorenz
FROM (SELECT segment, practice, value_list_agg(s) AS s
      FROM conc_st_states GROUP BY ROLLUP (segment, practice)) r;
-- the rollup from the stored states (practice x segment, merged to segment
-- and to everyone) equals the direct aggregates, every column, every bit
SELECT (SELECT count(*) FROM conc_st_direct) AS groups,
       (SELECT count(*) FROM (TABLE conc_st_direct EXCEPT TABLE conc_st_final) d) AS direct_only,
       (SELECT count(*) FROM (TABLE conc_st_final EXCEPT TABLE conc_st_direct) d) AS rollup_only;
-- ... also with the merge in a parallel plan (partial value_list_agg in the
-- workers), and for value_list_agg(cost) itself: same state text
ALTER TABLE conc_st SET (parallel_workers = 2);
SET max_parallel_workers_per_gather = 2;
SET force_parallel_mode = on;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT segment, value_list_agg(cost) FROM conc_st GROUP BY segment;
SELECT count(*) AS segments,
       count(*) FILTER (WHERE p.s::text = m.s::text) AS same_state,
       count(*) FILTER (WHERE gini(p.s) = d.g AND top_share(p.s, 0.2) = d.t20
                        AND cost_profile(m.s)::text = d.p) AS same_results
FROM (SELECT segment, value_list_agg(cost) AS s FROM conc_st GROUP BY segment) p
JOIN (SELECT segment, value_list_agg(s) AS s FROM conc_st_states GROUP BY segment) m USING (segment)
JOIN conc_st_direct d USING (segment)
WHERE d.practice IS NULL;
RESET enable_hashagg;
RESET force_parallel_mode;
RESET max_parallel_workers_per_gather;
-- a state's text is its stored form: printed and read back (marked sorted
-- again on input), or typed in another order, it gives the same results;
-- the finals never change a stored state (they may sort a copy)
SET extra_float_digits = 1;   -- cost::text below: the shortest exact form
CREATE TABLE conc_st_text AS
SELECT segment, value_list_agg(cost)::text AS t FROM conc_st GROUP BY segment;
CREATE TABLE conc_st_reversed AS
SELECT segment, '1:1::' || count(*) || ':' || string_agg(cost::text, ',' ORDER BY cost DESC) AS t
FROM conc_st WHERE cost IS NOT NULL GROUP BY segment;
SET extra_float_digits = 0;   -- as conc_st_direct's composite text
SELECT count(*) AS segments,
       count(*) FILTER (WHERE gini(x.t::value_list) = d.g AND gini(r.t::value_list) = d.g
                        AND top_share(x.t::value_list, 0.2) = d.t20
                        AND top_share(r.t::value_list, 0.2) = d.t20
                        AND cost_profile(r.t::value_list)::text = d.p) AS same_results,
       count(*) FILTER (WHERE m.s::text = x.t) AS reversed_merges_sorted
FROM conc_st_text x JOIN conc_st_reversed r USING (segment)
JOIN conc_st_direct d USING (segment)
CROSS JOIN LATERAL (SELECT value_list_agg(v) AS s FROM (VALUES (r.t::value_list)) v(v)) m
WHERE d.practice IS NULL;
CREATE TABLE conc_st_before AS SELECT segment, practice, s::text AS t FROM conc_st_states;
SELECT count(*) AS states,
       count(*) FILTER (WHERE b.t = s.s::text) AS unchanged
FROM (SELECT segment, practice, s, gini(s), top_share(s, 0.2), cost_profile(s),
             (SELECT count(*) FROM lorenz_curve(s, 4))
      FROM conc_st_states) s
JOIN conc_st_before b USING (segment, practice);
-- a growing window frame: value_list_agg's final copies, the state grows on
SELECT count(*) AS rows,
       count(*) FILTER (WHERE r.s::text = (SELECT value_list_agg(c.cost)::text
                                           FROM conc_st c WHERE c.i <= r.i)) AS equal
FROM (SELECT i, value_list_agg(cost) OVER (ORDER BY i) AS s FROM conc_st WHERE i <= 200) r;
-- lorenz_curve over a state: the rows of lorenz_curve over the array
SELECT l.* FROM lorenz_curve('1:1::4:4,2,3,1'::value_list, 4) l;
-- errors: a state of another kind, a negative cost typed into a state,
-- bad costs, fraction and points; the message names the function called
SELECT value_list_agg(x) FROM (VALUES (-1::float8)) t(x);
SELECT value_list_agg(x) FROM (VALUES ('Infinity'::float8)) t(x);
SELECT value_list_agg(s) FROM (VALUES ('1:2::1:5,1'::value_list)) t(s);
SELECT value_list_agg(s) FROM (VALUES ('1:1:0.2:1:5'::value_list)) t(s);
SELECT value_list_agg(s) FROM (VALUES ('1:1::2:5,-1'::value_list)) t(s);
SELECT top_share('1:1:0.2:1:5'::value_list, 0.2);
SELECT top_share('1:1::2:5,-1'::value_list, 0.2);
SELECT top_share('1:1::1:5'::value_list, 0);
SELECT gini('1:2::1:5,1'::value_list);
SELECT gini('1:1:1:1:5'::value_list, true);
SELECT cost_profile('1:1::3:5,-0.5,2'::value_list);
SELECT * FROM lorenz_curve('1:1::1:-5'::value_list, 4);
SELECT * FROM lorenz_curve('1:1::1:5'::value_list, 0);
DROP VIEW conc_st_final;
DROP TABLE conc_st, conc_st_direct, conc_st_states, conc_st_text, conc_st_reversed, conc_st_before;
