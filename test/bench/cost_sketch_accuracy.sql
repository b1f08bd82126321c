-- test/bench/cost_sketch_accuracy.sql -- the accuracy table of README
-- "Cost sketches": for each distribution and relative accuracy, the width
-- of the bounds and the actual error of the estimate, for the top 1/5/20%
-- shares and the Gini (percentage points), and p50/p90/p99 (% of the exact
-- value). Run by test/bench/cost_sketch_accuracy.sh on databases holding
-- the demo place (psql variable label names it); the synthetic
-- distributions (100,000 costs each, fixed seed) are added when synthetic
-- is 1. Prints one Markdown row per distribution and accuracy, and fails
-- if any exact value is outside its bounds.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SELECT setseed(0.18) \g /dev/null

CREATE TEMP TABLE acc_costs (dist text, cost float8);
INSERT INTO acc_costs SELECT :'label', total_cost FROM demo.person_cost;
\if :synthetic
INSERT INTO acc_costs
SELECT 'lognormal, 25% zeros', CASE WHEN random() < 0.25 THEN 0
    ELSE exp(6 + 1.5 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) END
FROM generate_series(1, 100000);
INSERT INTO acc_costs SELECT 'Pareto tail (alpha 1.2)', 100 / power(1 - random(), 1 / 1.2)
FROM generate_series(1, 100000);
INSERT INTO acc_costs SELECT 'all equal', 123.45 FROM generate_series(1, 100000);
INSERT INTO acc_costs SELECT 'two spikes 2^40 apart', CASE WHEN g % 10 = 0 THEN 2 ^ 40 ELSE 1 END
FROM generate_series(1, 100000) g;
\endif

CREATE TEMP TABLE acc_exact AS
SELECT dist, cost_profile(cost) AS p FROM acc_costs GROUP BY dist;
CREATE TEMP TABLE acc_rows AS
SELECT x.dist, k.a, f.ord, f.figure, f.exact, (f.e).estimate, (f.e).lower_bound, (f.e).upper_bound,
       f.relative
FROM acc_exact x
JOIN (SELECT dist, a, cost_sketch(cost, a) AS s
      FROM acc_costs, (VALUES (0.01::float8), (0.005), (0.001)) al(a) GROUP BY dist, a) k USING (dist),
LATERAL (VALUES
    (1, 'top1', (x.p).top1_share, top_share(k.s, 0.01), false),
    (2, 'top5', (x.p).top5_share, top_share(k.s, 0.05), false),
    (3, 'top20', (x.p).top20_share, top_share(k.s, 0.2), false),
    (4, 'gini', (x.p).gini, gini(k.s), false),
    (5, 'p50', (x.p).median, cost_quantile(k.s, 0.5), true),
    (6, 'p90', (x.p).p90, cost_quantile(k.s, 0.9), true),
    (7, 'p99', (x.p).p99, cost_quantile(k.s, 0.99), true)) f(ord, figure, exact, e, relative);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM acc_rows WHERE NOT (lower_bound <= exact AND exact <= upper_bound)) THEN
        RAISE EXCEPTION 'an exact value lies outside its bounds';
    END IF;
END $$;

-- width / error: percentage points for shares and Gini, % of the exact
-- value for the quantiles (a zero quantile is exact: both 0)
\pset format unaligned
\pset tuples_only on
SELECT format('| %s | %s | %s | %s | %s |', dist,
              (SELECT count(*) FROM acc_costs c WHERE c.dist = r.dist), a,
              string_agg(format('%s / %s',
                                to_char(100 * (upper_bound - lower_bound) / CASE WHEN relative THEN nullif(exact, 0) ELSE 1 END, 'FM990.0000'),
                                to_char(100 * abs(estimate - exact) / CASE WHEN relative THEN nullif(exact, 0) ELSE 1 END, 'FM990.0000')),
                         ' | ' ORDER BY ord) FILTER (WHERE NOT relative),
              string_agg(format('%s / %s',
                                coalesce(to_char(100 * (upper_bound - lower_bound) / nullif(exact, 0), 'FM990.000'), '0'),
                                coalesce(to_char(100 * abs(estimate - exact) / nullif(exact, 0), 'FM990.000'), '0')),
                         ' | ' ORDER BY ord) FILTER (WHERE relative))
FROM acc_rows r GROUP BY dist, a ORDER BY dist, a DESC;
SELECT format('<!-- %s figures, every exact value inside its bounds -->', count(*)) FROM acc_rows;
