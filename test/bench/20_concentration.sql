-- test/bench/20_concentration.sql -- top_share, gini and cost_profile on
-- 10M person rows: one group of 10M (the whole population) and ~1,000
-- groups of 10,000 (GROUP BY), against
--   (a) sum(cost), the cheapest aggregate over the same rows: target <= 3x;
--   (b) the best plain-SQL formulation we could write (one window sort with
--       row_number(), everything else from FILTERed sums over the ranks):
--       target: the aggregate >= 10x faster.
-- Ratios in (a) are aggregate / sum; ratios in (b) are plain SQL / aggregate
-- (the speed-up). Timings are the best of 5 runs for (a), the two queries
-- taking turns; in (b) the best of 3 plain-SQL runs, then of 5 aggregate
-- runs (a plain-SQL run sorts 10M rows through temporary files, and the
-- run straight after it pays for the clean-up; lib.sql).
\set ON_ERROR_STOP 1
SET max_parallel_workers_per_gather = 2;

-- heavy-tailed, deterministic person costs: a fifth cost nothing, the rest
-- Pareto(alpha 1.3, scale 50) from a golden-ratio sequence, rounded to pence
CREATE UNLOGGED TABLE conc_bench AS
SELECT i AS person_id, (i / 10) % 1000 AS grp,
       CASE WHEN i % 5 = 0 THEN 0
            ELSE round((50 * (1 - ((i * 0.6180339887498949::float8)
                                   - floor(i * 0.6180339887498949::float8))) ^ (-1 / 1.3::float8))::numeric, 2)::float8
       END AS cost
FROM generate_series(1, 10000000) i;
VACUUM ANALYZE conc_bench;

CREATE TEMP TABLE conc_bench_q (id text PRIMARY KEY, sql text);
INSERT INTO conc_bench_q VALUES
-- one group of 10M
('sum', $q$ SELECT sum(cost) AS v FROM conc_bench $q$),
('gini', $q$ SELECT gini(cost) AS v FROM conc_bench $q$),
('top_share', $q$ SELECT top_share(cost, 0.2) AS v FROM conc_bench $q$),
('cost_profile', $q$ SELECT cost_profile(cost) AS v FROM conc_bench $q$),
('sql_gini', $q$
    SELECT 2 * sum(rn * cost) / (count(*) * sum(cost)) - (count(*) + 1)::float8 / count(*) AS v
    FROM (SELECT cost, row_number() OVER (ORDER BY cost) AS rn FROM conc_bench) r $q$),
('sql_top_share', $q$
    SELECT (sum(cost) FILTER (WHERE rd <= m) + (k - m) * coalesce(max(cost) FILTER (WHERE rd = m + 1), 0))
           / sum(cost) AS v
    FROM (SELECT cost, row_number() OVER (ORDER BY cost DESC) AS rd FROM conc_bench) r,
         (SELECT 0.2 * count(*)::float8 AS k, floor(0.2 * count(*)::float8) AS m FROM conc_bench) p
    GROUP BY k, m $q$),
-- ~1,000 groups of 10,000
('sum_g', $q$ SELECT grp, sum(cost) AS v FROM conc_bench GROUP BY grp $q$),
('gini_g', $q$ SELECT grp, gini(cost) AS v FROM conc_bench GROUP BY grp $q$),
('top_share_g', $q$ SELECT grp, top_share(cost, 0.2) AS v FROM conc_bench GROUP BY grp $q$),
('cost_profile_g', $q$ SELECT grp, cost_profile(cost) AS v FROM conc_bench GROUP BY grp $q$),
('sql_gini_g', $q$
    SELECT grp, 2 * sum(rn * cost) / (count(*) * sum(cost)) - (count(*) + 1)::float8 / count(*) AS v
    FROM (SELECT grp, cost, row_number() OVER (PARTITION BY grp ORDER BY cost) AS rn FROM conc_bench) r
    GROUP BY grp $q$),
('sql_top_share_g', $q$
    SELECT r.grp, (sum(cost) FILTER (WHERE rd <= m) + (k - m) * coalesce(max(cost) FILTER (WHERE rd = m + 1), 0))
           / sum(cost) AS v
    FROM (SELECT grp, cost, row_number() OVER (PARTITION BY grp ORDER BY cost DESC) AS rd FROM conc_bench) r
    JOIN (SELECT grp, 0.2 * count(*)::float8 AS k, floor(0.2 * count(*)::float8) AS m
          FROM conc_bench GROUP BY grp) p USING (grp)
    GROUP BY r.grp, k, m $q$);

-- the plain-SQL cost profile over the ranks rn 1..n of each group, one
-- group of 10M and ~1,000 groups: %1$s the group column, %2$s the ranked rows
INSERT INTO conc_bench_q
SELECT id, format($t$
    SELECT %1$scount(*) AS persons, sum(cost) AS total, avg(cost) AS mean, max(cost) AS max,
           max(cost) FILTER (WHERE rn = floor(0.5 * (n - 1)) + 1) + (0.5 * (n - 1) - floor(0.5 * (n - 1)))
             * (max(cost) FILTER (WHERE rn = ceil(0.5 * (n - 1)) + 1) - max(cost) FILTER (WHERE rn = floor(0.5 * (n - 1)) + 1)) AS median,
           max(cost) FILTER (WHERE rn = floor(0.9 * (n - 1)) + 1) + (0.9 * (n - 1) - floor(0.9 * (n - 1)))
             * (max(cost) FILTER (WHERE rn = ceil(0.9 * (n - 1)) + 1) - max(cost) FILTER (WHERE rn = floor(0.9 * (n - 1)) + 1)) AS p90,
           max(cost) FILTER (WHERE rn = floor(0.99 * (n - 1)) + 1) + (0.99 * (n - 1) - floor(0.99 * (n - 1)))
             * (max(cost) FILTER (WHERE rn = ceil(0.99 * (n - 1)) + 1) - max(cost) FILTER (WHERE rn = floor(0.99 * (n - 1)) + 1)) AS p99,
           (coalesce(sum(cost) FILTER (WHERE rn > n - floor(0.01 * n)), 0)
            + (0.01 * n - floor(0.01 * n)) * coalesce(max(cost) FILTER (WHERE rn = n - floor(0.01 * n)), 0)) / sum(cost) AS top1,
           (coalesce(sum(cost) FILTER (WHERE rn > n - floor(0.05 * n)), 0)
            + (0.05 * n - floor(0.05 * n)) * coalesce(max(cost) FILTER (WHERE rn = n - floor(0.05 * n)), 0)) / sum(cost) AS top5,
           (coalesce(sum(cost) FILTER (WHERE rn > n - floor(0.2 * n)), 0)
            + (0.2 * n - floor(0.2 * n)) * coalesce(max(cost) FILTER (WHERE rn = n - floor(0.2 * n)), 0)) / sum(cost) AS top20,
           2 * sum(rn * cost) / (n * sum(cost)) - (n + 1) / n AS gini
    FROM %2$s $t$, grp, ranked)
FROM (VALUES
('sql_cost_profile', '', $q$(SELECT cost, row_number() OVER (ORDER BY cost) AS rn FROM conc_bench) r,
         (SELECT count(*)::float8 AS n FROM conc_bench) p
    GROUP BY n$q$),
('sql_cost_profile_g', 'r.grp, ', $q$(SELECT grp, cost, row_number() OVER (PARTITION BY grp ORDER BY cost) AS rn FROM conc_bench) r
    JOIN (SELECT grp, count(*)::float8 AS n FROM conc_bench GROUP BY grp) p USING (grp)
    GROUP BY r.grp, n$q$)) v(id, grp, ranked);

-- the comparisons, in order: each aggregate on one group of 10M, then on
-- ~1,000 groups, with its sum(cost) baseline and its plain-SQL formulation
-- (ids of conc_bench_q)
CREATE TEMP TABLE conc_cases AS
SELECT row_number() OVER (ORDER BY g.n, a.n) AS ord,
       a.agg || ': ' || g.scope AS agg_label, a.id || g.suffix AS agg_q, a.agg || g.grouped AS agg_grouped,
       'sum(cost)' || g.grouped AS sum_label, 'sum' || g.suffix AS sum_q,
       a.sql_label || ': ' || g.scope AS sql_label, 'sql_' || a.id || g.suffix AS sql_q
FROM (VALUES (1, 'gini(cost)', 'gini', 'plain SQL Gini (row_number window)'),
             (2, 'top_share(cost, 0.2)', 'top_share', 'plain SQL top 20% share (row_number window)'),
             (3, 'cost_profile(cost)', 'cost_profile', 'plain SQL cost profile (one window sort)')) a(n, agg, id, sql_label),
     (VALUES (1, 'one group of 10M', '', ''), (2, '1,000 groups', '_g', ' GROUP BY')) g(n, scope, suffix, grouped)
ORDER BY ord;

\echo '(a) each aggregate against sum(cost) on the same rows (ratio = aggregate / sum; target <= 3)'
SELECT b.* FROM conc_cases c
CROSS JOIN LATERAL bench_compare(c.agg_label, (SELECT sql FROM conc_bench_q WHERE id = c.agg_q),
                                 c.sum_label, (SELECT sql FROM conc_bench_q WHERE id = c.sum_q), 5) b
ORDER BY c.ord;

\echo '(b) the best plain SQL against the aggregate (ratio = plain SQL / aggregate = speed-up; target >= 10)'
SELECT b.* FROM conc_cases c
CROSS JOIN LATERAL bench_compare(c.sql_label, (SELECT sql FROM conc_bench_q WHERE id = c.sql_q),
                                 c.agg_grouped, (SELECT sql FROM conc_bench_q WHERE id = c.agg_q), 3, false, 5) b
ORDER BY c.ord;

DROP TABLE conc_bench;
