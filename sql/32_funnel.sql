-- Funnel plots (docs/methods.md section 1): FunnelPlotR 0.6.0's own test
-- data (test/data/reference-tests/funnelplotr/, units a-f), then every
-- data type x adjustment x trim on a small unit set against an independent
-- plain-SQL computation (z by hand formulas, winsorising with
-- percentile_cont = R type 7, SHMI truncation with average ranks), edge
-- cases, errors, states and forced parallel plans.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;
SET extra_float_digits = 0;

-- FunnelPlotR test data: per-unit and summary expectations
CREATE TABLE fp_units (dataset text, method text, trim float8, unit text, numerator float8,
  denominator float8, ratio float8, y float8, s float8, z float8, z_trimmed float8, kept bool,
  lcl95_normal float8, ucl95_normal float8, lcl998_normal float8, ucl998_normal float8,
  lcl95_od float8, ucl95_od float8, lcl998_od float8, ucl998_od float8,
  z_od_additive float8, z_od_multiplicative float8, flag_od text);
\copy fp_units FROM 'test/data/reference-tests/funnelplotr/funnel_od_units_fptest.csv' CSV HEADER
CREATE TABLE fp_summary (dataset text, method text, trim_mode text, trim float8, i int, n_used int,
  target float8, phi float8, tau2 float8, i_phi float8, chi2_095_i float8, phi_rough float8);
\copy fp_summary FROM 'test/data/reference-tests/funnelplotr/funnel_od_summary_fptest.csv' CSV HEADER

-- sr_log = SHMI (log scale, truncation); sr_sqrt = CQC (square root, winsorising)
CREATE TABLE fp_models AS
SELECT u.method, u.trim,
       funnel_fit(u.numerator, u.denominator,
                  CASE u.method WHEN 'sr_log' THEN 'ratio_log' ELSE 'ratio_sqrt' END, 'additive',
                  CASE u.method WHEN 'sr_log' THEN 'truncate' ELSE 'winsorise' END, u.trim) AS model
FROM fp_units u GROUP BY u.method, u.trim;
SELECT f.method, f.trim, (f.model).data_type, (f.model).adjustment, (f.model).target,
       round((f.model).phi::numeric, 12) AS phi, round((f.model).tau2::numeric, 14) AS tau2,
       (f.model).units, (f.model).units_used = s.n_used AS used_ok,
       abs((f.model).phi - s.phi) < 1e-12 AS phi_1e12, abs((f.model).tau2 - s.tau2) < 1e-12 AS tau2_1e12
FROM fp_models f JOIN fp_summary s USING (method, trim) ORDER BY 1, 2;

-- per unit: unadjusted, multiplicative and additive z, the four
-- over-dispersed (additive) limits and the unadjusted limits. The file's
-- limits were computed with exact quantiles, so they agree far inside the
-- 1e-6 that FunnelPlotR's hard-coded 1.959964 / 3.090232 would allow.
CREATE VIEW fp_check AS
SELECT u.method, u.trim, u.unit,
       funnel_z(u.numerator, u.denominator, none) - u.z AS dz,
       funnel_z(u.numerator, u.denominator, mult) - u.z_od_multiplicative AS dz_mult,
       funnel_z(u.numerator, u.denominator, f.model) - u.z_od_additive AS dz_add,
       greatest(abs(funnel_limit(u.denominator, f.model, 0.95, false) - u.lcl95_od),
                abs(funnel_limit(u.denominator, f.model, 0.95, true) - u.ucl95_od),
                abs(funnel_limit(u.denominator, f.model, 0.998, false) - u.lcl998_od),
                abs(funnel_limit(u.denominator, f.model, 0.998, true) - u.ucl998_od)) AS dlim_od,
       greatest(abs(funnel_limit(u.denominator, none, 0.95, false) - u.lcl95_normal),
                abs(funnel_limit(u.denominator, none, 0.95, true) - u.ucl95_normal),
                abs(funnel_limit(u.denominator, none, 0.998, false) - u.lcl998_normal),
                abs(funnel_limit(u.denominator, none, 0.998, true) - u.ucl998_normal)) AS dlim,
       funnel_flag(u.numerator, u.denominator, f.model, 0.95) AS flag95,
       funnel_flag(u.numerator, u.denominator, f.model) AS flag998, u.flag_od
FROM fp_units u JOIN fp_models f USING (method, trim)
CROSS JOIN LATERAL (SELECT ROW((f.model).data_type, 'none', (f.model).target, (f.model).phi, (f.model).tau2,
                               (f.model).units, (f.model).units_used)::funnel_model AS none,
                           ROW((f.model).data_type, 'multiplicative', (f.model).target, (f.model).phi,
                               (f.model).tau2, (f.model).units, (f.model).units_used)::funnel_model AS mult) m;
SELECT method, trim, count(*) AS units,
       max(greatest(abs(dz), abs(dz_mult), abs(dz_add))) < 1e-12 AS z_1e12,
       max(dlim_od) < 1e-12 AS od_limits_1e12, max(dlim) < 1e-12 AS limits_1e12
FROM fp_check GROUP BY 1, 2 ORDER BY 1, 2;
-- flags: the file's flag_od is at 95% (high_95 = above the 95% limit)
SELECT method, trim, unit, flag95, flag998, flag_od FROM fp_check
WHERE flag95 <> 'within' OR flag_od <> 'within' ORDER BY 1, 2, 3;

-- Worked example, ratio_log with truncation, by hand (units a-f above):
-- z = sqrt(E) ln(O/E): a sqrt(108) ln(100/108) = -0.79980, b 3.09168,
-- c 1.11768, d -1.67499, e 1.82322, f 0.33333. Ranks 1..6 (d, a, f, c, e,
-- b); groups floor(rank * 10 / 7) = 1, 2, 4, 5, 7, 8: all within 1..8, so
-- I' = 6 and phi = sum z^2 / 6 = 17.688199 / 6 = 2.948033. Weights
-- w = 1/s^2 = E: sum w = 800, sum w^2 = 118858, so tau2 = (6 phi - 5) /
-- (800 - 118858 / 800) = 12.688199 / 651.4275 = 0.0194775.
SELECT round(sum(z ^ 2)::numeric, 6) AS sum_z2, round(sum(denominator)::numeric, 1) AS sum_w,
       round(sum(denominator ^ 2)::numeric, 1) AS sum_w2,
       round(((sum(z ^ 2) - 5) / (sum(denominator) - sum(denominator ^ 2) / sum(denominator)))::numeric, 12) AS tau2_by_formula
FROM fp_units WHERE method = 'sr_log';

-- Every data type x adjustment x trim on twelve units, against plain SQL.
-- For the ratios the numerator is observed and the denominator expected;
-- for the proportion they are events and population.
CREATE TABLE units (unit int, num float8, den float8);
INSERT INTO units VALUES (1, 12, 40), (2, 30, 55), (3, 18, 60), (4, 45, 80), (5, 20, 90),
  (6, 70, 120), (7, 35, 150), (8, 95, 200), (9, 60, 260), (10, 150, 300), (11, 88, 400), (12, 230, 520);
CREATE VIEW unit_z AS
SELECT d.data_type, u.*,
       CASE d.data_type WHEN 'proportion' THEN asin(sqrt(num / den)) WHEN 'ratio_log' THEN ln(num / den)
                        ELSE sqrt(num / den) END AS g,
       CASE d.data_type WHEN 'ratio_log' THEN 1 / sqrt(den) ELSE 1 / (2 * sqrt(den)) END AS s,
       CASE d.data_type WHEN 'proportion' THEN asin(sqrt((SELECT sum(num) / sum(den) FROM units)))
                        WHEN 'ratio_log' THEN 0 ELSE 1 END AS g0
FROM units u CROSS JOIN (VALUES ('proportion'), ('ratio_log'), ('ratio_sqrt')) d(data_type);
CREATE VIEW unit_zz AS
SELECT *, (g - g0) / s AS z,
       (rank() OVER w + count(*) OVER (PARTITION BY data_type, (g - g0) / s) - 1 + rank() OVER w) / 2.0 AS avg_rank,
       count(*) OVER (PARTITION BY data_type) AS i
FROM unit_z WINDOW w AS (PARTITION BY data_type ORDER BY (g - g0) / s);
-- winsorised: clamp to the type-7 10% / 90% quantiles; truncated: keep
-- floor(rank * 10 / (I + 1)) in 1..8
CREATE VIEW expected_fit AS
WITH q AS (SELECT data_type, percentile_cont(0.1) WITHIN GROUP (ORDER BY z) AS lo,
                  percentile_cont(0.9) WITHIN GROUP (ORDER BY z) AS hi FROM unit_zz GROUP BY 1),
win AS (SELECT data_type, 'winsorise' AS trim, count(*) AS used,
               avg(least(greatest(z, lo), hi) ^ 2) AS phi, sum(1 / s ^ 2) AS sw, sum(1 / s ^ 4) AS sw2
        FROM unit_zz JOIN q USING (data_type) GROUP BY 1),
tru AS (SELECT data_type, 'truncate' AS trim, count(*) AS used, avg(z ^ 2) AS phi,
               sum(1 / s ^ 2) AS sw, sum(1 / s ^ 4) AS sw2
        FROM unit_zz WHERE floor(avg_rank * 10 / (i + 1)) BETWEEN 1 AND 8 GROUP BY 1)
SELECT data_type, trim, used, phi,
       CASE WHEN phi > 1 THEN greatest(0, (used * phi - (used - 1)) / (sw - sw2 / sw)) ELSE 0 END AS tau2
FROM (SELECT * FROM win UNION ALL SELECT * FROM tru) x;
CREATE TABLE fits AS
SELECT d.data_type, a.adjustment, t.trim,
       (SELECT funnel_fit(num, den, d.data_type, a.adjustment, t.trim, 0.1) FROM units) AS model
FROM (VALUES ('proportion'), ('ratio_log'), ('ratio_sqrt')) d(data_type),
     (VALUES ('none'), ('multiplicative'), ('additive')) a(adjustment),
     (VALUES ('winsorise'), ('truncate')) t(trim);
SELECT f.data_type, f.trim, f.adjustment, round((f.model).target::numeric, 12) AS target,
       round((f.model).phi::numeric, 10) AS phi, round((f.model).tau2::numeric, 12) AS tau2,
       (f.model).units_used AS used,
       abs((f.model).phi - e.phi) < 1e-12 AND abs((f.model).tau2 - e.tau2) < 1e-12
         AND (f.model).units_used = e.used AS matches_sql
FROM fits f JOIN expected_fit e USING (data_type, trim) ORDER BY 1, 2, 3;
-- z and limits per unit against the SQL formulas: z = (g - g0) / S with
-- S = s, s sqrt(max(phi, 1)) or sqrt(s^2 + tau2); limits back-transformed
-- from g0 +/- 1.959963984540054 S (sin^2 clamped at 0 and pi/2, exp,
-- squared with the lower clamped at 0).
CREATE VIEW unit_check AS
SELECT f.data_type, f.trim, f.adjustment, z.unit,
       funnel_z(z.num, z.den, f.model) AS z_got,
       (z.g - z.g0) / se.se AS z_expected,
       funnel_limit(z.den, f.model, 0.95, false) AS lower_got,
       funnel_limit(z.den, f.model, 0.95, true) AS upper_got,
       CASE f.data_type WHEN 'proportion' THEN CASE WHEN z.g0 - h <= 0 THEN 0 ELSE sin(z.g0 - h) ^ 2 END
                        WHEN 'ratio_log' THEN exp(z.g0 - h)
                        ELSE CASE WHEN z.g0 - h <= 0 THEN 0 ELSE (z.g0 - h) ^ 2 END END AS lower_expected,
       CASE f.data_type WHEN 'proportion' THEN CASE WHEN z.g0 + h >= pi() / 2 THEN 1 ELSE sin(z.g0 + h) ^ 2 END
                        WHEN 'ratio_log' THEN exp(z.g0 + h)
                        ELSE (z.g0 + h) ^ 2 END AS upper_expected
FROM fits f JOIN unit_zz z USING (data_type)
CROSS JOIN LATERAL (SELECT CASE f.adjustment WHEN 'none' THEN z.s
                                WHEN 'multiplicative' THEN z.s * sqrt(greatest((f.model).phi, 1))
                                ELSE sqrt(z.s ^ 2 + (f.model).tau2) END AS se) se
CROSS JOIN LATERAL (SELECT 1.959963984540054 * se.se AS h) h;
SELECT data_type, trim, adjustment,
       max(abs(z_got - z_expected)) < 1e-12 AS z_ok,
       max(greatest(abs(lower_got - lower_expected), abs(upper_got - upper_expected))) < 1e-12 AS limits_ok
FROM unit_check GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
-- a few numbers to read: proportion, additive, winsorised
SELECT unit, round(z_got::numeric, 6) AS z, round(lower_got::numeric, 6) AS lower95,
       round(upper_got::numeric, 6) AS upper95
FROM unit_check WHERE data_type = 'proportion' AND adjustment = 'additive' AND trim = 'winsorise'
ORDER BY unit;
-- flags agree with the limits: outside exactly when beyond a limit
SELECT f.data_type, f.adjustment, count(*) AS units,
       count(*) FILTER (WHERE funnel_flag(u.num, u.den, f.model, 0.95)
                        = CASE WHEN u.num / u.den > funnel_limit(u.den, f.model, 0.95, true) THEN 'high'
                               WHEN u.num / u.den < funnel_limit(u.den, f.model, 0.95, false) THEN 'low'
                               ELSE 'within' END) AS agree,
       count(*) FILTER (WHERE funnel_flag(u.num, u.den, f.model, 0.95) = 'high') AS high,
       count(*) FILTER (WHERE funnel_flag(u.num, u.den, f.model, 0.95) = 'low') AS low
FROM fits f CROSS JOIN units u WHERE f.trim = 'winsorise' GROUP BY 1, 2 ORDER BY 1, 2;

-- A value exactly on a limit is within: with phi < 1 no adjustment, the
-- log-scale 99.8% limit at E = 100 is exp(3.090232306167813 / 10).
SELECT funnel_flag(100 * exp(3.090232306167813 / 10), 100,
                   ROW('ratio_log', 'none', 1, 1, 0, 1, 1)::funnel_model, 0.998) AS on_limit,
       funnel_flag(100 * exp(3.090232306167813 / 10) * (1 + 1e-9), 100,
                   ROW('ratio_log', 'none', 1, 1, 0, 1, 1)::funnel_model, 0.998) AS just_above;

-- No over-dispersion (phi <= 1): tau2 is 0 and adjusted = unadjusted
SELECT round((m).phi::numeric, 6) AS phi, (m).tau2,
       funnel_z(105, 100, m) = funnel_z(105, 100, ROW('ratio_log', 'none', 1, (m).phi, 0, 5, 5)::funnel_model) AS unadjusted,
       funnel_limit(100, ROW('ratio_log', 'multiplicative', 1, (m).phi, 0, 5, 5)::funnel_model, 0.95, true)
         = funnel_limit(100, ROW('ratio_log', 'none', 1, (m).phi, 0, 5, 5)::funnel_model, 0.95, true) AS never_narrowed
FROM (SELECT funnel_fit(o, e, 'ratio_log') AS m
      FROM (VALUES (100.0::float8, 100.0::float8), (101, 100), (99, 100), (100.5, 100), (99.5, 100)) t(o, e)) s;

-- O = 0 on the log scale: z = -Infinity, flagged low, left out of phi
SELECT (m).units, (m).units_used, funnel_z(0, 5, m) AS z, funnel_flag(0, 5, m) AS flag,
       funnel_flag(0, 5, m, 0.95) AS flag95
FROM (SELECT funnel_fit(o, e, 'ratio_log', 'additive', 'truncate', 0.1) AS m
      FROM (VALUES (0.0::float8, 5.0::float8), (10, 12), (20, 18), (30, 33), (41, 40), (55, 50)) t(o, e)) s;
-- proportions of 0 and 1 are fine on the arcsine scale
SELECT funnel_z(0, 50, m) < 0 AS zero_low, funnel_z(50, 50, m) > 0 AS all_high, funnel_flag(50, 50, m)
FROM (SELECT funnel_fit(r, n) AS m FROM (VALUES (0.0::float8, 50.0::float8), (50, 50), (20, 50), (25, 60)) t(r, n)) s;
-- NULL rows are skipped; empty groups give NULL
SELECT (funnel_fit(r, n)).units FROM (VALUES (1.0::float8, 10.0::float8), (NULL, 10), (2, NULL)) t(r, n);
SELECT funnel_fit(num, den) IS NULL AS empty FROM units WHERE false;
-- one unit: phi from its z, tau2 undefined (NULL) so additive z is NULL
SELECT round((m).phi::numeric, 6) AS phi, (m).tau2, funnel_z(3, 10, m) AS z_additive,
       funnel_z(3, 10, ROW('proportion', 'none', (m).target, (m).phi, (m).tau2, 1, 1)::funnel_model) AS z_none
FROM (SELECT funnel_fit(3, 10) AS m) s;

-- funnel_limits: rows for a chart, end points exact
SELECT round(denominator::numeric, 4) AS denominator, round(lower95::numeric, 6) AS lower95,
       round(upper95::numeric, 6) AS upper95, round(lower998::numeric, 6) AS lower998,
       round(upper998::numeric, 6) AS upper998
FROM funnel_limits((SELECT model FROM fits WHERE data_type = 'proportion' AND adjustment = 'additive'
                    AND trim = 'winsorise'), 40, 520, 5);
SELECT count(*) AS rows, min(denominator) AS dmin, max(denominator) AS dmax,
       bool_and(lower998 <= lower95 AND lower95 <= upper95 AND upper95 <= upper998) AS nested
FROM funnel_limits((SELECT model FROM fits WHERE data_type = 'ratio_sqrt' AND adjustment = 'additive'
                    AND trim = 'winsorise'), 1, 1000);
-- (the model as plain columns for BI)
SELECT (model).* FROM fits WHERE data_type = 'ratio_sqrt' AND adjustment = 'none' AND trim = 'truncate';

-- errors
SELECT funnel_fit(11, 10) FROM units;
SELECT funnel_fit(-1, 10, 'ratio_log') FROM units;
SELECT funnel_fit(1, 0, 'ratio_log') FROM units;
SELECT funnel_fit(num, den, 'rate') FROM units;
SELECT funnel_fit(num, den, 'proportion', 'both') FROM units;
SELECT funnel_fit(num, den, 'proportion', 'additive', 'clip') FROM units;
SELECT funnel_fit(num, den, 'proportion', 'additive', 'truncate', 0) FROM units;
SELECT funnel_fit(num, den, 'proportion', 'additive', 'winsorise', 0.5) FROM units;
SELECT funnel_fit(num, den, CASE WHEN unit < 5 THEN 'ratio_log' ELSE 'ratio_sqrt' END) FROM units;
SELECT funnel_fit(num, den, NULL) FROM units;
SELECT funnel_fit(num, den, 'proportion', 'additive', 'winsorise', NULL) FROM units;
SELECT funnel_fit(num, den, 'proportion', 'additive', CASE WHEN unit < 5 THEN 'winsorise' ELSE 'truncate' END) FROM units;
SELECT funnel_z(1, 10, ROW('proportion', 'none', 1.5, 1, 0, 1, 1)::funnel_model);
SELECT funnel_z(1, 10, ROW(NULL, 'none', 0.5, 1, 0, 1, 1)::funnel_model);
SELECT funnel_z(1, 10, ROW('ratio_log', 'none', 1, -1, 0, 1, 1)::funnel_model);
SELECT funnel_limit(0, ROW('ratio_log', 'none', 1, 1, 0, 1, 1)::funnel_model, 0.95, true);
SELECT funnel_limit(10, ROW('ratio_log', 'none', 1, 1, 0, 1, 1)::funnel_model, 95, true);
SELECT * FROM funnel_limits(ROW('ratio_log', 'none', 1, 1, 0, 1, 1)::funnel_model, 10, 5);
SELECT * FROM funnel_limits(ROW('ratio_log', 'none', 1, 1, 0, 1, 1)::funnel_model, 1, 5, 1);

-- the state: value_list of (numerator, denominator) pairs with the options
-- (data type, adjustment, trim, fraction) as parameters; text round trip
SELECT funnel_fit_final(funnel_fit_combine(NULL, '1:2:2,2,2,0.1:3:100,108,150,112,180,165'::value_list)::text::value_list);
SELECT funnel_fit_final('1:2:9,2,2,0.1:1:1,2'::value_list);
SELECT funnel_fit_final('1:2:2,2,2,0.1:1:-1,2'::value_list);
SELECT funnel_fit_final('1:1:2,2,2,0.1:1:1'::value_list);
SELECT funnel_fit_combine('1:2:2,2,2,0.1:0:'::value_list, '1:2:3,2,2,0.1:0:'::value_list);
SELECT funnel_fit_combine('1:2:2,2,2,0.1:0:'::value_list, '1:2:2,2,2,0.2:0:'::value_list);
-- called directly, the transition function works on a copy
SELECT funnel_fit_trans(funnel_fit_trans(NULL, 1, 10), 2, 10)::text;

-- forced parallel: 10,000 units, same model
CREATE TABLE big_units AS
SELECT i AS unit, ((i * 7919) % 400 + 50)::float8 AS den,
       floor(((i * 7919) % 400 + 50) * (0.2 + ((i * 104729::bigint) % 1000) / 10000.0))::float8 AS num
FROM generate_series(1, 10000) i;
ANALYZE big_units;
CREATE TEMP TABLE big_serial AS SELECT funnel_fit(num, den) AS m, funnel_fit(num, den, 'ratio_log', 'additive', 'truncate') AS m2 FROM big_units;
SET force_parallel_mode = on;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT funnel_fit(num, den) FROM big_units;
SELECT (p.m).units = (s.m).units AS units_same,
       abs((p.m).target - (s.m).target) < 1e-15 AND abs((p.m).phi - (s.m).phi) < 1e-12
         AND abs((p.m).tau2 - (s.m).tau2) < 1e-15 AS proportion_same,
       abs((p.m2).phi - (s.m2).phi) < 1e-12 AND abs((p.m2).tau2 - (s.m2).tau2) < 1e-15 AS ratio_same
FROM big_serial s, (SELECT funnel_fit(num, den) AS m, funnel_fit(num, den, 'ratio_log', 'additive', 'truncate') AS m2 FROM big_units) p;
RESET force_parallel_mode;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

DROP TABLE fp_units, fp_summary, fp_models, units, fits, big_units CASCADE;
