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
