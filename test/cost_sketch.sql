-- test/cost_sketch.sql -- the bounds of the figures read from a cost_sketch
-- are theorems: over many generated cost distributions and the demo place
-- (demo.person_cost, by segment and whole), at relative accuracy 0.01,
-- 0.005 and 0.001, the exact figure (the exact aggregates top_share via
-- cost_profile, gini, percentile_cont, lorenz_curve(float8[])) lies within
-- [lower_bound, upper_bound] for the top 1/5/20% shares, the top 50% share,
-- the Gini (both forms), the median, p90, p99, max and every decile of the
-- Lorenz curve; no tolerance. Also: estimates lie within their bounds,
-- cost_profile(sketch) agrees with the single functions, totals are the
-- exact aggregates' bits, and merged or parallel sketches equal direct
-- ones bit for bit (text form).
BEGIN;
SELECT plan(12);

SELECT setseed(0.18);

-- Families (each several sizes and parameters): lognormal with 25% zeros,
-- Pareto tails, all-equal, two spikes 2^40 apart, tariff-like repeated
-- prices, costs spanning 1e-300 to 1e300 with subnormals, and tiny groups.
CREATE TEMP TABLE sk_costs (case_name text, cost float8);
INSERT INTO sk_costs
SELECT format('lognormal mu=%s sigma=%s n=%s #%s', mu, sigma, n, r),
       CASE WHEN random() < 0.25 THEN 0
            ELSE exp(mu + sigma * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) END
FROM (VALUES (5.0, 1.0), (6.0, 1.5), (7.0, 2.5)) m(mu, sigma),
     (VALUES (10), (100), (1000), (20000)) s(n), generate_series(1, 3) r, generate_series(1, n);
INSERT INTO sk_costs
SELECT format('pareto alpha=%s n=%s #%s', a, n, r), 100 / power(1 - random(), 1 / a)
FROM (VALUES (1.1), (1.5), (2.5)) p(a), (VALUES (10), (1000), (20000)) s(n), generate_series(1, 3) r,
     generate_series(1, n);
INSERT INTO sk_costs
SELECT format('equal %s n=%s', c, n), c
FROM (VALUES (123.45::float8), (1), (1e-5), (7e6)) e(c), (VALUES (1), (2), (1000)) s(n), generate_series(1, n);
INSERT INTO sk_costs
SELECT format('spikes %s share=%s n=%s', c, f, n), CASE WHEN g <= f * n THEN c ELSE c * 2 ^ 40 END
FROM (VALUES (1::float8), (3.7)) b(c), (VALUES (0.5), (0.99)) q(f), (VALUES (3), (1000)) s(n),
     generate_series(1, n) g;
INSERT INTO sk_costs
SELECT format('tariffs n=%s #%s', n, r), (ARRAY[0, 35, 35, 120, 120, 120, 450, 1800, 1800, 25000])[1 + floor(random() * 10)::int]
FROM (VALUES (50), (5000)) s(n), generate_series(1, 3) r, generate_series(1, n);
INSERT INTO sk_costs
SELECT 'extremes', x FROM (VALUES (0::float8), (5e-324), (1e-310), (2.2250738585072014e-308), (1e-300),
                                  (1), (1e300), (1e300), (1.7e300), (0)) v(x);
INSERT INTO sk_costs
SELECT 'demo ' || pe.segment, pc.total_cost
FROM demo.person_cost pc JOIN demo.person pe USING (person_id);
INSERT INTO sk_costs SELECT 'demo (all)', total_cost FROM demo.person_cost;

CREATE TEMP TABLE sk_exact AS
SELECT case_name, count(*) AS n, cost_profile(cost) AS p, gini(cost, true) AS gini_corrected,
       top_share(cost, 0.5) AS top50, array_agg(cost) AS costs
FROM sk_costs GROUP BY case_name;

CREATE TEMP TABLE sk_sketch AS
SELECT case_name, a, cost_sketch(cost, a) AS s
FROM sk_costs, (VALUES (0.01::float8), (0.005), (0.001)) al(a)
GROUP BY case_name, a;

-- one row per (case, accuracy, figure): the exact value and the sketch's
CREATE TEMP TABLE sk_checks AS
SELECT k.case_name, k.a, f.figure, f.exact, (f.e).estimate, (f.e).lower_bound, (f.e).upper_bound
FROM sk_sketch k JOIN sk_exact x USING (case_name),
LATERAL (VALUES
    ('top1', (x.p).top1_share, top_share(k.s, 0.01)),
    ('top5', (x.p).top5_share, top_share(k.s, 0.05)),
    ('top20', (x.p).top20_share, top_share(k.s, 0.2)),
    ('top50', x.top50, top_share(k.s, 0.5)),
    ('gini', (x.p).gini, gini(k.s)),
    ('gini corrected', x.gini_corrected, gini(k.s, true)),
    ('p50', (x.p).median, cost_quantile(k.s, 0.5)),
    ('p90', (x.p).p90, cost_quantile(k.s, 0.9)),
    ('p99', (x.p).p99, cost_quantile(k.s, 0.99)),
    ('max', (x.p).max, cost_quantile(k.s, 1))
) f(figure, exact, e)
WHERE f.exact IS NOT NULL
UNION ALL
SELECT k.case_name, k.a, 'lorenz ' || l.population_share, l.cost_share, s.cost_share,
       s.cost_share_lower, s.cost_share_upper
FROM sk_sketch k JOIN sk_exact x USING (case_name),
LATERAL lorenz_curve(x.costs, 10) l
JOIN LATERAL lorenz_curve(k.s, 10) s USING (population_share);

SELECT is((SELECT count(DISTINCT case_name) FROM sk_checks), (SELECT count(*) FROM sk_exact),
    'every distribution is checked');
SELECT cmp_ok((SELECT count(*) FROM sk_checks), '>=', 5000::bigint,
    format('at least 5,000 figures checked (%s: %s distributions x 3 accuracies x 10 figures and 11 Lorenz points)',
           (SELECT count(*) FROM sk_checks), (SELECT count(*) FROM sk_exact)));
SELECT is_empty($$
    SELECT case_name, a, figure, exact, lower_bound, upper_bound FROM sk_checks
    WHERE figure !~ '^lorenz' AND NOT (lower_bound <= exact AND exact <= upper_bound)
$$, 'the exact top shares, Gini and quantiles lie within the bounds');
SELECT is_empty($$
    SELECT case_name, a, figure, exact, lower_bound, upper_bound FROM sk_checks
    WHERE figure ~ '^lorenz' AND NOT (lower_bound <= exact AND exact <= upper_bound)
$$, 'the exact Lorenz ordinates lie within the bounds');
SELECT is_empty($$
    SELECT case_name, a, figure FROM sk_checks
    WHERE NOT (lower_bound <= estimate AND estimate <= upper_bound)
$$, 'every estimate lies within its bounds');
-- bounds narrow as the accuracy does: at 0.001, the Gini of the demo
-- place is pinned within 0.001 and its top 1% share within 0.002
SELECT is_empty($$
    SELECT case_name, figure, upper_bound - lower_bound FROM sk_checks
    WHERE case_name = 'demo (all)' AND a = 0.001
      AND ((figure = 'gini' AND upper_bound - lower_bound > 0.001)
        OR (figure = 'top1' AND upper_bound - lower_bound > 0.002))
$$, 'bounds are narrow on the demo place at accuracy 0.001');

-- cost_profile(sketch) is the single functions' figures in one row
SELECT is_empty($$
    SELECT k.case_name, k.a FROM sk_sketch k, LATERAL cost_profile(k.s) p
    WHERE ROW(p.top1_share, p.top1_share_lower, p.top1_share_upper)
              IS DISTINCT FROM (SELECT ROW((t).estimate, (t).lower_bound, (t).upper_bound) FROM (SELECT top_share(k.s, 0.01) t) z)
       OR ROW(p.top20_share, p.top20_share_lower, p.top20_share_upper)
              IS DISTINCT FROM (SELECT ROW((t).estimate, (t).lower_bound, (t).upper_bound) FROM (SELECT top_share(k.s, 0.2) t) z)
       OR ROW(p.gini, p.gini_lower, p.gini_upper)
              IS DISTINCT FROM (SELECT ROW((t).estimate, (t).lower_bound, (t).upper_bound) FROM (SELECT gini(k.s) t) z)
       OR ROW(p.p90, p.p90_lower, p.p90_upper)
              IS DISTINCT FROM (SELECT ROW((t).estimate, (t).lower_bound, (t).upper_bound) FROM (SELECT cost_quantile(k.s, 0.9) t) z)
       OR ROW(p.max, p.max_lower, p.max_upper)
              IS DISTINCT FROM (SELECT ROW((t).estimate, (t).lower_bound, (t).upper_bound) FROM (SELECT cost_quantile(k.s, 1) t) z)
$$, 'cost_profile(sketch) agrees with top_share, gini and cost_quantile');
-- persons, total and mean are exact: the exact aggregate's bits
SELECT is_empty($$
    SELECT k.case_name, k.a FROM sk_sketch k JOIN sk_exact x USING (case_name), LATERAL cost_profile(k.s) p
    WHERE (p.persons, p.total, p.mean) IS DISTINCT FROM ((x.p).persons, (x.p).total, (x.p).mean)
$$, 'persons, total and mean equal the exact cost_profile''s');
-- a bucket of equal costs is exact: all-equal and spike cases estimate
-- their quantiles exactly
SELECT is_empty($$
    SELECT case_name, a, figure, exact, estimate FROM sk_checks
    WHERE case_name ~ '^(equal|spikes)' AND figure IN ('p50', 'max') AND estimate <> exact
$$, 'point masses give exact quantile estimates');

-- merged and parallel sketches are the same sketch, bit for bit
SELECT is((SELECT cost_sketch(s)::text FROM (
              SELECT cost_sketch(pc.total_cost) AS s FROM demo.person_cost pc
              JOIN demo.person pe USING (person_id) GROUP BY pe.practice_code) p),
          (SELECT cost_sketch(total_cost)::text FROM demo.person_cost),
    'merging per-practice sketches gives the sketch of everyone');
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE TEMP TABLE sk_parallel AS SELECT cost_sketch(total_cost, 0.001)::text AS s FROM demo.person_cost;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT is((SELECT s FROM sk_parallel),
          (SELECT s::text FROM sk_sketch WHERE case_name = 'demo (all)' AND a = 0.001),
    'a parallel plan gives the same sketch as a serial one');
-- the default accuracy is 0.005
SELECT is((SELECT cost_sketch(total_cost)::text FROM demo.person_cost),
          (SELECT s::text FROM sk_sketch WHERE case_name = 'demo (all)' AND a = 0.005),
    'cost_sketch(cost) is cost_sketch(cost, 0.005)');

SELECT * FROM finish();
ROLLBACK;
