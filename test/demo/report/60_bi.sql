-- test/demo/report/60_bi.sql -- the Power BI views of the demo place (schema bi,
-- test/demo/bi_views.sql): what each holds, then a sample of each. These are
-- the views test/odbc/run.sh reads through psqlODBC.
\echo
\echo '== Power BI views (schema bi): plain typed columns for ODBC'
SELECT c.relname AS view,
       (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0) AS columns,
       obj_description(c.oid, 'pg_class') AS holds
FROM pg_class c WHERE c.relnamespace = 'bi'::regnamespace AND c.relkind IN ('v', 'm')
ORDER BY 1;

\echo
\echo '-- bi.cost_by_segment'
SELECT * FROM bi.cost_by_segment ORDER BY cost_per_head DESC;
\echo
\echo '-- bi.deprivation_gradient (decile 1 = most deprived)'
SELECT imd_decile, core20, people, total_cost, cost_per_head, round(cost_index::numeric, 3) AS cost_index,
       round(admissions_per_1000::numeric, 1) AS admissions_per_1000,
       round(standardised_per_1000::numeric, 1) AS standardised_per_1000,
       round(standardised_per_1000_lower95::numeric, 1) AS lower95,
       round(standardised_per_1000_upper95::numeric, 1) AS upper95
FROM bi.deprivation_gradient ORDER BY imd_decile;
\echo
\echo '-- bi.practice_funnel (the five practices furthest from the target)'
SELECT practice_code, practice_name, people, admitted, round(admitted_share::numeric, 4) AS share,
       round(z::numeric, 2) AS z, above_998, below_998, cost_per_head,
       round(cost_per_head_z::numeric, 2) AS cost_z
FROM bi.practice_funnel ORDER BY abs(z) DESC, practice_code LIMIT 5;
\echo
\echo '-- bi.funnel_limits (every 20th of 100 rows)'
SELECT round(denominator::numeric, 1) AS denominator, round(lower95::numeric, 4) AS lower95,
       round(upper95::numeric, 4) AS upper95, round(lower998::numeric, 4) AS lower998,
       round(upper998::numeric, 4) AS upper998
FROM (SELECT *, row_number() OVER (ORDER BY denominator) AS i FROM bi.funnel_limits) l
WHERE i % 20 = 1 OR i = 100 ORDER BY denominator;
\echo
\echo '-- bi.value_ratios (quality of life per 1,000 pounds)'
SELECT segment, people, round(total_qol::numeric, 1) AS total_qol, total_cost,
       round(qol_per_1000::numeric, 3) AS qol_per_1000, round(qol_per_1000_lower95::numeric, 3) AS lower95,
       round(qol_per_1000_upper95::numeric, 3) AS upper95, interval_status
FROM bi.value_ratios ORDER BY qol_per_1000 DESC;
\echo
\echo '-- bi.cost_lorenz (every other point)'
SELECT round(population_share::numeric, 2) AS population_share, round(cost_share::numeric, 4) AS cost_share
FROM bi.cost_lorenz WHERE round(population_share * 20)::int % 2 = 0 ORDER BY population_share;
\echo
\echo '-- bi.deprivation_inequality'
SELECT measure, round(sii::numeric) AS sii, round(sii_lower::numeric) AS sii_lower,
       round(sii_upper::numeric) AS sii_upper, round(rii::numeric, 2) AS rii,
       round(rii_lower::numeric, 2) AS rii_lower, round(rii_upper::numeric, 2) AS rii_upper,
       round(concentration_index::numeric, 4) AS concentration_index
FROM bi.deprivation_inequality ORDER BY measure DESC;
\echo
\echo '-- bi.life_expectancy_by_quintile'
SELECT imd_quintile, people, deaths, round(at_birth::numeric, 1) AS at_birth,
       round(at_birth_lower95::numeric, 1) AS lower95, round(at_birth_upper95::numeric, 1) AS upper95,
       round(at_65::numeric, 1) AS at_65, published
FROM bi.life_expectancy_by_quintile ORDER BY imd_quintile;
\echo
\echo '-- bi.published_practice_segment (suppressed cells of the three smallest practices)'
SELECT b.practice_code, b.segment, b.people, b.people_label, b.deaths, b.deaths_label, b.deaths_percent, b.suppressed
FROM bi.published_practice_segment b
WHERE b.suppressed = 1
  AND b.practice_code IN (SELECT practice_code FROM bi.practice_funnel ORDER BY people, practice_code LIMIT 3)
ORDER BY b.practice_code, b.segment;
\echo
\echo '-- bi.similar_peers (the similar 10 peer sets; peer_count > 10 only when the 10th distance is tied)'
SELECT peer_set, count(DISTINCT unit_code) AS units, count(*) AS unit_peer_rows,
       min(peer_count) AS fewest_peers, max(peer_count) AS most_peers, sum(tied) AS tied_rows,
       round(avg(same_icb)::numeric, 3) AS share_in_same_icb
FROM bi.similar_peers GROUP BY peer_set ORDER BY peer_set;
SELECT unit_code, unit_area, peer_rank, peer_code, peer_area, round(distance::numeric, 4) AS distance,
       tied, peer_count, same_icb
FROM bi.similar_peers WHERE peer_set = 'sub-ICB location' AND unit_code = '00P' AND peer_rank <= 3
ORDER BY peer_rank, peer_code;
\echo
\echo '-- bi.practice_opportunity (materialised, best 5 of the similar 10; the five largest opportunities)'
SELECT * FROM bi.practice_opportunity ORDER BY opportunity DESC, practice_code LIMIT 5;

\echo '-- bi.spc_points (the first weeks of each segment)'
SELECT week, segment, admissions, round(centre::numeric, 1) AS centre,
       round(lower_limit::numeric, 1) AS lower_limit, round(upper_limit::numeric, 1) AS upper_limit,
       special_cause, point_type
FROM bi.spc_points WHERE point IN (1, 2, 28, 29) ORDER BY week;
