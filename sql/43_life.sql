-- life_expectancy against PHEindicatormethods 2.1.0 phe_life_expectancy
-- (test/data/reference-tests/phe/life_expectancy_inputs.csv and
-- life_expectancy_expected.csv): the published (Excel) values to 1e-5
-- absolute; the package's own R outputs (r_* columns, both confidence
-- levels) to 1e-9 relative.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;
SET extra_float_digits = 0;

CREATE FUNCTION pg_temp.relerr(a float8, b float8) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN a IS NULL AND b IS NULL THEN 0
              WHEN a IS NULL OR b IS NULL THEN 'infinity'
              WHEN a = b THEN 0
              ELSE abs(a - b) / greatest(abs(a), abs(b)) END $$;
CREATE FUNCTION pg_temp.abserr(a float8, b float8) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN a IS NULL AND b IS NULL THEN 0
              WHEN a IS NULL OR b IS NULL THEN 'infinity'
              ELSE abs(a - b) END $$;

CREATE TEMP TABLE le_in (casename text, area text, startage int, population float8, deaths float8);
\copy le_in FROM 'test/data/reference-tests/phe/life_expectancy_inputs.csv' WITH (FORMAT csv, HEADER, NULL 'NA')
CREATE TEMP TABLE le_exp (casename text, area text, startage int, confidence float8,
    exp_value float8, exp_lowercl float8, exp_uppercl float8, exp_pops_used float8,
    exp_dths_used float8, r_value float8, r_lower95 float8, r_upper95 float8,
    r_lower998 float8, r_upper998 float8, r_pops_used float8, r_dths_used float8);
\copy le_exp FROM 'test/data/reference-tests/phe/life_expectancy_expected.csv' WITH (FORMAT csv, HEADER, NULL 'NA')

CREATE TEMP TABLE le_got AS
SELECT e.*,
       (SELECT life_expectancy(deaths, population, i.startage, 0.95, e.startage)
        FROM le_in i WHERE i.casename = e.casename AND i.area = e.area) AS a,
       (SELECT life_expectancy(deaths, population, i.startage, 99.8, e.startage)
        FROM le_in i WHERE i.casename = e.casename AND i.area = e.area) AS b
FROM le_exp e;

-- Area 1 has more deaths than population at 90+: no life table (NULL
-- value and limits, totals still reported as PHE does).
-- Area 2's intervals pass 20 years from age 40: value NULL, limits kept.
SELECT casename, area, count(*) AS ages,
       count((a).value) AS values_given,
       max(greatest(pg_temp.abserr((a).value, exp_value), pg_temp.abserr((a).lower, exp_lowercl),
                    pg_temp.abserr((a).upper, exp_uppercl))) <= 1e-5 AS published_within_1e5,
       max(greatest(pg_temp.relerr((a).value, r_value), pg_temp.relerr((a).lower, r_lower95),
                    pg_temp.relerr((a).upper, r_upper95), pg_temp.relerr((b).lower, r_lower998),
                    pg_temp.relerr((b).upper, r_upper998))) <= 1e-9 AS r_within_1e9,
       bool_and((a).population IS NOT DISTINCT FROM r_pops_used
                AND (a).deaths IS NOT DISTINCT FROM r_dths_used
                AND (exp_pops_used IS NULL OR (a).population = exp_pops_used)
                AND (exp_dths_used IS NULL OR (a).deaths = exp_dths_used)) AS totals_match
FROM le_got GROUP BY 1, 2 ORDER BY 1, 2;

SELECT startage, round((a).value::numeric, 6) AS value, round((a).lower::numeric, 6) AS lower,
       round((a).upper::numeric, 6) AS upper
FROM le_got WHERE area = 'Area 2' AND startage IN (0, 35, 40, 90) ORDER BY startage;

-- default form is at birth, 95%; plain columns
SELECT round(value::numeric, 6) AS value, population, deaths
FROM (SELECT (life_expectancy(deaths, population, startage)).* FROM le_in WHERE area = 'df1') t;

-- person-level rows add up within their band (life_table_band maps ages)
SELECT life_table_band(a) AS band, count(*) FROM generate_series(0, 100) a GROUP BY 1 ORDER BY 1;
SELECT round((life_expectancy(d, p, b)).value::numeric, 6) AS split_rows_same_value
FROM (SELECT deaths / 2 AS d, population / 2 AS p, startage AS b FROM le_in WHERE area = 'df1'
      UNION ALL
      SELECT deaths / 2, population / 2, startage FROM le_in WHERE area = 'df1') t;

-- validity rules: a missing band, a total population of 5,000 or less, or
-- no deaths at 90+ give a NULL value and limits
SELECT (life_expectancy(deaths, population, startage)).* -- missing band
FROM le_in WHERE area = 'df1' AND startage <> 45;
SELECT (life_expectancy(deaths / 200, population / 200, startage)).* -- small population
FROM le_in WHERE area = 'df1';
SELECT (life_expectancy(CASE WHEN startage = 90 THEN 0 ELSE deaths END, population, startage)).*
       -- no deaths at 90+
FROM le_in WHERE area = 'df1';
SELECT life_expectancy(deaths, population, startage) IS NULL AS empty FROM le_in WHERE false;

-- errors
SELECT life_table_band(-1);
SELECT life_expectancy(1, 10, 3) FROM (VALUES (1)) t(x);
SELECT life_expectancy(-1, 10, 5) FROM (VALUES (1)) t(x);
SELECT life_expectancy(1, 10, 5, 0.95, 7) FROM (VALUES (1)) t(x);
SELECT life_expectancy(1, NULL, 5) FROM (VALUES (1)) t(x);
SELECT life_expectancy(1, 10, 5, 0.5) FROM (VALUES (1)) t(x);
SELECT life_expectancy(NULL, 10, 5) FROM (VALUES (1)) t(x);
SELECT life_expectancy(1, 10, NULL) FROM (VALUES (1)) t(x);
-- a hand-made state whose at_age is no band start
SELECT life_expectancy_final(ARRAY[1, 0.95, 7]::float8[] || array_fill(0::float8, ARRAY[60]));

-- a direct call with a NULL state is an error, not a crash
SELECT life_expectancy_trans(NULL, 1, 1, 0);
