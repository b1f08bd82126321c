-- test/demo/report/20_concentration.sql -- where the money goes: cost by
-- segment with subtotals, the "x% of people account for y% of cost"
-- headline, the costliest people, and cost by GP practice. Person-level
-- costs from demo.person_cost (one row per registered person, zeros
-- included); every figure comes from one pass of value_ext's exact
-- aggregates (top_share, gini, cost_profile, lorenz_curve).
\pset null ''

\echo
\echo '== Cost concentration: where the money goes (value_ext 20_concentration)'
\echo

\echo 'Headline'
WITH place AS (
    SELECT cost_profile(total_cost) AS p, array_agg(total_cost) AS costs FROM demo.person_cost
), half AS (
    -- the smallest share of people (to 0.1%) whose costs reach half the total:
    -- 1 - p where the Lorenz curve L(p) first passes 0.5
    SELECT 1 - max(l.population_share) AS people_share
    FROM place, lorenz_curve(place.costs, 1000) l WHERE l.cost_share <= 0.5
)
SELECT format('%s people, total cost £%s (£%s per person; median £%s, 90th centile £%s).',
              to_char((p).persons, 'FM999,999,999'), to_char((p).total, 'FM999,999,999,990'),
              to_char((p).mean, 'FM999,990'), to_char((p).median, 'FM999,990'),
              to_char((p).p90, 'FM999,990')) AS headline
FROM place
UNION ALL
SELECT format('The costliest %s%% of people account for %s%% of cost.', pct,
              to_char(100 * share, 'FM990.0'))
FROM place, LATERAL (VALUES (1, (p).top1_share), (5, (p).top5_share), (20, (p).top20_share)) v(pct, share)
UNION ALL
SELECT format('Half of all cost is accounted for by %s%% of people; Gini coefficient %s.',
              to_char(100 * half.people_share, 'FM990.0'), to_char((p).gini, 'FM0.000'))
FROM place, half;

\echo
\echo 'Cost by segment and deprivation (Core20 = national IMD deciles 1-2), with subtotals'
SELECT CASE WHEN g_seg = 1 THEN 'All segments' ELSE segment END AS segment,
       CASE WHEN g_dep = 1 THEN 'all' ELSE deprivation END AS deprivation,
       (p).persons,
       round((p).total::numeric, 0) AS total_cost,
       round((p).mean::numeric, 0) AS cost_per_person,
       round((100 * (p).total / sum((p).total) FILTER (WHERE g_seg = 1) OVER ())::numeric, 1) AS pct_of_cost,
       round(100.0 * (p).persons / sum((p).persons) FILTER (WHERE g_seg = 1) OVER (), 1) AS pct_of_people,
       round(100 * (p).top20_share::numeric, 1) AS top20_pct,
       round((p).gini::numeric, 3) AS gini
FROM (SELECT pe.segment,
             CASE WHEN pe.imd_decile <= 2 THEN 'Core20' ELSE 'IMD 3-10' END AS deprivation,
             GROUPING(pe.segment) AS g_seg,
             GROUPING(CASE WHEN pe.imd_decile <= 2 THEN 'Core20' ELSE 'IMD 3-10' END) AS g_dep,
             cost_profile(pc.total_cost) AS p
      FROM demo.person_cost pc JOIN demo.person pe USING (person_id)
      GROUP BY ROLLUP (pe.segment, 2)) s  -- 2: the deprivation column
-- segments by cost per person, each subtotal above its two rows; the place last
ORDER BY g_seg, max((p).mean) FILTER (WHERE g_dep = 1) OVER (PARTITION BY segment) DESC,
         g_dep DESC, deprivation;

\echo
\echo 'Lorenz curve of the place (deciles of people, cheapest first; for charting)'
SELECT round(population_share::numeric, 1) AS people_share,
       round(cost_share::numeric, 4) AS cost_share
FROM lorenz_curve((SELECT array_agg(total_cost) FROM demo.person_cost), 10);

\echo
\echo 'The 20 costliest people, with their cost by setting (£)'
SELECT pc.person_id, pe.segment, pe.age, pe.sex, pe.imd_decile AS imd, pe.practice_code AS practice,
       round(pc.total_cost) AS total, round(pc.elective) AS elective, round(pc.non_elective) AS non_elective,
       round(pc.outpatient) AS outpatient, round(pc.ae) AS "a&e", round(pc.community) AS community,
       round(pc.mental_health) AS mental_health, round(pc.ambulance) AS ambulance,
       round(pc.primary_care) AS primary_care
FROM demo.person_cost pc JOIN demo.person pe USING (person_id)
ORDER BY pc.total_cost DESC, pc.person_id
LIMIT 20;

\echo
\echo 'Cost by GP practice: the 15 practices with the highest cost per registered person'
SELECT practice_code, practice_name, (p).persons,
       round((p).total::numeric, 0) AS total_cost,
       round((p).mean::numeric, 0) AS cost_per_person,
       round((p).median::numeric, 0) AS median,
       round((p).p90::numeric, 0) AS p90,
       round(100 * (p).top20_share::numeric, 1) AS top20_pct,
       round((p).gini::numeric, 3) AS gini
FROM (SELECT pe.practice_code, cost_profile(pc.total_cost) AS p
      FROM demo.person_cost pc JOIN demo.person pe USING (person_id)
      GROUP BY pe.practice_code) s
JOIN demo.practice USING (practice_code)
ORDER BY (p).mean DESC, practice_code
LIMIT 15;

\echo
\echo 'Spread between practices (practices with at least 1,000 registered people)'
SELECT count(*) AS practices,
       round(min((p).mean)::numeric, 0) AS lowest_cost_per_person,
       round(max((p).mean)::numeric, 0) AS highest_cost_per_person,
       round(min((p).gini)::numeric, 3) AS lowest_gini,
       round(max((p).gini)::numeric, 3) AS highest_gini,
       round((gini((p).mean))::numeric, 3) AS gini_of_practice_means
FROM (SELECT pe.practice_code, cost_profile(pc.total_cost) AS p
      FROM demo.person_cost pc JOIN demo.person pe USING (person_id)
      GROUP BY pe.practice_code HAVING count(*) >= 1000) s;
