-- test/demo/report/45_spc.sql -- change over time: the place's weekly
-- emergency admissions as an SPC chart (spc_chart, spc_points, spc_summary)
\echo '== SPC: weekly emergency admissions (XmR, rebased 7 October 2024, fewer is better)'
CREATE TEMP TABLE weekly_admissions AS
SELECT date_trunc('week', activity_date)::date AS week, count(*)::float8 AS admissions
FROM demo.activity
WHERE setting = 'Non-elective' AND activity_date < date '2025-03-31'
GROUP BY 1;
CREATE TEMP TABLE admissions_chart AS
SELECT spc_chart(week, admissions, week = date '2024-10-07') AS chart FROM weekly_admissions;
SELECT s.points, s.segments, s.period_date AS last_week, s.value AS last_value,
       round(s.centre::numeric, 1) AS centre, round(s.lower_limit::numeric, 1) AS lower_limit,
       round(s.upper_limit::numeric, 1) AS upper_limit, s.variation, s.special_cause_points,
       s.assurance
FROM admissions_chart c, spc_summary(c.chart, 'decrease', target => 400) s;
SELECT p.segment, min(p.period_date) AS from_week, count(*) AS weeks,
       round(min(p.centre)::numeric, 1) AS centre, round(min(p.lower_limit)::numeric, 1) AS lower_limit,
       round(min(p.upper_limit)::numeric, 1) AS upper_limit,
       count(p.rule) AS special_cause_weeks
FROM admissions_chart c, spc_points(c.chart, 'decrease') p GROUP BY 1 ORDER BY 1;
SELECT p.period_date AS week, p.value AS admissions, p.rule, p.point_type
FROM admissions_chart c, spc_points(c.chart, 'decrease') p
WHERE p.rule IS NOT NULL ORDER BY 1;

-- Draw it (gnuplot): the weeks, centre, process and near limits per segment.
\! mkdir -p test/demo/out
\copy (SELECT p.period_date, p.value, p.centre, p.lower_limit, p.upper_limit, p.lower_near, p.upper_near, p.point_type FROM admissions_chart c, spc_points(c.chart, 'decrease') p ORDER BY 1) TO 'test/demo/out/spc_points.tsv' WITH (FORMAT csv, DELIMITER E'\t')
\! if command -v gnuplot >/dev/null; then gnuplot test/demo/report/45_spc.gp && echo "SPC chart: $(pwd)/test/demo/out/spc.svg"; else echo "SPC chart: gnuplot is not installed (bash test/bootstrap.sh installs gnuplot-nox)"; fi
