-- test/demo/report/30_value.sql -- value ratios, funnel plot, peer z-scores
-- and opportunities for the demo place (README "Value ratios and peer
-- variation"). Run by `make demo` from the repository root.
\echo
\echo '== Value: quality of life bought per £1,000, by segment (value_ratio_ci, 95% Fieller)'
-- the composite's fields as plain columns: (ci).field
SELECT segment, (ci).n AS people, round((ci).ratio::numeric, 4) AS qol_per_1000,
       round((ci).lower::numeric, 4) AS lower95, round((ci).upper::numeric, 4) AS upper95,
       (ci).status
FROM (SELECT p.segment, value_ratio_ci(o.qol, c.total_cost / 1000) AS ci
      FROM demo.person p JOIN demo.outcome o USING (person_id) JOIN demo.person_cost c USING (person_id)
      GROUP BY p.segment) s
ORDER BY (ci).ratio DESC;

\echo '== Cohorts: cost of people with a condition against everyone else (cohort_ratio_ci)'
SELECT cohort, round((r).ratio::numeric, 2) AS cost_ratio, round((r).lower::numeric, 2) AS lower95,
       round((r).upper::numeric, 2) AS upper95, (r).n_cohort, (r).n_rest
FROM (SELECT 'diabetes' AS cohort, cohort_ratio_ci(c.total_cost, p.diabetes) AS r
      FROM demo.person p JOIN demo.person_cost c USING (person_id)
      UNION ALL
      SELECT 'COPD', cohort_ratio_ci(c.total_cost, p.copd)
      FROM demo.person p JOIN demo.person_cost c USING (person_id)
      UNION ALL
      SELECT 'dementia', cohort_ratio_ci(c.total_cost, p.dementia)
      FROM demo.person p JOIN demo.person_cost c USING (person_id)) s
ORDER BY 2 DESC;

-- Practice-level facts used below: list size, people with at least one
-- emergency admission, cost per person.
CREATE TEMP TABLE practice_facts AS
SELECT p.practice_code, pr.practice_name, count(*) AS registered,
       count(*) FILTER (WHERE o.emergency_admissions > 0) AS admitted,
       sum(c.total_cost) / count(*) AS cost_per_person
FROM demo.person p
JOIN demo.outcome o USING (person_id)
JOIN demo.person_cost c USING (person_id)
JOIN demo.practice pr USING (practice_code)
GROUP BY p.practice_code, pr.practice_name;

\echo '== Funnel: share of registered people with an emergency admission (proportion, additive, winsorised)'
CREATE TEMP TABLE practice_funnel AS
SELECT funnel_fit(admitted, registered) AS model FROM practice_facts;
SELECT (model).data_type, (model).adjustment, round((model).target::numeric, 4) AS target,
       round((model).phi::numeric, 2) AS phi, round((model).tau2::numeric, 6) AS tau2,
       (model).units, (model).units_used
FROM practice_funnel;
SELECT f.practice_code, f.practice_name, f.registered, f.admitted,
       round(100.0 * f.admitted / f.registered, 1) AS pct,
       round(funnel_z(f.admitted, f.registered, m.model)::numeric, 2) AS z_adjusted,
       funnel_flag(f.admitted, f.registered, m.model, 0.95) AS flag95,
       funnel_flag(f.admitted, f.registered, m.model) AS flag998
FROM practice_facts f, practice_funnel m
WHERE funnel_flag(f.admitted, f.registered, m.model, 0.95) <> 'within'
ORDER BY z_adjusted DESC;
SELECT funnel_flag(f.admitted, f.registered, m.model, 0.95) AS flag95, count(*) AS practices
FROM practice_facts f, practice_funnel m GROUP BY 1 ORDER BY 1;

-- Draw it: limits from funnel_limits, practices as points (gnuplot).
\! mkdir -p test/demo/out
\copy (SELECT l.denominator, 100 * l.lower95, 100 * l.upper95, 100 * l.lower998, 100 * l.upper998, 100 * (m.model).target FROM practice_funnel m, funnel_limits(m.model, (SELECT greatest(1, min(registered)) FROM practice_facts), (SELECT max(registered) * 1.05 FROM practice_facts), 200) l) TO 'test/demo/out/funnel_limits.tsv' WITH (FORMAT csv, DELIMITER E'\t')
\copy (SELECT f.registered, 100.0 * f.admitted / f.registered, funnel_flag(f.admitted, f.registered, m.model, 0.95), f.practice_code FROM practice_facts f, practice_funnel m ORDER BY 1) TO 'test/demo/out/funnel_points.tsv' WITH (FORMAT csv, DELIMITER E'\t')
\! if command -v gnuplot >/dev/null; then gnuplot test/demo/report/30_value_funnel.gp && echo "funnel chart: $(pwd)/test/demo/out/funnel.svg"; else echo "funnel chart: gnuplot is not installed (bash test/bootstrap.sh installs gnuplot-nox)"; fi

\echo '== Similar 10: each practice''s nearest practices (RightCare method: list size, mean IMD 2019 score, % aged 18-39, 65-84, 85+)'
-- The RightCare "Similar 10" method over the place's practices (README
-- "Similar peers"): features capped at mean + 5 SD, square-rooted and
-- standardised, equal weights; ties at the 10th distance are all kept.
CREATE TEMP TABLE practice_profile AS
SELECT p.practice_code,
       ARRAY[count(*), avg(imd_score(p.lsoa11_code)),
             100.0 * avg((p.age BETWEEN 18 AND 39)::int), 100.0 * avg((p.age BETWEEN 65 AND 84)::int),
             100.0 * avg((p.age >= 85)::int)]::float8[] AS features
FROM demo.person p GROUP BY p.practice_code;
CREATE TEMP TABLE similar10 AS
SELECT * FROM nearest_peers((SELECT peer_space(practice_code, features) FROM practice_profile), 10);
SELECT count(DISTINCT unit) AS practices, min(n) AS fewest_peers, max(n) AS most_peers,
       count(*) FILTER (WHERE n > 10) AS practices_with_ties
FROM (SELECT unit, count(*) AS n FROM similar10 GROUP BY unit) x;
SELECT s.unit AS practice_code, s.peer, s.peer_rank, round(s.distance::numeric, 3) AS distance, s.tied,
       round(pp.features[1]) AS list_size, round(pp.features[2]::numeric, 1) AS imd_score,
       round(pp.features[4]::numeric, 1) AS pct_65_84
FROM similar10 s JOIN practice_profile pp ON pp.practice_code = s.peer
WHERE s.unit = (SELECT min(practice_code) FROM practice_profile)
ORDER BY s.peer_rank, s.peer;

\echo '== Peers: cost per person against each practice''s similar 10 (peer_zscore)'
-- peer_zscore scores each row against the other rows of its partition, so a
-- partition of one practice and its similar 10 scores the practice against
-- its peers alone (the peers' own rows in it are not kept).
CREATE TEMP TABLE practice_z AS
SELECT practice_code, practice_name, peers, registered, round(cost_per_person::numeric, 0) AS cost_per_person, z, z_robust
FROM (SELECT g.unit, g.member, f.practice_code, f.practice_name, f.registered, f.cost_per_person,
             count(*) OVER w - 1 AS peers,
             peer_zscore(f.cost_per_person) OVER w AS z, peer_zscore(f.cost_per_person, 'robust') OVER w AS z_robust
      FROM (SELECT unit, peer AS member FROM similar10
            UNION ALL SELECT DISTINCT unit, unit FROM similar10) g
      JOIN practice_facts f ON f.practice_code = g.member
      WINDOW w AS (PARTITION BY g.unit)) x
WHERE member = unit;
(SELECT 'highest' AS tail, practice_code, practice_name, peers, registered, cost_per_person,
        round(z::numeric, 2) AS z, round(z_robust::numeric, 2) AS z_robust
 FROM practice_z WHERE z IS NOT NULL ORDER BY z DESC LIMIT 5)
UNION ALL
(SELECT 'lowest', practice_code, practice_name, peers, registered, cost_per_person,
        round(z::numeric, 2), round(z_robust::numeric, 2)
 FROM practice_z WHERE z IS NOT NULL ORDER BY z LIMIT 5);

\echo '== Opportunity: the ten largest, at the mean of the best 5 of each practice''s similar 10 (cost per person, £ a year)'
CREATE TEMP TABLE similar10_best5 AS
SELECT s.unit AS practice_code, count(*) AS peers, peer_benchmark(f.cost_per_person, 5) AS best5
FROM similar10 s JOIN practice_facts f ON f.practice_code = s.peer
GROUP BY s.unit;
SELECT f.practice_code, f.practice_name, b.peers, f.registered,
       round(f.cost_per_person::numeric, 0) AS cost_per_person,
       round(b.best5::numeric, 0) AS best5_of_similar10,
       round(opportunity(f.cost_per_person, b.best5, f.registered)::numeric, -3) AS opportunity_gbp
FROM practice_facts f JOIN similar10_best5 b USING (practice_code)
ORDER BY opportunity(f.cost_per_person, b.best5, f.registered) DESC
LIMIT 10;
SELECT round(sum(opportunity(f.cost_per_person, b.best5, f.registered))::numeric, -3) AS total_opportunity_gbp,
       round(sum(f.cost_per_person * f.registered)::numeric, -3) AS total_cost_gbp
FROM practice_facts f JOIN similar10_best5 b USING (practice_code);
