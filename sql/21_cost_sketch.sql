-- Cost sketches: the text form and bucket placement checked against edges
-- computed here with power() (g = 1.005/0.995 at the default accuracy),
-- figures of sketches whose buckets hold one cost each (then the estimate
-- is exact and the bounds close on it), bounds of a bucket holding two
-- costs derived by hand from its edges, merging, the binary form, NULL and
-- empty groups and every error path. Tolerance 1e-12 relative where the
-- edges enter (power() and binary powering differ in the last bits).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;
SET extra_float_digits = 0;

-- bucket i holds (g^(i-1), g^i]: 1 = g^0 is in bucket 0, and its sum is
-- 1 in units of the ulp of g^-1 (2^-53): 2^53 = 9007199254740992; 100 is
-- in bucket ceil(ln 100 / ln g) = 461; zero costs are counted apart and a
-- cost below DBL_MIN is in the tiny bucket, in units of 2^-1074 (1e-310 =
-- 20240225330731 of them)
SELECT cost_sketch(x)::text FROM (VALUES (0::float8), (1), (100), (1e-310)) v(x);
SELECT ceil(ln(100) / ln(1.005 / 0.995)) AS bucket_of_100;
-- the accuracy in every row; NULL costs and NULL accuracies are skipped
SELECT cost_sketch(x, 0.01)::text FROM (VALUES (1::float8), (NULL), (1)) v(x);
SELECT cost_sketch(x, a)::text FROM (VALUES (1::float8, 0.01::float8), (2, NULL)) v(x, a);
-- empty groups and only-NULL groups give NULL
SELECT cost_sketch(x) IS NULL AS empty FROM (VALUES (NULL::float8)) v(x);
SELECT cost_sketch(x) IS NULL AS empty FROM (SELECT 1::float8 WHERE false) v(x);

-- One cost per bucket: {1, 3} (T = 4). top_share(0.5) = 3/4, top_share
-- (0.75) = (3 + 0.5 * 1) / 4 = 0.875; Gini = ((-1) 1 + (1) 3) / (2 * 4) =
-- 0.25, corrected 0.5; median = 2 (halfway); p90 = 1 + 0.9 * 2 = 2.8.
CREATE TABLE sk AS SELECT cost_sketch(x) AS s FROM (VALUES (1::float8), (3)) v(x);
SELECT round((e).estimate::numeric, 12) AS estimate,
       (e).lower_bound <= (e).estimate AND (e).estimate <= (e).upper_bound AS ordered,
       (e).upper_bound - (e).lower_bound < 1e-13 AS closed
FROM (VALUES (top_share((SELECT s FROM sk), 0.5)), (top_share((SELECT s FROM sk), 0.75)),
             (gini((SELECT s FROM sk))), (gini((SELECT s FROM sk), true)),
             (gini((SELECT s FROM sk), false))) v(e);
SELECT round((e).estimate::numeric, 12) AS estimate,
       (e).upper_bound - (e).lower_bound < 1e-12 AS closed
FROM (VALUES (cost_quantile((SELECT s FROM sk), 0.5)), (cost_quantile((SELECT s FROM sk), 0.9)),
             (cost_quantile((SELECT s FROM sk), 0)), (cost_quantile((SELECT s FROM sk), 1))) v(e);
-- the profile: persons, total and mean exact; shares 1 person of 2 (top 1%
-- = 0.02 persons = 0.02 * 3 / 4 = 0.015), top 20%: 0.4 * 3 / 4 = 0.3
SELECT persons, total, mean, median, p90, round(p99::numeric, 12) AS p99, max,
       round(top1_share::numeric, 12) AS top1, round(top5_share::numeric, 12) AS top5,
       round(top20_share::numeric, 12) AS top20, gini,
       median_lower <= median AND median <= median_upper
       AND gini_lower <= gini AND gini <= gini_upper AS ordered
FROM cost_profile((SELECT s FROM sk));
SELECT population_share, round(cost_share::numeric, 12) AS cost_share,
       cost_share_lower <= cost_share AND cost_share <= cost_share_upper AS ordered
FROM lorenz_curve((SELECT s FROM sk), 4);

-- Two costs in one bucket: 100 and 100.2 are both in bucket 461, edges
-- L = g^460, U = g^461, S = 200.2. The top one (top_share(0.5)) is at
-- least S/2 (the mean) and at most min(U, S - L); the Gini is at least 0
-- (both at the mean) and at most (S - 2L)... here k = 0 at U, so the one
-- pair differs by at most the larger of its costs minus the smaller:
-- with both in [L, U] and sum S, |x - y| <= min(U - L, 2U - S, S - 2L);
-- G = |x - y| / (2 S).
CREATE TABLE two AS
SELECT cost_sketch(x) AS s, power(1.005::float8 / 0.995, 460) AS l,
       power(1.005::float8 / 0.995, 461) AS u
FROM (VALUES (100::float8), (100.2)) v(x);
SELECT abs((top_share(s, 0.5)).lower_bound - 0.5) < 1e-12 AS top_lower,
       abs((top_share(s, 0.5)).upper_bound - least(u, 200.2 - l) / 200.2) < 1e-12 AS top_upper,
       (top_share(s, 0.5)).lower_bound <= 100.2 / 200.2
       AND 100.2 / 200.2 <= (top_share(s, 0.5)).upper_bound AS exact_inside,
       (gini(s)).lower_bound = 0 AS gini_lower,
       abs((gini(s)).upper_bound - least(u - l, 2 * u - 200.2, 200.2 - 2 * l) / (2 * 200.2)) < 1e-12 AS gini_upper,
       abs((cost_quantile(s, 1)).lower_bound - 100.1) < 1e-10 AS max_lower,
       abs((cost_quantile(s, 1)).upper_bound - least(u, 200.2 - l)) < 1e-10 AS max_upper,
       abs((cost_quantile(s, 0)).upper_bound - 100.1) < 1e-10 AS min_upper,
       abs((cost_quantile(s, 0)).lower_bound - greatest(l, 200.2 - u)) < 1e-10 AS min_lower
FROM two;

-- Merging: the merge aggregate, in any grouping, gives the same sketch bit
-- for bit as one made from all the costs.
CREATE TABLE costs AS
SELECT g % 7 AS part, CASE WHEN g % 4 = 0 THEN 0 ELSE exp((g * 7919 % 1000) / 60.0) END AS cost
FROM generate_series(1, 2000) g;
SELECT (SELECT cost_sketch(cost) FROM costs)::text
     = (SELECT cost_sketch(s) FROM (SELECT cost_sketch(cost) AS s FROM costs GROUP BY part) p)::text AS merged_equal,
       (SELECT cost_sketch(cost) FROM costs)::text
     = (SELECT cost_sketch(s ORDER BY part DESC) FROM (SELECT part, cost_sketch(cost) AS s FROM costs GROUP BY part) p)::text AS any_order;
-- and its total is the exact total, the same bits as cost_profile's
SELECT (cost_profile(cost)).total = (cost_profile(cost_sketch(cost))).total AS total_exact FROM costs;
-- merging NULL sketches skips them
SELECT cost_sketch(s)::text FROM (VALUES (NULL::cost_sketch), ('1;0.005;0:1:9007199254740992')) v(s);

-- the text form reads back to the same sketch
SELECT (cost_sketch(cost)::text::cost_sketch)::text = cost_sketch(cost)::text AS text_round_trip FROM costs;
-- binary form: through COPY (FORMAT binary) and back, the same sketch
CREATE TABLE bin_in AS SELECT cost_sketch(cost) AS s FROM costs;
CREATE TABLE bin_out (s cost_sketch);
COPY bin_in TO PROGRAM 'cat > /tmp/value_ext_21_cost_sketch.bin' (FORMAT binary);
COPY bin_out FROM PROGRAM 'cat /tmp/value_ext_21_cost_sketch.bin && rm -f /tmp/value_ext_21_cost_sketch.bin' (FORMAT binary);
SELECT (SELECT s::text FROM bin_in) = (SELECT s::text FROM bin_out) AS binary_round_trip;

-- zero total: shares and Gini NULL, quantiles 0; the profile keeps its counts
SELECT top_share(s, 0.2) IS NULL AS share_null, gini(s) IS NULL AS gini_null,
       (cost_quantile(s, 0.5)).* , (cost_profile(s)).persons,
       (cost_profile(s)).top1_share IS NULL AS profile_share_null,
       (SELECT count(*) FROM lorenz_curve(s)) AS lorenz_rows
FROM (SELECT cost_sketch(x) AS s FROM (VALUES (0::float8), (0)) v(x)) z;
-- one person: the corrected Gini is NULL
SELECT gini(cost_sketch(5::float8), true) IS NULL AS corrected_null;
-- an empty sketch (typed): every figure NULL, no curve
SELECT top_share(s, 0.5) IS NULL AS a, gini(s) IS NULL AS b, cost_quantile(s, 0.5) IS NULL AS c,
       cost_profile(s) IS NULL AS d, (SELECT count(*) FROM lorenz_curve(s)) AS e
FROM (SELECT '1;0.005'::cost_sketch AS s) e;

-- errors
\set VERBOSITY default
SELECT cost_sketch(x) FROM (VALUES (-1::float8)) v(x);
SELECT cost_sketch(x) FROM (VALUES ('NaN'::float8)) v(x);
SELECT cost_sketch(x, 0) FROM (VALUES (1::float8)) v(x);
SELECT cost_sketch(x, 0.6) FROM (VALUES (1::float8)) v(x);
SELECT cost_sketch(x, a) FROM (VALUES (1::float8, 0.01::float8), (2, 0.02)) v(x, a);
SELECT cost_sketch(s) FROM (SELECT cost_sketch(1::float8, 0.01) UNION ALL SELECT cost_sketch(1::float8, 0.02)) v(s);
SELECT top_share(cost_sketch(1::float8), 0);
SELECT top_share(cost_sketch(1::float8), 1.5);
SELECT cost_quantile(cost_sketch(1::float8), -0.1);
SELECT * FROM lorenz_curve('1;0.005;0:1:9007199254740992'::cost_sketch, 0);
SELECT cost_sketch_trans(NULL, -2);
SELECT 'x'::cost_sketch;
SELECT '1;0.005;5:1'::cost_sketch;
SELECT '1;0.005;0:1:1'::cost_sketch;
SELECT '1;0.005;0:1:9007199254740992;0:1:9007199254740992'::cost_sketch;
SELECT '1;0.005;zero:0'::cost_sketch;
SELECT '1;0.9'::cost_sketch;
SELECT '1;0.005;100000000:1:1'::cost_sketch;
\set VERBOSITY terse
DROP TABLE sk, two, costs, bin_in, bin_out;
