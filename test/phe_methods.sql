-- test/phe_methods.sql -- the public-health methods against independent
-- computations: exact Poisson limits against the Poisson distribution summed
-- in SQL, Student t critical values against their closed forms (1 and 2
-- degrees of freedom), and on the demo place dsr, crude_rate, proportion,
-- isr and quantile_group against plain-SQL versions of the same formulas.
-- (Published PHEindicatormethods expectations: sql/40_rates.sql ...
-- sql/45_inequality.sql.)
BEGIN;
SELECT plan(16);

-- exact Poisson limits (rate_ci below 10 events; n = 1, multiplier 1 gives
-- the count limits): the upper limit U solves P(X <= x; U) = alpha/2 and the
-- lower limit L solves P(X >= x; L) = alpha/2
CREATE TEMP TABLE poisson AS
SELECT x, conf, (rate_ci(x, 1, conf, 1)).*
FROM generate_series(0, 9) x, unnest(ARRAY[0.9, 0.95, 0.99, 0.998]) conf;
CREATE TEMP TABLE poisson_check AS
SELECT x, conf,
       (SELECT sum(exp(-upper + k * ln(upper) - ln(factorial(k)::float8))) FROM generate_series(0, x) k)
           AS p_upper,
       CASE WHEN x = 0 THEN NULL ELSE
       1 - (SELECT sum(exp(-lower + k * ln(lower) - ln(factorial(k)::float8))) FROM generate_series(0, x - 1) k)
       END AS p_lower
FROM poisson;
SELECT cmp_ok((SELECT max(abs(p_upper - (1 - conf) / 2) / ((1 - conf) / 2)) FROM poisson_check), '<', 1e-9::float8,
              'exact Poisson upper limits: P(X <= x; U) = alpha/2 to 1e-9 relative (x = 0..9, four confidences)');
SELECT cmp_ok((SELECT max(abs(p_lower - (1 - conf) / 2) / ((1 - conf) / 2)) FROM poisson_check WHERE x > 0), '<', 1e-9::float8,
              'exact Poisson lower limits: P(X >= x; L) = alpha/2 to 1e-9 relative');
SELECT is((SELECT bool_and(lower = 0 AND method = 'Exact') FROM poisson WHERE x = 0), true,
          'zero events: lower limit 0, exact method');

-- Student t: 1 degree of freedom (two values) is tan(pi (p - 1/2)); 2 degrees
-- of freedom (three values) is (2p - 1) / sqrt(2 p (1 - p))
SELECT cmp_ok((SELECT max(abs(half - tan(pi() * (p - 0.5)) * 0.5) / (tan(pi() * (p - 0.5)) * 0.5))
               FROM (SELECT conf, conf + (1 - conf) / 2 AS p,
                            ((mean_ci(v, conf)).upper - (mean_ci(v, conf)).value) AS half
                     FROM (VALUES (0.0), (1.0)) t(v), unnest(ARRAY[0.9, 0.95, 0.99, 0.998]) conf
                     GROUP BY conf) s), '<', 1e-10::float8,
              'mean_ci with 2 values: t quantile equals tan(pi (p - 1/2)) (sd of 0 and 1 is sqrt(1/2), half width t sd / sqrt(2))');
SELECT cmp_ok((SELECT max(abs(half - (2 * p - 1) / sqrt(2 * p * (1 - p)) / sqrt(3)) / ((2 * p - 1) / sqrt(2 * p * (1 - p)) / sqrt(3)))
               FROM (SELECT conf, conf + (1 - conf) / 2 AS p,
                            ((mean_ci(v, conf)).upper - (mean_ci(v, conf)).value) AS half
                     FROM (VALUES (-1.0), (0.0), (1.0)) t(v), unnest(ARRAY[0.9, 0.95, 0.99, 0.998]) conf
                     GROUP BY conf) s), '<', 1e-10::float8,
              'mean_ci with 3 values: t quantile equals the 2-df closed form (sd 1, n 3)');

-- larger degrees of freedom against R's printed values (7 significant
-- digits): qt(0.975, 10) = 2.228139, qt(0.975, 1000) = 1.962339
SELECT cmp_ok((SELECT abs(((m).upper - (m).value) / ((m).stdev / sqrt(11)) - 2.228139) / 2.228139
               FROM (SELECT mean_ci((g % 7)::float8) AS m FROM generate_series(1, 11) g) s), '<', 5e-7::float8,
              'mean_ci with 11 values uses qt(0.975, 10) = 2.228139');
SELECT cmp_ok((SELECT abs(((m).upper - (m).value) / ((m).stdev / sqrt(1001)) - 1.962339) / 1.962339
               FROM (SELECT mean_ci((g % 7)::float8) AS m FROM generate_series(1, 1001) g) s), '<', 5e-7::float8,
              'mean_ci with 1001 values uses qt(0.975, 1000) = 1.962339');

-- the demo place: admissions and people per IMD decile and ESP2013 band
CREATE TEMP TABLE bands AS
SELECT p.imd_decile, p.age_band, e.esp2013_population AS w,
       sum(o.emergency_admissions)::float8 AS x, count(*)::float8 AS n
FROM demo.person p JOIN demo.outcome o USING (person_id) JOIN esp2013 e USING (age_band)
GROUP BY 1, 2, 3;
CREATE TEMP TABLE by_decile AS
SELECT imd_decile, dsr(x, n, w) AS d, crude_rate(x, n) AS c, proportion(least(x, n), n) AS p,
       -- plain SQL: Dobson (Byar's limits on the total count, z = 1.959963984540054)
       sum(x * w / n) / sum(w) AS v, sum(x * (w / n) ^ 2) / sum(w) ^ 2 AS var, sum(x) AS o,
       sum(x) / sum(n) AS crude, sum(least(x, n)) / sum(n) AS prop, sum(n) AS pop
FROM bands GROUP BY imd_decile;

SELECT is((SELECT count(*) FROM by_decile), 10::bigint, 'ten IMD deciles in the demo place');
SELECT cmp_ok((SELECT max(abs((d).value - v * 1e5) / (v * 1e5)) FROM by_decile), '<', 1e-12::float8,
              'dsr value equals sum(x w / n) / sum(w) per 100,000');
SELECT cmp_ok((SELECT max(greatest(
                   abs((d).lower - (v + sqrt(var / o) * (o * (1 - 1 / (9 * o) - 1.959963984540054 / (3 * sqrt(o))) ^ 3 - o)) * 1e5) / (d).lower,
                   abs((d).upper - (v + sqrt(var / o) * ((o + 1) * (1 - 1 / (9 * (o + 1)) + 1.959963984540054 / (3 * sqrt(o + 1))) ^ 3 - o)) * 1e5) / (d).upper))
               FROM by_decile), '<', 1e-9::float8,
              'dsr limits equal the Dobson formula on Byar''s limits written in SQL');
SELECT cmp_ok((SELECT max(abs((c).value - crude * 1e5) / (crude * 1e5)) FROM by_decile), '<', 1e-12::float8,
              'crude_rate equals sum(x) / sum(n) per 100,000');
SELECT cmp_ok((SELECT max(greatest(
                   abs((p).lower - (2 * pop * prop + 1.959963984540054 ^ 2 - 1.959963984540054 * sqrt(1.959963984540054 ^ 2 + 4 * pop * prop * (1 - prop))) / (2 * (pop + 1.959963984540054 ^ 2))) / (p).lower,
                   abs((p).upper - (2 * pop * prop + 1.959963984540054 ^ 2 + 1.959963984540054 * sqrt(1.959963984540054 ^ 2 + 4 * pop * prop * (1 - prop))) / (2 * (pop + 1.959963984540054 ^ 2))) / (p).upper))
               FROM by_decile), '<', 1e-9::float8,
              'proportion limits equal the Wilson score formula written in SQL');

-- isr of each decile against the whole place's band rates: O / E
SELECT cmp_ok((SELECT max(abs((r).ratio - o / e) / (o / e))
               FROM (SELECT b.imd_decile, isr(b.x, b.n, t.x, t.n) AS r, sum(b.x) AS o,
                            sum(b.n * t.x / t.n) AS e
                     FROM bands b JOIN (SELECT age_band, sum(x) x, sum(n) n FROM bands GROUP BY 1) t USING (age_band)
                     GROUP BY b.imd_decile) s), '<', 1e-12::float8,
              'isr ratio equals observed / sum(n x_ref / n_ref)');

-- quantile_group: with distinct values and N a multiple of k, PHE's
-- formula is ntile over the values in descending order (invert = true)
SELECT is((SELECT count(*) FROM (
               SELECT quantile_group(v, 10) OVER () AS q, ntile(10) OVER (ORDER BY v DESC) AS t
               FROM (SELECT person_id::float8 AS v FROM demo.person
                     ORDER BY person_id LIMIT 20000) s) u WHERE q <> t), 0::bigint,
          'quantile_group equals ntile(10) over descending distinct values (20,000 people)');

-- life expectancy: person-level rows and band-level rows give the same table
SELECT is((SELECT (life_expectancy(died::int, 1, life_table_band(age))).value FROM demo.person),
          (SELECT (life_expectancy(d, n, b)).value
           FROM (SELECT life_table_band(age) b, sum(died::int)::float8 d, count(*)::float8 n
                 FROM demo.person GROUP BY 1) s),
          'life_expectancy: person rows and band totals give the same value');
SELECT ok((SELECT (life_expectancy(died::int, 1, life_table_band(age))).value BETWEEN 70 AND 90 FROM demo.person),
          'life expectancy at birth of the demo place lies between 70 and 90 years');

SELECT * FROM finish();
ROLLBACK;
