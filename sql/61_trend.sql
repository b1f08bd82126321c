-- trend_marker against PHEindicatormethods' own expected results: every
-- series of the five sheets of its trend-marker workbook
-- (test/data/reference-tests/phe/trend_markers_testdata_*.csv, described in
-- TREND_MARKERS.md there: branch add_trend_markers, commit be274439),
-- labels exactly and Significance / Gradient to 4 dp where the sheet gives
-- them; then cases derived by hand for every label and reason, the
-- confidence, NULL and empty input, errors, states and a forced parallel plan.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;
SET extra_float_digits = 0;

-- ---------------------------------------------------------------------
-- The workbook. Expected results sit on the last (latest) row of each
-- series; NA is an empty cell (a missing value).
-- ---------------------------------------------------------------------
CREATE TEMP TABLE tm_prop (sheet text, year int, ethnicity text, count float8,
    denominator float8, value float8, recent_trend text, recent_trend_reason text,
    significance float8, gradient float8);
CREATE TEMP TABLE tm_other (sheet text, year int, ethnicity text, count float8,
    denominator float8, value float8, ll float8, ul float8, recent_trend text,
    recent_trend_reason text, significance float8, gradient float8);
CREATE TEMP TABLE tm_load_prop (year int, count float8, denominator float8, value float8,
    recent_trend text, recent_trend_reason text, significance float8, gradient float8);
CREATE TEMP TABLE tm_load_prop_g (year int, ethnicity text, count float8, denominator float8,
    value float8, recent_trend text, recent_trend_reason text, significance float8, gradient float8);
CREATE TEMP TABLE tm_load_other (year int, count float8, denominator float8, value float8,
    ll float8, ul float8, recent_trend text, recent_trend_reason text, significance float8,
    gradient float8);
CREATE TEMP TABLE tm_load_other_g (year int, ethnicity text, count float8, denominator float8,
    value float8, ll float8, ul float8, recent_trend text, recent_trend_reason text,
    significance float8, gradient float8);
\copy tm_load_prop FROM 'test/data/reference-tests/phe/trend_markers_testdata_prop_trends.csv' WITH (FORMAT csv, HEADER, NULL 'NA')
INSERT INTO tm_prop SELECT 'prop_trends', year, '', count, denominator, value, recent_trend,
    recent_trend_reason, significance, gradient FROM tm_load_prop;
\copy tm_load_prop_g FROM 'test/data/reference-tests/phe/trend_markers_testdata_prop_grouped.csv' WITH (FORMAT csv, HEADER, NULL 'NA')
INSERT INTO tm_prop SELECT 'prop_grouped', * FROM tm_load_prop_g;
\copy tm_load_other FROM 'test/data/reference-tests/phe/trend_markers_testdata_other_trends.csv' WITH (FORMAT csv, HEADER, NULL 'NA')
INSERT INTO tm_other SELECT 'other_trends', year, '', count, denominator, value, ll, ul,
    recent_trend, recent_trend_reason, significance, gradient FROM tm_load_other;
TRUNCATE tm_load_other;
\copy tm_load_other FROM 'test/data/reference-tests/phe/trend_markers_testdata_other_6.csv' WITH (FORMAT csv, HEADER, NULL 'NA')
INSERT INTO tm_other SELECT 'other_6', year, '', count, denominator, value, ll, ul,
    recent_trend, recent_trend_reason, significance, gradient FROM tm_load_other;
\copy tm_load_other_g FROM 'test/data/reference-tests/phe/trend_markers_testdata_other_grouped.csv' WITH (FORMAT csv, HEADER, NULL 'NA')
INSERT INTO tm_other SELECT 'other_grouped', * FROM tm_load_other_g;

-- Proportions: numerator Count, denominator the sheet's denominator
-- column, time Year. One row per series: expected (from its last row) and
-- computed. The sheets assert Significance / Gradient for prop_trends only;
-- prop_grouped's "Other ethnic group" lacks 2015 and its 47.3463 / 0.4830
-- are what the formulas give with time 1..5 (TREND_MARKERS.md), so that
-- cell is checked below with an index time, and here with the years as
-- given (44.7368 / 0.3562).
SELECT e.sheet, e.ethnicity, e.recent_trend AS expected, e.recent_trend_reason AS expected_reason,
       (g.r).marker = e.recent_trend AS marker_ok, (g.r).reason = e.recent_trend_reason AS reason_ok,
       e.significance, round((g.r).statistic::numeric, 4) AS statistic,
       e.gradient, round((g.r).slope::numeric, 4) AS slope, (g.r).points
FROM (SELECT DISTINCT ON (sheet, ethnicity) * FROM tm_prop ORDER BY sheet, ethnicity, year DESC) e
JOIN (SELECT sheet, ethnicity, trend_marker(year, count, denominator) AS r
      FROM tm_prop GROUP BY sheet, ethnicity) g USING (sheet, ethnicity)
ORDER BY e.sheet DESC, e.ethnicity;

-- Values with 95% limits: value Value, limits LL / UL (Count and
-- Denominator are not used, as upstream). other_6 has six rows: only the
-- last five enter the test.
SELECT e.sheet, e.ethnicity, e.recent_trend AS expected, e.recent_trend_reason AS expected_reason,
       (g.r).marker = e.recent_trend AS marker_ok, (g.r).reason = e.recent_trend_reason AS reason_ok,
       e.significance, round((g.r).statistic::numeric, 4) AS statistic,
       e.gradient, round((g.r).slope::numeric, 4) AS slope, (g.r).points
FROM (SELECT DISTINCT ON (sheet, ethnicity) * FROM tm_other ORDER BY sheet, ethnicity, year DESC) e
JOIN (SELECT sheet, ethnicity, trend_marker(year, value, ll, ul) AS r
      FROM tm_other GROUP BY sheet, ethnicity) g USING (sheet, ethnicity)
ORDER BY e.sheet DESC, e.ethnicity;

-- "Other ethnic group" with the package's equally spaced index as the
-- period: 47.3463 / 0.4830 (the sheet's cell)
SELECT (r).marker, round((r).statistic::numeric, 4) AS statistic, round((r).slope::numeric, 4) AS slope
FROM (SELECT trend_marker(i::int, count, denominator) AS r
      FROM (SELECT row_number() OVER (ORDER BY year) AS i, count, denominator
            FROM tm_prop WHERE sheet = 'prop_grouped' AND ethnicity = 'Other ethnic group') s) t;

-- the result is reachable as plain columns, and the same whatever order
-- the rows come in (the final function sorts by period)
-- (full precision rounded to 10 dp here and below: the last bits may
-- differ between compilers)
SELECT marker, reason, round(slope::numeric, 10) AS slope, round(statistic::numeric, 10) AS statistic, points
FROM (SELECT (trend_marker(year, value, ll, ul ORDER BY year DESC)).*
      FROM tm_other WHERE sheet = 'other_trends') s;
SELECT marker, reason, round(slope::numeric, 10) AS slope, round(statistic::numeric, 10) AS statistic, points
FROM (SELECT (trend_marker(year, count, denominator ORDER BY count)).*
      FROM tm_prop WHERE sheet = 'prop_trends') s;

-- ---------------------------------------------------------------------
-- Derived by hand
-- ---------------------------------------------------------------------
-- Values with limits v -/+ 1.959963984540054 are sigma = 1 at 95%: an
-- unweighted least-squares fit, chi-squared = beta^2 Sxx with Sxx = 10 for
-- periods 1..5.
CREATE TEMP TABLE hand (series text, period int, v float8);
INSERT INTO hand VALUES
  -- 1,2,3,4,5: beta 1, chi2 10 > 9.5495, no single point turns it round
  ('linear', 1, 1), ('linear', 2, 2), ('linear', 3, 3), ('linear', 4, 4), ('linear', 5, 5),
  -- 10,9,8,7,30: beta = 38 / 10 = 3.8, chi2 = 3.8^2 * 10 = 144.4; without
  -- the last point 10,9,8,7 falls (beta -1): "Outlier found"
  ('outlier', 1, 10), ('outlier', 2, 9), ('outlier', 3, 8), ('outlier', 4, 7), ('outlier', 5, 30),
  -- 10,10,10,10,20: beta 2, chi2 40; without the last point the slope is 0,
  -- whose sign differs (R's sign(0) is 0): "Outlier found"
  ('flat_then_jump', 1, 10), ('flat_then_jump', 2, 10), ('flat_then_jump', 3, 10),
  ('flat_then_jump', 4, 10), ('flat_then_jump', 5, 20),
  -- 5,4,3,2,1 at periods 2019..2023: beta -1, chi2 10: "Decreasing"
  ('falling', 2019, 5), ('falling', 2020, 4), ('falling', 2021, 3), ('falling', 2022, 2),
  ('falling', 2023, 1),
  -- 1,2,1,2,1: beta 0, chi2 0
  ('zigzag', 1, 1), ('zigzag', 2, 2), ('zigzag', 3, 1), ('zigzag', 4, 2), ('zigzag', 5, 1);
SELECT series, (r).*
FROM (SELECT series, trend_marker(period, v, v - 1.959963984540054, v + 1.959963984540054) AS r
      FROM hand GROUP BY series) t
ORDER BY series;

-- Confidence: the same limits read at 90% are wider in sigma (1.959964 /
-- 1.644854 = 1.19157), chi2 = 10 * (1.644854 / 1.959964)^2 = 7.0430: no
-- longer significant; at 99% 10 * (2.575829 / 1.959964)^2 = 17.2718, at
-- 99.99% 10 * (3.890592 / 1.959964)^2 = 39.4035. 95 (percent) is 0.95.
SELECT c, (r).marker, (r).reason, round((r).statistic::numeric, 4) AS statistic
FROM (SELECT c, trend_marker(period, v, v - 1.959963984540054, v + 1.959963984540054, c) AS r
      FROM hand, (VALUES (0.9), (0.95), (95), (0.99), (0.9999)) cs(c)
      WHERE series = 'linear' GROUP BY c) t
ORDER BY c;

-- Proportions, 1000 people a period, numerators 100, 90, 80, 70, 300:
-- tbar = 3, pbar = 640 / 5000 = 0.128, sum c (t - 3) = -200 - 90 + 70 +
-- 600 = 380, sum d (t - 3)^2 = 10000: chi2 = 380^2 / (0.128 * 0.872 *
-- 10000) = 129.3721. The logit slope is +0.2427, without the last point
-- -0.1297: "Outlier found".
SELECT marker, reason, round(slope::numeric, 10) AS slope, round(statistic::numeric, 10) AS statistic, points
FROM (SELECT (trend_marker(t, n, 1000)).*
      FROM (VALUES (1, 100), (2, 90), (3, 80), (4, 70), (5, 300)) v(t, n)) s;
-- the same counts without the outlier's jump: 100, 90, 80, 70, 60 falls
-- (chi2 = (-200 - 90 + 70 + 120)^2 / (0.08 * 0.92 * 10000) = 13.5870)
SELECT (r).marker, (r).reason, round((r).statistic::numeric, 4) AS statistic, (r).slope < 0 AS falls
FROM (SELECT trend_marker(t, n, 1000) AS r
      FROM (VALUES (1, 100), (2, 90), (3, 80), (4, 70), (5, 60)) v(t, n)) s;

-- Every "Cannot be calculated" (slope and statistic NULL), in the
-- package's order: duplicates anywhere in the series, fewer than 5 points,
-- then missing values in the last five. Where R crashes (fewer than 4
-- points, 0% or 100%, a numerator above its denominator, a zero-width
-- interval) value_ext names the reason.
SELECT what, marker, reason, round(slope::numeric, 10) AS slope, round(statistic::numeric, 10) AS statistic, points
FROM (
SELECT 'duplicate outside the window' AS what, (trend_marker(t, n, 100)).*
FROM (VALUES (1, 10), (1, 11), (2, 12), (3, 13), (4, 14), (5, 15), (6, 16)) v(t, n)
UNION ALL
SELECT 'four points', (trend_marker(t, n, 100)).*
FROM (VALUES (1, 10), (2, 12), (3, 13), (4, 14)) v(t, n)
UNION ALL
SELECT 'one point', (trend_marker(t, n, 100)).*
FROM (VALUES (1, 10)) v(t, n)
UNION ALL
SELECT 'missing numerator', (trend_marker(t, n, 100)).*
FROM (VALUES (1, 10), (2, NULL), (3, 13), (4, 14), (5, 15)) v(t, n)
UNION ALL
SELECT 'missing denominator', (trend_marker(t, n, d)).*
FROM (VALUES (1, 10, 100), (2, 12, 100), (3, 13, 100), (4, 14, NULL), (5, 15, 100)) v(t, n, d)
UNION ALL
SELECT 'missing before the window', (trend_marker(t, n, 100)).*
FROM (VALUES (1, NULL), (2, 12), (3, 13), (4, 14), (5, 15), (6, 16)) v(t, n)
UNION ALL
SELECT 'a 0% proportion', (trend_marker(t, n, 100)).*
FROM (VALUES (1, 0), (2, 12), (3, 13), (4, 14), (5, 15)) v(t, n)
UNION ALL
SELECT 'a 100% proportion', (trend_marker(t, n, 100)).*
FROM (VALUES (1, 10), (2, 12), (3, 100), (4, 14), (5, 15)) v(t, n)
UNION ALL
SELECT 'numerator above denominator', (trend_marker(t, n, 100)).*
FROM (VALUES (1, 10), (2, 12), (3, 130), (4, 14), (5, 15)) v(t, n)
UNION ALL
SELECT 'missing value', (trend_marker(t, v, v - 1, v + 1)).*
FROM (VALUES (1, 10), (2, 12), (3, NULL), (4, 14), (5, 15)) v(t, v)
UNION ALL
SELECT 'missing value and limit', (trend_marker(t, v, l, v + 1)).*
FROM (VALUES (1, 10, 9), (2, 12, NULL), (3, NULL, 12), (4, 14, 13), (5, 15, 14)) v(t, v, l)
UNION ALL
SELECT 'missing upper limit', (trend_marker(t, v, v - 1, u)).*
FROM (VALUES (1, 10, 11), (2, 12, 13), (3, 13, 14), (4, 14, NULL), (5, 15, 16)) v(t, v, u)
UNION ALL
SELECT 'zero-width interval', (trend_marker(t, v, v - w, v + w)).*
FROM (VALUES (1, 10, 1), (2, 12, 1), (3, 13, 0), (4, 14, 1), (5, 15, 1)) v(t, v, w)
UNION ALL
SELECT 'duplicate and too few', (trend_marker(t, v, v - 1, v + 1)).*
FROM (VALUES (1, 10), (1, 12)) v(t, v)) s;

-- limits in either order give the same result (the package squares the width)
SELECT (trend_marker(period, v, v + 1.959963984540054, v - 1.959963984540054)).*
FROM hand WHERE series = 'linear';

-- NULL and empty: no rows give NULL; a NULL period or confidence is an error
SELECT trend_marker(t, n, d) IS NULL AS no_rows FROM (VALUES (1, 1.0, 2.0)) v(t, n, d) WHERE false;
SELECT trend_marker(t, v, l, u, 0.95) IS NULL AS no_rows
FROM (VALUES (1, 1.0, 0.0, 2.0)) v(t, v, l, u) WHERE false;
SELECT trend_marker(t, n, 100) FROM (VALUES (1, 10), (NULL, 12)) v(t, n);
SELECT trend_marker(t, v, v - 1, v + 1, NULL) FROM (VALUES (1, 10)) v(t, v);
SELECT trend_marker_final(NULL) IS NULL AS null_state;

-- Errors, with their messages
SELECT trend_marker(1, -1, 100);
SELECT trend_marker(1, 1, 0);
SELECT trend_marker(1, 'NaN', 100);
SELECT trend_marker(1, 10, 9, 'Infinity');
SELECT trend_marker(1, 10, 9, 11, 1);
SELECT trend_marker(1, 10, 9, 11, 100);
SELECT trend_marker(1, 10, 9, 11, 0.5);
SELECT trend_marker(1, 10, 9, 11, 'NaN');
SELECT trend_marker(t, 10, 9, 11, c) FROM (VALUES (1, 0.95), (2, 0.99)) v(t, c);
-- the confidence is compared as given
SELECT trend_marker(t, 10, 9, 11, c) FROM (VALUES (1, 95), (2, 0.95)) v(t, c);

-- States: text I/O, combine of two halves, and malformed states
SELECT trend_marker_trans(trend_marker_trans(NULL, 2020, 10, 100), 2021, NULL, 100);
SELECT trend_marker_trans(NULL, 2020, 10, 9, NULL, 0.9);
SELECT marker, reason, round(slope::numeric, 10) AS slope, round(statistic::numeric, 10) AS statistic, points
FROM (SELECT (trend_marker_final(trend_marker_combine(
                '1:4::3:1,100,1000,0,2,90,1000,0,3,80,1000,0'::value_list,
                '1:4::2:5,300,1000,0,4,70,1000,0'::value_list))).*) s;
SELECT trend_marker_combine(NULL, NULL) IS NULL AS both_null;
SELECT trend_marker_combine('1:4::0:'::value_list, '1:5:0.95:0:'::value_list);
SELECT trend_marker_combine('1:5:0.9:0:'::value_list, '1:5:0.95:0:'::value_list);
SELECT trend_marker_trans('1:5:0.95:0:'::value_list, 1, 10, 100);
SELECT trend_marker_final('1:3::1:1,2,3'::value_list);
SELECT trend_marker_final('1:4::1:1.5,10,100,0'::value_list);
SELECT trend_marker_final('1:4::1:1,10,100,8'::value_list);
SELECT trend_marker_final('1:4::1:1,-10,100,0'::value_list);
SELECT trend_marker_final('1:5:0.5:1:1,10,9,11,0'::value_list);
SELECT (trend_marker_final('1:5:95:1:1,10,9,11,0'::value_list)).reason;
-- a state whose missing numerator is stored as 0 with its mark
SELECT (trend_marker_final('1:4::5:1,10,100,0,2,0,100,1,3,10,100,0,4,10,100,0,5,10,100,0'::value_list)).reason;

-- huge but finite values: a number or error 22003, never NaN or Infinity
SELECT (trend_marker(t, v * 1e300, v * 1e300 - 1e300, v * 1e300 + 1e300)).marker
FROM (VALUES (1, 1.0), (2, 1.1), (3, 1.2), (4, 1.3), (5, 1.4)) x(t, v);
SELECT round((trend_marker(t, v * 1e-300, v * 1e-300 - 1e-301, v * 1e-300 + 1e-301)).statistic::numeric, 4)
FROM (VALUES (1, 1.0), (2, 1.1), (3, 1.2), (4, 1.3), (5, 1.4)) x(t, v);
SELECT trend_marker(t, 1e308, 1e-308, 1.7e308)
FROM (VALUES (1), (2), (3), (4), (5)) x(t);
SELECT trend_marker(t, v, v - 1e307, v + 1e307)
FROM (VALUES (1, -1.5e308), (2, 1.5e308), (3, -1.5e308), (4, 1.5e308), (5, -1.5e308)) x(t, v);
-- periods far apart stay exact (centred on the last period)
SELECT (r).marker, round((r).statistic::numeric, 4) AS statistic, round((r).slope::numeric, 4) AS slope
FROM (SELECT trend_marker(period + 2147483642, v, v - 1.959963984540054, v + 1.959963984540054) AS r
      FROM hand WHERE series = 'linear') t;
SELECT (r).marker, round((r).statistic::numeric, 4) AS statistic
FROM (SELECT trend_marker(p, v, v - 1.959963984540054, v + 1.959963984540054) AS r
      FROM (VALUES (-2147483648, 1), (-1, 2), (0, 3), (1, 4), (2147483647, 5)) x(p, v)) t;

-- As a window function: the marker as of each period (each frame its last
-- five), and the final function leaves the state as it was
SELECT period, (trend_marker(period, v, v - 1.959963984540054, v + 1.959963984540054)
                OVER (ORDER BY period)).marker
FROM (SELECT period, v FROM hand WHERE series = 'linear'
      UNION ALL SELECT 6, 5.5 UNION ALL SELECT 7, 2) s
ORDER BY period;

-- ---------------------------------------------------------------------
-- Forced parallel plans give the same results: 20,000 series of 6
-- monthly points stored period by period (so every worker holds part of
-- every series and the combine function merges them), and one series of
-- 100,000 points.
-- ---------------------------------------------------------------------
CREATE TEMP TABLE many AS
SELECT s AS series, p AS period,
       (100 + abs(hashint4(s * 7 + p)) % 40 + 4 * p * (s % 5 - 2))::float8 AS n,
       (1000 + abs(hashint4(s)) % 500)::float8 AS d
FROM generate_series(1, 6) p, generate_series(1, 20000) s;
CREATE TEMP TABLE long_series AS
SELECT p AS period, (1000 + p % 97 + p / 1000.0)::float8 AS v FROM generate_series(1, 100000) p;
-- temporary tables are never scanned in parallel: copy them to plain ones
CREATE TABLE trend_many AS SELECT * FROM many ORDER BY period, series;
CREATE TABLE trend_long AS SELECT * FROM long_series ORDER BY period % 7, period;
ANALYZE trend_many;
ANALYZE trend_long;
CREATE TEMP TABLE serial_result AS
SELECT series, (trend_marker(period, n, d)).*,
       (trend_marker(period, n, n * 0.9, n * 1.1 + 1, 0.99)).marker AS marker_other
FROM trend_many GROUP BY series;
CREATE TEMP TABLE serial_long AS SELECT (trend_marker(period, v, v - 2, v + 2)).* FROM trend_long;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT series, (trend_marker(period, n, d)).* FROM trend_many GROUP BY series;
EXPLAIN (COSTS OFF)
SELECT (trend_marker(period, v, v - 2, v + 2)).* FROM trend_long;
CREATE TEMP TABLE parallel_result AS
SELECT series, (trend_marker(period, n, d)).*,
       (trend_marker(period, n, n * 0.9, n * 1.1 + 1, 0.99)).marker AS marker_other
FROM trend_many GROUP BY series;
CREATE TEMP TABLE parallel_long AS SELECT (trend_marker(period, v, v - 2, v + 2)).* FROM trend_long;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
RESET enable_hashagg;
-- identical rows, bit for bit (IS DISTINCT FROM on the float8 columns)
SELECT count(*) AS series,
       count(*) FILTER (WHERE ROW(s.*) IS DISTINCT FROM ROW(p.*)) AS differ
FROM serial_result s JOIN parallel_result p USING (series);
SELECT marker, reason, count(*) FROM serial_result GROUP BY 1, 2 ORDER BY 1, 2;
SELECT ROW(s.*) IS NOT DISTINCT FROM ROW(p.*) AS same, s.marker, s.points
FROM serial_long s, parallel_long p;
DROP TABLE trend_many, trend_long;
