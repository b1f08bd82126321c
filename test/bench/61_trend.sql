-- test/bench/61_trend.sql -- recent-trend markers at warehouse scale.
--
-- trend_marker over 100,000 series of 10 yearly points (1,000,000 rows),
-- against a plain-SQL formulation of the same method timed in the same run:
-- a row_number() window to keep each series' last five periods, grouped sums
-- for the chi-squared statistic and the logit slope, and the drop-one
-- outlier check as leave-one-out slopes from the same sums (a join of the
-- five points back to their series' sums). The plain SQL checks nothing
-- (no duplicates, missing values or 0% / 100%) and returns the marker only;
-- trend_marker returns the whole trend_result.
-- Then the values-with-limits overload, and the grouping cost alone.
SET max_parallel_workers_per_gather = 0;   -- single core, like R

CREATE UNLOGGED TABLE bench_trend AS
SELECT s AS series, 2015 + y AS period,
       (200 + (s * 7 + y * 13) % 60 + y * (s % 7 - 3) * 3)::float8 AS n,
       (2000 + (s * 31) % 900)::float8 AS d
FROM generate_series(1, 100000) s, generate_series(0, 9) y;
ALTER TABLE bench_trend ADD lower float8, ADD upper float8;
UPDATE bench_trend SET lower = n / d * 100 - 1.96 * sqrt(n) / d * 100,
                       upper = n / d * 100 + 1.96 * sqrt(n) / d * 100;
VACUUM ANALYZE bench_trend;

-- the plain-SQL method, one row per series: its marker
CREATE TEMP VIEW trend_plain AS
WITH w AS (
    SELECT series, period::float8 AS t, n, d, ln(n) - ln(d - n) AS y
    FROM (SELECT b.*, row_number() OVER (PARTITION BY series ORDER BY period DESC) AS rn
          FROM bench_trend b) r
    WHERE rn <= 5),
s AS (
    SELECT series, count(*)::float8 AS k, sum(t) AS st, sum(y) AS sy, sum(t * t) AS stt,
           sum(t * y) AS sty, sum(n) AS c, sum(d) AS dd, sum(n * t) AS sct, sum(d * t) AS sdt,
           sum(d * t * t) AS sdtt
    FROM w GROUP BY series),
f AS (
    SELECT s.*, (k * sty - st * sy) / (k * stt - st * st) AS slope,
           dd * (dd * sct - c * sdt) ^ 2 / (c * (dd - c) * (dd * sdtt - sdt ^ 2)) AS chi2
    FROM s),
o AS (
    SELECT w.series,
           bool_or(sign(((f.k - 1) * (f.sty - w.t * w.y) - (f.st - w.t) * (f.sy - w.y))
                        / ((f.k - 1) * (f.stt - w.t * w.t) - (f.st - w.t) ^ 2))
                   <> sign(f.slope)) AS outlier
    FROM w JOIN f USING (series) GROUP BY w.series)
SELECT f.series,
       CASE WHEN f.k < 5 THEN 'Cannot be calculated'
            WHEN f.chi2 <= 9.5495 OR o.outlier THEN 'No significant change'
            WHEN f.slope < 0 THEN 'Decreasing' ELSE 'Increasing' END AS marker
FROM f JOIN o USING (series);

\echo trend_marker (proportions): 100,000 series x 10 periods, last 5 judged (ms, best of 3)
SELECT benchmark, ms, round((1e5 / (ms / 1000))::numeric) AS series_per_s, baseline, baseline_ms, ratio
FROM bench_compare(
    'trend_marker(period, n, d) GROUP BY series',
    'SELECT series, (trend_marker(period, n, d)).marker FROM bench_trend GROUP BY series',
    'plain SQL: window, sums, leave-one-out join',
    'SELECT series, marker FROM trend_plain');

\echo the two agree on every series (the plain SQL, above, against trend_marker):
WITH ext AS (SELECT series, (trend_marker(period, n, d)).marker FROM bench_trend GROUP BY series)
SELECT e.marker, count(*) AS series, count(*) FILTER (WHERE p.marker <> e.marker) AS disagree
FROM ext e JOIN trend_plain p USING (series) GROUP BY e.marker ORDER BY e.marker;

\echo trend_marker (values with limits) and the grouping cost alone (ms, best of 3)
SELECT benchmark, ms, round((1e5 / (ms / 1000))::numeric) AS series_per_s, baseline, baseline_ms, ratio
FROM bench_compare(
    'trend_marker(period, value, lower, upper) GROUP BY series',
    'SELECT series, (trend_marker(period, n / d * 100, lower, upper)).marker FROM bench_trend GROUP BY series',
    'count(*) GROUP BY series',
    'SELECT series, count(*) FROM bench_trend GROUP BY series');
SELECT benchmark, ms, round((1e5 / (ms / 1000))::numeric) AS series_per_s, baseline, baseline_ms, ratio
FROM bench_compare(
    'trend_marker(period, n, d) GROUP BY series',
    'SELECT series, (trend_marker(period, n, d)).marker FROM bench_trend GROUP BY series',
    'count(*) GROUP BY series',
    'SELECT series, count(*) FROM bench_trend GROUP BY series');

DROP VIEW trend_plain;
DROP TABLE bench_trend;
