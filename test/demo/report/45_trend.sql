-- test/demo/report/45_trend.sql -- Fingertips recent-trend markers (value_ext
-- 61_trend) for the practices' monthly emergency admission rates: each
-- practice's rate per 1,000 registered, month by month over 2024/25 with
-- its Poisson limits (rate_ci), judged on the last five months, and the
-- monthly share of the list with an A&E attendance as a proportion.
\pset null '-'

\echo
\echo '== Change over time: recent-trend markers of the practices'' monthly rates (value_ext 61_trend)'
\echo

-- every practice in every month, so that a month without admissions is a
-- zero, not a gap that would shift the window of the last five months
CREATE TEMP TABLE tr_month AS
SELECT pr.practice_code, pr.registered,
       -- months counted from year 0, so December to January is one step
       (extract(year FROM m.month) * 12 + extract(month FROM m.month))::int AS period,
       to_char(m.month, 'YYYY-MM') AS month,
       coalesce(a.admissions, 0) AS admissions, coalesce(a.ae_people, 0) AS ae_people
FROM demo.practice pr
CROSS JOIN generate_series(date '2024-04-01', date '2025-03-01', interval '1 month') m(month)
LEFT JOIN (SELECT p.practice_code, date_trunc('month', a.activity_date) AS month,
                  count(*) FILTER (WHERE a.setting = 'Non-elective') AS admissions,
                  count(DISTINCT a.person_id) FILTER (WHERE a.setting = 'A&E') AS ae_people
           FROM demo.activity a JOIN demo.person p USING (person_id)
           GROUP BY 1, 2) a ON a.practice_code = pr.practice_code AND a.month = m.month
WHERE pr.registered > 0;

CREATE TEMP TABLE tr_practice AS
SELECT m.practice_code, m.registered,
       trend_marker(m.period, (m.r).value, (m.r).lower, (m.r).upper) AS rate_trend,
       trend_marker(m.period, m.ae_people::float8, m.registered::float8) AS ae_trend
FROM (SELECT t.*, rate_ci(t.admissions, t.registered, 0.95, 1000) AS r FROM tr_month t) m
GROUP BY m.practice_code, m.registered;

\echo 'Recent trend of each practice''s monthly emergency admissions per 1,000 registered (weighted'
\echo 'regression on the last five months, limits from rate_ci), and of the monthly share of its list'
\echo 'attending A&E (chi-squared trend test on the counts). Fingertips marks yearly series; months'
\echo 'are used here because the place has one year of activity:'
SELECT (rate_trend).marker AS admissions_trend, (ae_trend).marker AS ae_trend,
       (ae_trend).reason AS ae_reason, count(*) AS practices
FROM tr_practice GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

\echo
\echo 'The practices with the strongest evidence of change in admissions (largest chi-squared):'
SELECT practice_code, registered, (rate_trend).marker, (rate_trend).reason,
       round((rate_trend).slope::numeric, 3) AS per_1000_per_month,
       round((rate_trend).statistic::numeric, 2) AS chi_squared, (rate_trend).points AS months
FROM tr_practice
ORDER BY (rate_trend).statistic DESC NULLS LAST, practice_code LIMIT 5;

\echo
\echo 'As a window function, the marker as of each month for the practice at the top of the list:'
SELECT month, admissions, round(rate::numeric, 3) AS per_1000,
       (trend_marker(period, rate, lower, upper) OVER (ORDER BY period)).marker AS trend_so_far
FROM (SELECT t.month, t.period, t.admissions, (rate_ci(t.admissions, t.registered, 0.95, 1000)).*
      FROM tr_month t
      WHERE t.practice_code = (SELECT practice_code FROM tr_practice
                               ORDER BY (rate_trend).statistic DESC NULLS LAST, practice_code LIMIT 1)) s
     (month, period, admissions, rate, lower, upper, method)
ORDER BY period;
