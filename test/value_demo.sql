-- test/value_demo.sql -- value ratios, funnels and peers on the demo place
-- (schema demo, test/demo/load.sh), each against an independent plain-SQL
-- computation of docs/methods.md sections 1, 2 and 5.
BEGIN;
SELECT plan(8);

CREATE TEMP TABLE people AS
SELECT p.person_id, p.segment, p.practice_code, p.diabetes, o.qol, o.emergency_admissions,
       c.total_cost
FROM demo.person p JOIN demo.outcome o USING (person_id) JOIN demo.person_cost c USING (person_id);

SELECT is((SELECT count(*) FROM (
    SELECT segment, value_ratio(qol, total_cost) AS r, sum(qol) / sum(total_cost) AS e
    FROM people GROUP BY segment) s WHERE abs(r - e) > 1e-12 * abs(e)),
    0::bigint, 'value_ratio by segment equals sum(qol) / sum(total_cost)');

SELECT is((SELECT count(*) FROM (
    SELECT s.segment, (s.ci).lower, (s.ci).upper,
           (b - sqrt(b * b - a * c)) / a AS e_lower, (b + sqrt(b * b - a * c)) / a AS e_upper
    FROM (SELECT segment, value_ratio_ci(qol, total_cost / 1000) AS ci,
                 avg(total_cost / 1000) ^ 2 - 1.959963984540054 ^ 2 * var_samp(total_cost / 1000) / count(*) AS a,
                 avg(qol) * avg(total_cost / 1000) - 1.959963984540054 ^ 2 * covar_samp(qol, total_cost / 1000) / count(*) AS b,
                 avg(qol) ^ 2 - 1.959963984540054 ^ 2 * var_samp(qol) / count(*) AS c
          FROM people GROUP BY segment) s) t
    WHERE abs(lower - e_lower) > 1e-10 * abs(e_lower) OR abs(upper - e_upper) > 1e-10 * abs(e_upper)),
    0::bigint, 'value_ratio_ci (qol per £1,000) by segment: Fieller bounds equal the quadratic roots');

SELECT ok((SELECT abs((r).ratio - e) < 1e-12 * e
           FROM (SELECT cohort_ratio_ci(total_cost, diabetes) AS r,
                        avg(total_cost) FILTER (WHERE diabetes) / avg(total_cost) FILTER (WHERE NOT diabetes) AS e
                 FROM people) s),
          'cohort_ratio_ci: mean cost with diabetes over mean cost without');

CREATE TEMP TABLE practices AS
SELECT practice_code, count(*)::float8 AS registered,
       count(*) FILTER (WHERE emergency_admissions > 0)::float8 AS admitted,
       sum(total_cost) / count(*) AS cost_per_person
FROM people GROUP BY practice_code;
CREATE TEMP TABLE model AS SELECT funnel_fit(admitted, registered) AS m FROM practices;

SELECT is((SELECT (m).units FROM model), (SELECT count(*) FROM demo.practice WHERE practice_code IN (SELECT practice_code FROM people)),
          'the practice funnel has one unit per practice with registered people');
-- phi by hand: arcsine z against the pooled proportion, winsorised at the
-- 10th / 90th percentiles (percentile_cont = R type 7)
SELECT ok((SELECT abs((SELECT (m).phi FROM model) - avg(least(greatest(z, lo), hi) ^ 2)) < 1e-12
           FROM (SELECT (asin(sqrt(admitted / registered)) - asin(sqrt(t))) * 2 * sqrt(registered) AS z
                 FROM practices, (SELECT sum(admitted) / sum(registered) AS t FROM practices) p) zz,
                (SELECT percentile_cont(0.1) WITHIN GROUP (ORDER BY z) AS lo, percentile_cont(0.9) WITHIN GROUP (ORDER BY z) AS hi
                 FROM (SELECT (asin(sqrt(admitted / registered)) - asin(sqrt(t))) * 2 * sqrt(registered) AS z
                       FROM practices, (SELECT sum(admitted) / sum(registered) AS t FROM practices) p) z2) q),
          'practice funnel phi equals the winsorised mean square of the arcsine z');
SELECT is((SELECT count(*) FROM practices, model
           WHERE funnel_flag(admitted, registered, m) <> CASE
                 WHEN admitted / registered > funnel_limit(registered, m, 0.998, true) THEN 'high'
                 WHEN admitted / registered < funnel_limit(registered, m, 0.998, false) THEN 'low'
                 ELSE 'within' END),
          0::bigint, 'practice flags agree with the 99.8% limits');

SELECT is((SELECT count(*) FROM (
    SELECT peer_zscore(cost_per_person) OVER () AS z,
           (cost_per_person - (sum(cost_per_person) OVER () - cost_per_person) / (count(*) OVER () - 1))
           / sqrt(((sum(cost_per_person ^ 2) OVER () - cost_per_person ^ 2)
                   - (sum(cost_per_person) OVER () - cost_per_person) ^ 2 / (count(*) OVER () - 1))
                  / (count(*) OVER () - 2)) AS e
    FROM practices) s WHERE abs(z - e) > 1e-9 * greatest(1, abs(e))),
    0::bigint, 'peer_zscore of practice cost per person equals the leave-one-out formula');

SELECT ok((SELECT abs(sum(opportunity(cost_per_person, b, registered)) - sum(greatest(0, cost_per_person - b) * registered)) < 1e-6
           FROM practices, (SELECT peer_benchmark(cost_per_person) AS b FROM practices) bb),
          'opportunity against the best-5 benchmark sums to the SQL formula');

SELECT * FROM finish();
ROLLBACK;
