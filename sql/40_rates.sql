-- Proportions, crude rates and means against the published expectations of
-- PHEindicatormethods 2.1.0 (test/data/reference-tests/phe/, see its
-- README.md): closed forms to 1e-9 relative.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;
SET extra_float_digits = 0;

-- relative error that treats two NULLs as equal and NULL vs value as failure
CREATE FUNCTION pg_temp.relerr(a float8, b float8) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN a IS NULL AND b IS NULL THEN 0
              WHEN a IS NULL OR b IS NULL THEN 'infinity'
              WHEN a = b THEN 0
              ELSE abs(a - b) / greatest(abs(a), abs(b)) END $$;

-- test/data/reference-tests/phe/byars_wilson.csv (Byar's and Wilson helpers)
CREATE TEMP TABLE byars_wilson (method text, x float8, n float8, confidence float8,
    lowercl float8, uppercl float8);
\copy byars_wilson FROM 'test/data/reference-tests/phe/byars_wilson.csv' WITH (FORMAT csv, HEADER, NULL 'NA')
-- Wilson rows: proportion_ci limits. Byar's rows: byars_ci (the x = 1,
-- 99.8% lower limit is negative, hence NULL as PHE gives NA).
SELECT method, x, n, confidence,
       pg_temp.relerr((r).lower, lowercl) <= 1e-9 AND pg_temp.relerr((r).upper, uppercl) <= 1e-9 AS ok
FROM (SELECT b.*, proportion_ci(x, n, confidence) AS r FROM byars_wilson b
      WHERE method = 'Wilson') t
ORDER BY x, confidence;
SELECT method, x, confidence, (r).lower IS NULL AS lower_null,
       pg_temp.relerr((r).lower, lowercl) <= 1e-9 AND pg_temp.relerr((r).upper, uppercl) <= 1e-9 AS ok
FROM (SELECT b.*, byars_ci(x, confidence) AS r FROM byars_wilson b
      WHERE method = 'Byars') t
ORDER BY x, confidence;
-- and rate_ci uses Byar's from 10 events (n = 1, multiplier 1: count limits)
SELECT x, confidence,
       pg_temp.relerr((r).lower, lowercl) <= 1e-9 AND pg_temp.relerr((r).upper, uppercl) <= 1e-9 AS ok
FROM (SELECT b.*, rate_ci(x, 1, confidence, 1) AS r FROM byars_wilson b
      WHERE method = 'Byars' AND x >= 10) t
ORDER BY x, confidence;
SELECT (byars_ci(65)).*;
SELECT byars_ci(-1);

-- test/data/reference-tests/phe/proportion.csv (phe_proportion, 95% and 99.8%)
CREATE TEMP TABLE prop (area text, x float8, n float8, value float8, l95 float8,
    u95 float8, l998 float8, u998 float8, multiplier float8);
\copy prop FROM 'test/data/reference-tests/phe/proportion.csv' WITH (FORMAT csv, HEADER, NULL 'NA')
SELECT count(*) AS rows,
       max(greatest(pg_temp.relerr((a).value, value), pg_temp.relerr((a).lower, l95), pg_temp.relerr((a).upper, u95),
                    pg_temp.relerr((b).lower, l998), pg_temp.relerr((b).upper, u998))) <= 1e-9 AS all_within_1e9
FROM (SELECT p.*, proportion_ci(x, n, 0.95, multiplier) AS a,
             proportion_ci(x, n, 99.8, multiplier) AS b FROM prop p) t;

-- test/data/reference-tests/phe/proportion_grouped.csv: the aggregate over
-- two copies of each row (the published numerators are the doubled sums)
CREATE TEMP TABLE propg (area text, x float8, n float8, value float8, lowercl float8,
    uppercl float8, multiplier float8, confidence float8);
\copy propg FROM 'test/data/reference-tests/phe/proportion_grouped.csv' WITH (FORMAT csv, HEADER, NULL 'NA')
SELECT g.area, pg_temp.relerr((r).value, g.value) <= 1e-9 AND pg_temp.relerr((r).lower, g.lowercl) <= 1e-9
       AND pg_temp.relerr((r).upper, g.uppercl) <= 1e-9 AS ok
FROM propg g
LEFT JOIN LATERAL (SELECT proportion(h.x, h.n, g.confidence, g.multiplier) AS r
                   FROM (VALUES (g.x / 2, g.n / 2), (g.x / 2, g.n / 2)) h(x, n)) s ON true
ORDER BY g.area;

-- test/data/reference-tests/phe/rate.csv (phe_rate, 95% and 99.8%)
CREATE TEMP TABLE rate (area text, x float8, n float8, value float8, l95 float8,
    u95 float8, l998 float8, u998 float8, method text, multiplier float8);
\copy rate FROM 'test/data/reference-tests/phe/rate.csv' WITH (FORMAT csv, HEADER, NULL 'NA')
SELECT area, multiplier, (a).method,
       (a).method IS NOT DISTINCT FROM method
       AND greatest(pg_temp.relerr((a).value, value), pg_temp.relerr((a).lower, l95), pg_temp.relerr((a).upper, u95),
                    pg_temp.relerr((b).lower, l998), pg_temp.relerr((b).upper, u998)) <= 1e-9 AS ok
FROM (SELECT r.*, rate_ci(x, n, 0.95, multiplier) AS a,
             rate_ci(x, n, 99.8, multiplier) AS b FROM rate r) t
ORDER BY multiplier, area;

-- test/data/reference-tests/phe/rate_grouped.csv: crude_rate over halves
CREATE TEMP TABLE rateg (area text, x float8, n float8, value float8, lowercl float8,
    uppercl float8, method text, multiplier float8, confidence float8);
\copy rateg FROM 'test/data/reference-tests/phe/rate_grouped.csv' WITH (FORMAT csv, HEADER, NULL 'NA')
SELECT g.area, (r).method,
       pg_temp.relerr((r).value, g.value) <= 1e-9 AND pg_temp.relerr((r).lower, g.lowercl) <= 1e-9
       AND pg_temp.relerr((r).upper, g.uppercl) <= 1e-9 AS ok
FROM rateg g
LEFT JOIN LATERAL (SELECT crude_rate(h.x, h.n, g.confidence, g.multiplier) AS r
                   FROM (VALUES (g.x / 2, g.n / 2), (g.x / 2, g.n / 2)) h(x, n)) s ON true
ORDER BY g.area;

-- test/data/reference-tests/phe/mean_inputs.csv + mean_expected.csv (phe_mean)
CREATE TEMP TABLE mean_in (area text, v float8);
\copy mean_in FROM 'test/data/reference-tests/phe/mean_inputs.csv' WITH (FORMAT csv, HEADER, NULL 'NA')
CREATE TEMP TABLE mean_exp (area text, value_sum float8, value_count int, stdev float8,
    value float8, l95 float8, u95 float8, l998 float8, u998 float8);
\copy mean_exp FROM 'test/data/reference-tests/phe/mean_expected.csv' WITH (FORMAT csv, HEADER, NULL 'NA')
WITH m AS (
    SELECT area, mean_ci(v) AS a, mean_ci(v, 0.998) AS b FROM mean_in GROUP BY area
    UNION ALL
    SELECT 'No grouping', mean_ci(v), mean_ci(v, 99.8) FROM mean_in)
SELECT e.area, (m.a).count,
       greatest(pg_temp.relerr((m.a).value, e.value), pg_temp.relerr((m.a).stdev, e.stdev),
                pg_temp.relerr((m.a).lower, e.l95), pg_temp.relerr((m.a).upper, e.u95),
                pg_temp.relerr((m.b).lower, e.l998), pg_temp.relerr((m.b).upper, e.u998)) <= 1e-9
       AND (m.a).count = e.value_count AS ok
FROM mean_exp e JOIN m USING (area) ORDER BY e.area;

-- plain columns with (f(...)).*
SELECT (proportion_ci(65, 100)).*;
SELECT (rate_ci(5, 100, 0.95, 100)).*;
SELECT (mean_ci(v)).* FROM (VALUES (1.0), (2.0), (4.0)) t(v);

-- edges: confidence 1 is the trivial Wilson interval; NULL numerator gives
-- NULL; a known count with a NULL denominator keeps its method; one value
-- has no interval; no rows give NULL
SELECT (proportion_ci(65, 100, 1)).*;
SELECT proportion_ci(NULL, 100) IS NULL AS null_numerator;
SELECT (rate_ci(10, NULL)).*;
SELECT (rate_ci(0, 1000)).*;
SELECT (mean_ci(v)).* FROM (VALUES (3.5)) t(v);
SELECT proportion(x, n) IS NULL AS empty FROM (SELECT 1.0 x, 2.0 n WHERE false) t;
SELECT crude_rate(x, n) IS NULL AS empty FROM (SELECT 1.0 x, 2.0 n WHERE false) t;
SELECT mean_ci(v) IS NULL AS empty FROM (SELECT 1.0 v WHERE false) t;
-- rows with a NULL are skipped
SELECT (proportion(x, n)).value FROM (VALUES (1.0, 4.0), (NULL, 4.0), (1.0, NULL), (3.0, 4.0)) t(x, n);

-- errors (22023)
SELECT proportion_ci(5, 100, 0.5);
SELECT proportion_ci(5, 100, 80);
SELECT proportion_ci(5, 100, 101);
SELECT proportion_ci(-1, 100);
SELECT proportion_ci(101, 100);
SELECT proportion_ci(1, 0);
SELECT proportion_ci('nan', 10);
SELECT rate_ci(1, 100, 0.95, 0);
SELECT rate_ci(1, -5);
SELECT rate_ci('infinity', 5);
SELECT rate_ci(-1, NULL);
SELECT rate_ci(1, 100, 0.95, 'infinity');
SELECT crude_rate(x, 10, c) FROM (VALUES (1, 0.95), (2, 0.998)) t(x, c);
SELECT mean_ci(v, 0.5) FROM (VALUES (1.0)) t(v);
SELECT mean_ci(v) FROM (VALUES ('nan'::float8)) t(v);
-- a malformed state is an error, not a crash
SELECT proportion_final('{1,2,3}');
SELECT mean_ci_combine('{1,2,3,4}', '{1,NULL,3,4}');
SELECT isr_combine('{1,1,1,1,1,0.95,1}', '{1,1,1,1,1,0.95}');

-- a direct call with a NULL state is an error, not a crash
SELECT proportion_trans(NULL, 1, 2);
SELECT crude_rate_trans(NULL, 1, 2);
SELECT mean_ci_trans(NULL, 1);
-- 100% confidence: the t limits are unbounded, so NULL (they were NaN)
SELECT mean_ci(v, 1) FROM (VALUES (10.0::float8), (10), (10)) t(v);
SELECT mean_ci(v, 1) FROM (VALUES (9.0::float8), (10), (11)) t(v);
-- 100% confidence: Wilson's interval is 0-1; limits unbounded at 100% are
-- NULL, never Infinity (README, common rules)
SELECT proportion_ci(3, 10, 1), byars_ci(10, 1), rate_ci(3, 10, 1), rate_ci(30, 1000, 100);

-- =====================================================================
-- Every public-health aggregate (rates, dsr, life, inequality: the
-- modules that share phe.c's states) under forced parallel plans.
-- =====================================================================
-- The public-health aggregates give the same answers with forced parallel
-- plans (partial aggregation in workers, states combined by the combine
-- functions) as serially. Floating-point sums then run in a different
-- order, so results are compared to 1e-12 relative.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;
SET extra_float_digits = 0;

CREATE OR REPLACE FUNCTION pg_temp.relerr(a float8, b float8) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN a IS NULL AND b IS NULL THEN 0
              WHEN a IS NULL OR b IS NULL THEN 'infinity'
              WHEN a = b THEN 0
              ELSE abs(a - b) / greatest(abs(a), abs(b)) END $$;

-- 40 areas x 20 life-table bands x 25 rows (deterministic, no random())
CREATE TABLE phe_par AS
SELECT area, b.band, b.i AS band_no, r,
       ((area * 7 + b.i * 13 + r * 3) % 11)::float8 AS events,
       (200 + (area * 31 + b.i * 17 + r * 5) % 300)::float8 AS population,
       esp2013_weight(b.band) AS std,
       ((area * 5 + r) % 3 + 1)::float8 AS freq,
       (2000 + (area * 31 + b.i * 17) % 300)::float8 AS bandpop,
       (50 + ((area * 13 + b.i * 7 + r) % 97) / 3.0)::float8 AS score
FROM generate_series(1, 40) area,
     (SELECT band, row_number() OVER (ORDER BY band)::int AS i
      FROM unnest(ARRAY[0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75,
                        80, 85, 90]) band) b,
     generate_series(1, 25) r;
ANALYZE phe_par;
-- one row per (area, decile) for sii
CREATE TABLE phe_par_q AS
SELECT area, q, (70 + q + (area % 7) / 3.0)::float8 AS value, (1000 + (area * 37 + q * 11) % 400)::float8 AS pop
FROM generate_series(1, 40) area, generate_series(1, 10) q;
ANALYZE phe_par_q;

CREATE TEMP TABLE serial_sii AS
SELECT area, sii(value, pop, q, value - 1.5, value + 1.5, 'other', false, 0.95, 1, 20000, 5) AS s
FROM phe_par_q GROUP BY area;

CREATE TEMP TABLE serial_run AS
SELECT area,
       proportion(events, population, 0.95, 100) AS prop,
       crude_rate(events, population) AS crude,
       mean_ci(score) AS mean,
       dsr(events, population, std) AS dsr_ind,
       dsr(events, bandpop, std, freq, band::text) AS dsr_nonind,
       isr(events, population, events + 1, population * 2) AS isr_ratio,
       isr_rate(events, population, events + 1, population * 2) AS isr_r,
       life_expectancy(events * (1 + band_no * band_no / 8.0), population * 3, band) AS le,
       concentration_index(score, band_no, population) AS conc
FROM phe_par GROUP BY area;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET force_parallel_mode = on;
SET enable_hashagg = off;

EXPLAIN (COSTS OFF)
SELECT area, dsr(events, population, std) FROM phe_par GROUP BY area;

CREATE TEMP TABLE parallel_run AS
SELECT area,
       proportion(events, population, 0.95, 100) AS prop,
       crude_rate(events, population) AS crude,
       mean_ci(score) AS mean,
       dsr(events, population, std) AS dsr_ind,
       dsr(events, bandpop, std, freq, band::text) AS dsr_nonind,
       isr(events, population, events + 1, population * 2) AS isr_ratio,
       isr_rate(events, population, events + 1, population * 2) AS isr_r,
       life_expectancy(events * (1 + band_no * band_no / 8.0), population * 3, band) AS le,
       concentration_index(score, band_no, population) AS conc
FROM phe_par GROUP BY area;

EXPLAIN (COSTS OFF)
SELECT area, sii(value, pop, q, value - 1.5, value + 1.5) FROM phe_par_q GROUP BY area;
CREATE TEMP TABLE parallel_sii AS
SELECT area, sii(value, pop, q, value - 1.5, value + 1.5, 'other', false, 0.95, 1, 20000, 5) AS s
FROM phe_par_q GROUP BY area;

RESET force_parallel_mode;
RESET max_parallel_workers_per_gather;

-- sii: rows are sorted by quantile before the seeded simulation, so even
-- the simulated limits are identical
SELECT count(*) AS areas, bool_and(a.s = b.s) AS sii_identical
FROM serial_sii a JOIN parallel_sii b USING (area);

SELECT count(*) AS areas,
       max(greatest(
         pg_temp.relerr((s.prop).value, (p.prop).value), pg_temp.relerr((s.prop).lower, (p.prop).lower),
         pg_temp.relerr((s.prop).upper, (p.prop).upper),
         pg_temp.relerr((s.crude).value, (p.crude).value), pg_temp.relerr((s.crude).upper, (p.crude).upper),
         pg_temp.relerr((s.mean).value, (p.mean).value), pg_temp.relerr((s.mean).stdev, (p.mean).stdev),
         pg_temp.relerr((s.mean).lower, (p.mean).lower),
         pg_temp.relerr((s.dsr_ind).value, (p.dsr_ind).value), pg_temp.relerr((s.dsr_ind).lower, (p.dsr_ind).lower),
         pg_temp.relerr((s.dsr_ind).upper, (p.dsr_ind).upper),
         pg_temp.relerr((s.dsr_nonind).value, (p.dsr_nonind).value),
         pg_temp.relerr((s.dsr_nonind).upper, (p.dsr_nonind).upper),
         pg_temp.relerr((s.isr_ratio).ratio, (p.isr_ratio).ratio), pg_temp.relerr((s.isr_ratio).lower, (p.isr_ratio).lower),
         pg_temp.relerr((s.isr_r).rate, (p.isr_r).rate), pg_temp.relerr((s.isr_r).upper, (p.isr_r).upper),
         pg_temp.relerr((s.le).value, (p.le).value), pg_temp.relerr((s.le).lower, (p.le).lower),
         pg_temp.relerr((s.le).upper, (p.le).upper), pg_temp.relerr(s.conc, p.conc))) <= 1e-12 AS same_to_1e12,
       bool_and((s.dsr_ind).events = (p.dsr_ind).events AND (s.le).deaths = (p.le).deaths
                AND (s.mean).count = (p.mean).count AND (s.isr_r).method = (p.isr_r).method) AS same_counts,
       count((s.le).value) AS le_values, count((s.dsr_nonind).value) AS nonind_values
FROM serial_run s JOIN parallel_run p USING (area);

-- a few values, to show the comparison is not of NULLs
SELECT area, round((dsr_ind).value::numeric, 4) AS dsr, round((le).value::numeric, 4) AS le,
       round((mean).value::numeric, 4) AS mean
FROM parallel_run WHERE area IN (1, 40) ORDER BY area;

-- quantile_group is PARALLEL SAFE and gives the same groups in a parallel plan
SELECT count(*) AS rows, count(DISTINCT q) AS groups
FROM (SELECT quantile_group(score, 10) OVER (PARTITION BY area) q FROM phe_par) t;

DROP TABLE phe_par;
DROP TABLE phe_par_q;

-- Partial states built with different parameters: each partition's rows
-- agree, so only the combine function sees the difference (partitionwise
-- partial aggregation, serial so the partitions come in order), and it
-- gives the message a single node gives.
CREATE TABLE phe_pw (g int DEFAULT 1, part int, i int, conf float8, x float8, n float8)
PARTITION BY LIST (part);
CREATE TABLE phe_pw1 PARTITION OF phe_pw FOR VALUES IN (1);
CREATE TABLE phe_pw2 PARTITION OF phe_pw FOR VALUES IN (2);
INSERT INTO phe_pw (part, i, conf, x, n)
SELECT p, i, CASE p WHEN 1 THEN 0.95 ELSE 0.998 END, 5 + i % 7, 100
FROM generate_series(1, 2) p, generate_series(1, 1000) i;
ANALYZE phe_pw;
SET max_parallel_workers_per_gather = 0;
SET enable_partitionwise_aggregate = on;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT dsr(x, n, 1000, conf) FROM phe_pw GROUP BY g;
SELECT proportion(x, n, conf) FROM phe_pw GROUP BY g;
SELECT crude_rate(x, n, conf) FROM phe_pw GROUP BY g;
SELECT mean_ci(x, conf) FROM phe_pw GROUP BY g;
SELECT dsr(x, n, 1000, conf) FROM phe_pw GROUP BY g;
SELECT dsr(x, n, 1000, 1, part::text, conf) FROM phe_pw GROUP BY g;
SELECT isr(x, n, x, n, 0.95, part) FROM phe_pw GROUP BY g;
SELECT isr_rate(x, n, x, n, conf) FROM phe_pw GROUP BY g;
SELECT life_expectancy(x, n, 0, conf) FROM phe_pw GROUP BY g;
SELECT life_expectancy(x, n, 0, 0.95, CASE part WHEN 1 THEN 0 ELSE 65 END) FROM phe_pw GROUP BY g;
SELECT sii(x, n, part, x - 1, x + 1, 'other', false, conf, 1) FROM phe_pw GROUP BY g;
SELECT sii(x, n, part, x - 1, x + 1, CASE part WHEN 1 THEN 'other' ELSE 'rate' END) FROM phe_pw GROUP BY g;
SELECT sii(x, n, part, x - 1, x + 1, 'other', part = 2) FROM phe_pw GROUP BY g;
-- the same groups on a single node (rows in partition order)
SET enable_partitionwise_aggregate = off;
EXPLAIN (COSTS OFF) SELECT dsr(x, n, 1000, conf) FROM phe_pw;
SELECT proportion(x, n, conf) FROM phe_pw;
SELECT isr(x, n, x, n, 0.95, part) FROM phe_pw;
SELECT life_expectancy(x, n, 0, 0.95, CASE part WHEN 1 THEN 0 ELSE 65 END) FROM phe_pw;
SELECT sii(x, n, part, x - 1, x + 1, CASE part WHEN 1 THEN 'other' ELSE 'rate' END) FROM phe_pw;
SELECT sii(x, n, part, x - 1, x + 1, 'other', part = 2) FROM phe_pw;
-- sii keeps repetitions and seed per row; its final function checks them
SELECT sii(x, n, (part - 1) * 3 + i, x - 1, x + 1, 'other', false, 0.95, 1, 1000, part)
FROM phe_pw WHERE i <= 3;
RESET enable_partitionwise_aggregate;
RESET enable_hashagg;
RESET max_parallel_workers_per_gather;
DROP TABLE phe_pw;
