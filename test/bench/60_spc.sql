-- test/bench/60_spc.sql -- SPC over 10,000 series of 60 weekly points
-- against a plain-SQL window formulation timed in the same run
-- (test/bench/lib.sql). The baseline computes what an analyst writes by
-- hand: per series the mean, the moving ranges (lag), their mean, the XmR
-- limits and the outside-limits flag -- no screening, no run rules, no
-- rebase. spc_chart + spc_points does all of that and the trend, two-in-
-- three and shift rules, screening and point types. Both return every point
-- (filtered on a non-NULL column so the planner computes them). Timed as
-- planned (the aggregate goes parallel: partial value_list states per
-- worker for all 10,000 groups, shipped through Gather and combined) and
-- with serial plans (the window baseline is serial either way).
\set series 10000
\echo == data: :series series x 60 weeks
CREATE TABLE bench_spc AS
SELECT s AS series, date '2023-01-02' + 7 * w AS week,
       (100 + 10 * sin(s * 1.7 + w * 0.37) + ((s * 7919 + w * 104729) % 13))::float8 AS y
FROM generate_series(1, :series) s, generate_series(0, 59) w;
VACUUM ANALYZE bench_spc;

\echo == spc_chart + spc_points per series vs window functions (mean, moving ranges, limits)
SELECT * FROM bench_compare(
  'spc_chart + spc_points (all rules)',
  'SELECT p.point_type FROM (SELECT series, spc_chart(week, y) AS chart FROM bench_spc GROUP BY series) c,
          spc_points(c.chart, ''decrease'') p WHERE p.upper_limit IS NOT NULL',
  'window functions (mean, MR, limits, outside)',
  'SELECT CASE WHEN y > m + 2.66 * mr_bar OR y < m - 2.66 * mr_bar THEN 1 ELSE 0 END AS outside
   FROM (SELECT series, week, y, avg(y) OVER w AS m, avg(mr) OVER w AS mr_bar
         FROM (SELECT series, week, y, abs(y - lag(y) OVER (PARTITION BY series ORDER BY week)) AS mr
               FROM bench_spc) r
         WINDOW w AS (PARTITION BY series)) l
   WHERE m IS NOT NULL');

\echo == spc_summary per series (one row each) vs the window formulation grouped to one row
SELECT * FROM bench_compare(
  'spc_chart + spc_summary',
  'SELECT s.variation FROM (SELECT series, spc_chart(week, y) AS chart FROM bench_spc GROUP BY series) c,
          spc_summary(c.chart, ''decrease'', 100) s WHERE s.centre IS NOT NULL',
  'window functions, last point per series',
  'SELECT DISTINCT ON (series) series, y > m + 2.66 * mr_bar OR y < m - 2.66 * mr_bar AS outside
   FROM (SELECT series, week, y, avg(y) OVER w AS m, avg(mr) OVER w AS mr_bar
         FROM (SELECT series, week, y, abs(y - lag(y) OVER (PARTITION BY series ORDER BY week)) AS mr
               FROM bench_spc) r
         WINDOW w AS (PARTITION BY series)) l
   WHERE m IS NOT NULL ORDER BY series, week DESC');

\echo == the same two with serial plans (max_parallel_workers_per_gather = 0)
SET max_parallel_workers_per_gather = 0;
SELECT * FROM bench_compare(
  'spc_chart + spc_points (all rules), serial',
  'SELECT p.point_type FROM (SELECT series, spc_chart(week, y) AS chart FROM bench_spc GROUP BY series) c,
          spc_points(c.chart, ''decrease'') p WHERE p.upper_limit IS NOT NULL',
  'window functions (mean, MR, limits, outside)',
  'SELECT CASE WHEN y > m + 2.66 * mr_bar OR y < m - 2.66 * mr_bar THEN 1 ELSE 0 END AS outside
   FROM (SELECT series, week, y, avg(y) OVER w AS m, avg(mr) OVER w AS mr_bar
         FROM (SELECT series, week, y, abs(y - lag(y) OVER (PARTITION BY series ORDER BY week)) AS mr
               FROM bench_spc) r
         WINDOW w AS (PARTITION BY series)) l
   WHERE m IS NOT NULL');
SELECT * FROM bench_compare(
  'spc_chart + spc_summary, serial',
  'SELECT s.variation FROM (SELECT series, spc_chart(week, y) AS chart FROM bench_spc GROUP BY series) c,
          spc_summary(c.chart, ''decrease'', 100) s WHERE s.centre IS NOT NULL',
  'window functions, last point per series',
  'SELECT DISTINCT ON (series) series, y > m + 2.66 * mr_bar OR y < m - 2.66 * mr_bar AS outside
   FROM (SELECT series, week, y, avg(y) OVER w AS m, avg(mr) OVER w AS mr_bar
         FROM (SELECT series, week, y, abs(y - lag(y) OVER (PARTITION BY series ORDER BY week)) AS mr
               FROM bench_spc) r
         WINDOW w AS (PARTITION BY series)) l
   WHERE m IS NOT NULL ORDER BY series, week DESC');
RESET max_parallel_workers_per_gather;
