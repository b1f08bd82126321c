-- test/demo/report/00_place.sql -- the demo place's headline tables.
-- Plain SQL over schema demo (built by test/demo/load.sh); run by make demo.
\pset null ''
\echo
\echo '== The demo place: Sunderland (sub-ICB 00P), 2024/25, synthetic people at real practices and postcodes'
SELECT (SELECT count(*) FROM demo.person) AS people,
       (SELECT count(*) FROM demo.practice) AS practices,
       (SELECT count(DISTINCT lsoa11_code) FROM demo.person) AS lsoas,
       (SELECT count(DISTINCT postcode) FROM demo.person) AS postcodes,
       (SELECT count(*) FROM demo.activity) AS activity_rows,
       (SELECT round((sum(total_cost) / 1e6)::numeric, 1) FROM demo.person_cost) AS cost_m,
       (SELECT seed FROM demo.parameters) AS seed,
       (SELECT scale FROM demo.parameters) AS scale;

\echo
\echo '== Population by segment and IMD 2019 decile (1 = most deprived), people'
SELECT coalesce(segment, 'All') AS segment,
       count(*) FILTER (WHERE imd_decile = 1) AS "1", count(*) FILTER (WHERE imd_decile = 2) AS "2",
       count(*) FILTER (WHERE imd_decile = 3) AS "3", count(*) FILTER (WHERE imd_decile = 4) AS "4",
       count(*) FILTER (WHERE imd_decile = 5) AS "5", count(*) FILTER (WHERE imd_decile = 6) AS "6",
       count(*) FILTER (WHERE imd_decile = 7) AS "7", count(*) FILTER (WHERE imd_decile = 8) AS "8",
       count(*) FILTER (WHERE imd_decile = 9) AS "9", count(*) FILTER (WHERE imd_decile = 10) AS "10",
       count(*) AS total
FROM demo.person
GROUP BY ROLLUP (segment)
ORDER BY grouping(segment), array_position(ARRAY['Healthy well', 'Maternity', 'Long-term conditions',
         'Disability', 'Cancer', 'Frailty and dementia', 'End of life'], segment);

\echo
\echo '== Cost by setting (NCC 2024/25 unit costs)'
WITH s AS (
    SELECT setting, count(*) AS activities, count(DISTINCT person_id) AS people, sum(cost) AS cost
    FROM demo.activity GROUP BY setting
)
SELECT setting, activities, people,
       round(cost / 1e6, 2) AS cost_m,
       round(cost / (SELECT count(*) FROM demo.person), 2) AS cost_per_registered,
       round(cost / people, 2) AS cost_per_user,
       round(100 * cost / sum(cost) OVER (), 1) AS share_pct
FROM s
ORDER BY cost DESC;

\echo
\echo '== Cost by segment'
WITH s AS (
    SELECT p.segment, count(*) AS people, sum(c.total_cost) AS cost
    FROM demo.person p JOIN demo.person_cost c USING (person_id) GROUP BY p.segment
)
SELECT segment, people,
       round(100.0 * people / sum(people) OVER (), 1) AS people_pct,
       round((cost / 1e6)::numeric, 2) AS cost_m,
       round((cost / people)::numeric, 0) AS cost_per_person,
       round((100 * cost / sum(cost) OVER ())::numeric, 1) AS cost_share_pct
FROM s
ORDER BY array_position(ARRAY['Healthy well', 'Maternity', 'Long-term conditions', 'Disability',
                              'Cancer', 'Frailty and dementia', 'End of life'], segment);

\echo
\echo '== Concentration: share of the total cost held by the costliest people'
WITH r AS (
    SELECT total_cost, row_number() OVER (ORDER BY total_cost DESC, person_id) AS rn,
           count(*) OVER () AS n
    FROM demo.person_cost
)
SELECT round((100 * sum(total_cost) FILTER (WHERE rn <= 0.01 * n) / sum(total_cost))::numeric, 1) AS top_1_pct,
       round((100 * sum(total_cost) FILTER (WHERE rn <= 0.05 * n) / sum(total_cost))::numeric, 1) AS top_5_pct,
       round((100 * sum(total_cost) FILTER (WHERE rn <= 0.20 * n) / sum(total_cost))::numeric, 1) AS top_20_pct,
       round((100.0 * count(*) FILTER (WHERE total_cost = 0) / count(*))::numeric, 1) AS no_cost_pct
FROM r;
