-- The public-health aggregates give the same answers with forced parallel
-- plans (partial aggregation in workers, states combined by the combine
-- functions) as serially. Floating-point sums then run in a different
-- order, so results are compared to 1e-12 relative.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;
SET extra_float_digits = 0;

CREATE FUNCTION pg_temp.relerr(a float8, b float8) RETURNS float8
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
