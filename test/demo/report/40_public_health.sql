-- test/demo/report/40_public_health.sql -- public-health indicators the way
-- OHID/Fingertips computes them (PHEindicatormethods methods, value_ext 40-45):
-- the age-standardised emergency admission rate by IMD decile with its slope
-- and relative index of inequality, practices grouped into deprivation
-- quintiles, the concentration index, and life expectancy by deprivation
-- quintile (with PHE's validity rules deciding what can be shown).
\pset null '-'

\echo
\echo '== Public health: admissions and life expectancy by deprivation (value_ext 40_public_health)'
\echo

\echo 'Emergency admissions per 100,000, directly age-standardised to the 2013 European Standard'
\echo 'Population (19 bands; dsr: Dobson limits on Byar''s), and the crude rate, by IMD 2019 decile'
\echo '(1 = most deprived):'
CREATE TEMP TABLE ph_decile AS
WITH bands AS (
    SELECT p.imd_decile, p.age_band, sum(o.emergency_admissions)::float8 AS admissions,
           count(*)::float8 AS people
    FROM demo.person p JOIN demo.outcome o USING (person_id)
    GROUP BY p.imd_decile, p.age_band
)
SELECT b.imd_decile, dsr(b.admissions, b.people, e.esp2013_population) AS d,
       crude_rate(b.admissions, b.people) AS c
FROM bands b JOIN esp2013 e USING (age_band)
GROUP BY b.imd_decile;

SELECT imd_decile AS decile, to_char((d).population, 'FM999,990') AS people,
       to_char((d).events, 'FM999,990') AS admissions,
       to_char((c).value, 'FM99,990') AS crude_rate,
       to_char((d).value, 'FM99,990') AS dsr,
       to_char((d).lower, 'FM99,990') || ' - ' || to_char((d).upper, 'FM99,990') AS dsr_95pct_ci
FROM ph_decile ORDER BY imd_decile;

\echo
\echo 'Slope and relative index of inequality of the age-standardised rate across the deciles'
\echo '(sii: deciles weighted by population, limits from 100,000 seeded simulations on the log'
\echo 'scale; multiplier -1 so that a positive SII means higher admissions in deprived areas):'
SELECT to_char(sii, 'FM99,990') || ' per 100,000' AS sii,
       to_char(sii_lower, 'FM99,990') || ' - ' || to_char(sii_upper, 'FM99,990') AS sii_95pct_ci,
       to_char(rii, 'FM0.00') AS rii,
       to_char(rii_lower, 'FM0.00') || ' - ' || to_char(rii_upper, 'FM0.00') AS rii_95pct_ci,
       format('The most deprived end of the gradient has %s times the admission rate of the least deprived.',
              to_char(rii, 'FM0.00')) AS reading
FROM (SELECT (sii((d).value, (d).population, imd_decile, (d).lower, (d).upper,
                  'rate', false, 0.95, -1, 100000, 2024)).*
      FROM ph_decile) s;

\echo
\echo 'Concentration index of emergency admissions, people ranked most deprived first'
\echo '(negative: admissions concentrated among the deprived):'
SELECT round(concentration_index(o.emergency_admissions, p.imd_decile)::numeric, 4) AS admissions,
       round(concentration_index(p.died::int, p.imd_decile)::numeric, 4) AS deaths
FROM demo.person p JOIN demo.outcome o USING (person_id);

\echo
\echo 'GP practices in deprivation quintiles (quantile_group, as phe_quantile: ranked by the mean'
\echo 'IMD decile of their registered list, quintile 1 = most deprived), crude admission rate:'
WITH practices AS (
    SELECT p.practice_code, avg(p.imd_decile) AS mean_decile, count(*) AS people,
           sum(o.emergency_admissions) AS admissions
    FROM demo.person p JOIN demo.outcome o USING (person_id)
    GROUP BY p.practice_code
), grouped AS (
    SELECT *, quantile_group(mean_decile, 5, invert => false) OVER () AS quintile FROM practices
)
SELECT quintile, count(*) AS practices, to_char(sum(people), 'FM999,990') AS people,
       to_char(min(mean_decile), 'FM90.0') || ' - ' || to_char(max(mean_decile), 'FM90.0') AS mean_decile_range,
       to_char((crude_rate(admissions, people)).value, 'FM99,990') AS crude_rate,
       to_char((crude_rate(admissions, people)).lower, 'FM99,990') || ' - '
           || to_char((crude_rate(admissions, people)).upper, 'FM99,990') AS rate_95pct_ci
FROM grouped GROUP BY quintile ORDER BY quintile;

\echo
\echo 'Life expectancy at birth by IMD quintile (life_expectancy: Chiang II life table on PHE''s'
\echo '20 bands, Silcocks limits; demo.person.died as a year''s deaths, the list as the population):'
CREATE TEMP TABLE ph_le AS
SELECT (p.imd_decile + 1) / 2 AS quintile,
       life_expectancy(p.died::int, 1, life_table_band(p.age)) AS le,
       life_expectancy(p.died::int, 1, life_table_band(p.age), 0.95, 65) AS le65
FROM demo.person p GROUP BY 1;

SELECT quintile, to_char((le).population, 'FM999,990') AS people,
       to_char((le).deaths, 'FM99,990') AS deaths,
       coalesce(to_char((le).value, 'FM990.0'), 'suppressed') AS le_birth,
       to_char((le).lower, 'FM990.0') || ' - ' || to_char((le).upper, 'FM990.0') AS le_95pct_ci,
       coalesce(to_char((le65).value, 'FM990.0'), 'suppressed') AS le_at_65,
       CASE WHEN (le).lower IS NULL THEN 'not calculated: PHE validity rule (band missing, deaths > population, population <= 5,000 or no deaths at 90+)'
            WHEN (le).value IS NULL THEN 'value suppressed: 95% interval wider than 20 years (PHE rule)'
            ELSE 'ok' END AS validity
FROM ph_le ORDER BY quintile;

\echo
\echo 'The gap, and the slope index across quintiles (sii on life expectancy, value_type other):'
SELECT to_char((q5.le).value - (q1.le).value, 'FM990.0') || ' years' AS gap_q5_minus_q1,
       to_char(s.sii, 'FM990.0') || ' years' AS sii,
       to_char(s.sii_lower, 'FM990.0') || ' - ' || to_char(s.sii_upper, 'FM990.0') AS sii_95pct_ci,
       CASE WHEN s.sii > 0 THEN 'Life expectancy rises from the most to the least deprived quintile.'
            ELSE 'No rise in life expectancy from the most to the least deprived quintile in this synthetic place.'
       END AS reading
FROM ph_le q1, ph_le q5,
     LATERAL (SELECT (sii((le).value, (le).population, quintile, (le).lower, (le).upper,
                          'other', false, 0.95, 1, 100000, 2024)).* FROM ph_le) s
WHERE q1.quintile = 1 AND q5.quintile = 5;

\echo
\echo 'Life expectancy at birth for each GP practice list: how many PHE''s rules let us publish'
\echo '(practice lists are small: few deaths per band, so intervals are wide):'
WITH le AS (
    SELECT practice_code, life_expectancy(died::int, 1, life_table_band(age)) AS le
    FROM demo.person GROUP BY practice_code
)
SELECT CASE WHEN (le).lower IS NULL THEN 'not calculated (validity rule)'
            WHEN (le).value IS NULL THEN 'suppressed (95% interval wider than 20 years)'
            ELSE 'published' END AS status,
       count(*) AS practices,
       coalesce(to_char(min((le).value), 'FM990.0') || ' - ' || to_char(max((le).value), 'FM990.0'), '-')
           AS le_range,
       to_char(avg((le).upper - (le).lower), 'FM990.0') AS mean_ci_width_years
FROM le GROUP BY 1 ORDER BY 1;

DROP TABLE ph_decile;
DROP TABLE ph_le;
