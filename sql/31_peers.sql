-- Peers (docs/methods.md section 2): peer_benchmark, opportunity and the
-- peer_zscore window function, checked against independent plain-SQL
-- formulations (leave-one-out by self-join; medians by percentile_cont).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;
SET extra_float_digits = 0;

-- peer_benchmark: mean of the best k (lowest unless higher_is_better).
-- Values 3, 9, 1, 7, 5, 2, 8, 10, 4, 6: best 5 low = (1+2+3+4+5)/5 = 3,
-- best 5 high = (6+7+8+9+10)/5 = 8, best 3 low = 2, best 3 high = 9.
CREATE TABLE pb (grp text, v float8);
INSERT INTO pb VALUES ('a', 3), ('a', 9), ('a', 1), ('a', 7), ('a', 5), ('a', 2), ('a', 8),
  ('a', 10), ('a', 4), ('a', 6), ('a', NULL), ('b', 1.5), ('b', 2.5), ('b', 0.5);
SELECT grp, peer_benchmark(v) AS best5, peer_benchmark(v, 5, true) AS best5_high,
       peer_benchmark(v, 3) AS best3, peer_benchmark(v, 3, true) AS best3_high,
       peer_benchmark(v, 3, false) AS best3_again
FROM pb GROUP BY grp ORDER BY grp;
-- fewer than k values: NULL (group b has 3); empty group: NULL
SELECT peer_benchmark(v) FROM pb WHERE false;
-- ties count once each: (2, 2, 2, 9) best 2 = 2
SELECT peer_benchmark(v, 2) FROM (VALUES (2.0::float8), (9), (2), (2)) t(v);
-- errors
SELECT peer_benchmark(v, 0) FROM pb;
SELECT peer_benchmark(v, NULL) FROM pb;
SELECT peer_benchmark(v, 5, NULL) FROM pb;
SELECT peer_benchmark(v, CASE WHEN v > 5 THEN 3 ELSE 5 END) FROM pb;
SELECT peer_benchmark(v, 5, v > 5) FROM pb;
SELECT peer_benchmark(v) FROM (VALUES ('NaN'::float8)) t(v);
-- the state is a value_list with parameters (best, higher_is_better)
SELECT peer_benchmark_final(peer_benchmark_combine(NULL, '1:1:2,1:3:1,5,3'::value_list));
SELECT peer_benchmark_final('1:2:2,1:1:1,5'::value_list);
SELECT peer_benchmark_final('1:1:0,1:1:1'::value_list);
SELECT peer_benchmark_combine('1:1:2,1:1:1'::value_list, '1:1:3,1:1:1'::value_list);
SELECT peer_benchmark_combine('1:1:2,0:1:1'::value_list, '1:1:2,1:1:1'::value_list);
-- called directly, the transition function works on a copy (best 1 of 3
-- and 1, lower is better: 1)
SELECT peer_benchmark_final(peer_benchmark_trans(peer_benchmark_trans(NULL, 3, 1), 1, 1));

-- opportunity = max(0, gap) * population / per
-- own 12.5 per 1,000 vs benchmark 10 per 1,000, population 40,000:
-- (12.5 - 10) * 40000 / 1000 = 100 avoidable events
SELECT opportunity(12.5, 10, 40000, false, 1000) AS lower_is_better,
       opportunity(12.5, 10, 40000, true, 1000) AS higher_is_better_no_gap,
       opportunity(0.70, 0.80, 5000, true, 1) AS higher_is_better,
       opportunity(10, 10, 1e6) AS on_benchmark,
       opportunity(NULL, 10, 1e6) AS null_in_null_out;
SELECT opportunity(1, 2, -5);
SELECT opportunity(1, 2, 5, false, 0);
SELECT opportunity('NaN', 2, 5);

-- peer_zscore: each row against the OTHER non-NULL rows of its partition.
CREATE TABLE pz (id int, grp int, v float8);
INSERT INTO pz
SELECT i, i % 4, CASE WHEN i % 11 = 0 THEN NULL ELSE ((i * 37) % 101) / 7.0 END
FROM generate_series(1, 60) i;
-- outliers and ties, and a group with too few peers
INSERT INTO pz VALUES (100, 0, 500), (101, 1, 3), (102, 1, 3), (103, 5, 1), (104, 5, 2),
  (105, 5, 3), (106, 6, 1), (107, 6, 2), (108, 6, 3), (109, 6, 4), (110, 7, 2), (111, 7, 2),
  (112, 7, 2), (113, 7, 5), (114, 8, NULL);
-- independent: leave-one-out mean and SD (divisor n - 1 of the others)
CREATE VIEW pz_expected AS
SELECT a.id,
       CASE WHEN a.v IS NULL OR count(b.v) < 3 OR stddev_samp(b.v) = 0 THEN NULL
            ELSE (a.v - avg(b.v)) / stddev_samp(b.v) END AS z_standard,
       CASE WHEN a.v IS NULL OR count(b.v) < 3 THEN NULL
            ELSE a.v - percentile_cont(0.5) WITHIN GROUP (ORDER BY b.v) END AS dev_median
FROM pz a LEFT JOIN pz b ON b.grp = a.grp AND b.id <> a.id AND b.v IS NOT NULL
GROUP BY a.id, a.v;
CREATE VIEW pz_mad AS
SELECT a.id,
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(b.v - m.med))
        FROM pz b WHERE b.grp = a.grp AND b.id <> a.id AND b.v IS NOT NULL) AS mad
FROM pz a,
LATERAL (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY b.v) AS med
         FROM pz b WHERE b.grp = a.grp AND b.id <> a.id AND b.v IS NOT NULL) m;
CREATE VIEW pz_got AS
SELECT id, grp, v, peer_zscore(v) OVER w AS z, peer_zscore(v, 'robust') OVER w AS zr
FROM pz WINDOW w AS (PARTITION BY grp);
SELECT count(*) AS rows,
       count(*) FILTER (WHERE g.z IS NULL) AS null_standard,
       count(*) FILTER (WHERE g.zr IS NULL) AS null_robust,
       count(*) FILTER (WHERE (g.z IS NULL) <> (e.z_standard IS NULL)
                           OR abs(g.z - e.z_standard) > 1e-12 * greatest(1, abs(e.z_standard))) AS standard_mismatches,
       count(*) FILTER (WHERE (g.zr IS NULL) <> (e.dev_median IS NULL OR m.mad = 0)
                           OR abs(g.zr - e.dev_median / (1.4826 * nullif(m.mad, 0))) > 1e-12 * greatest(1, abs(g.zr))) AS robust_mismatches
FROM pz_got g JOIN pz_expected e USING (id) JOIN pz_mad m USING (id);
-- The small groups by hand. Group 5 has 3 rows: 2 peers each, NULL.
-- Group 6 (1, 2, 3, 4): id 106 (v 1) against 2, 3, 4: mean 3, SD 1,
-- z = -2; median 3, MAD 1, robust (1 - 3) / 1.4826 = -1.348981519. id 107
-- (v 2) against 1, 3, 4: mean 8/3, SD sqrt(7/3) = 1.527525, z = -0.436436;
-- median 3, MAD median(2, 0, 1) = 1, robust -1/1.4826 = -0.674490760.
-- Group 7 (2, 2, 2, 5): a 2 against 2, 2, 5: mean 3, SD sqrt(3), z =
-- -0.577350; median 2 and MAD 0, robust NULL. The 5 against 2, 2, 2: SD 0,
-- NULL for both (zero spread is NULL, not infinity). id 114: NULL value.
SELECT id, grp, v, round(z::numeric, 10) AS z, round(zr::numeric, 10) AS zr
FROM pz_got WHERE grp >= 5 OR id >= 100 ORDER BY id;
-- the outlier (500) in group 0 is scored against the others only
SELECT id, round(z::numeric, 6) AS z, round(e.z_standard::numeric, 6) AS expected
FROM pz_got JOIN pz_expected e USING (id) WHERE id = 100;
-- the scores depend only on the partition's values: any row order (and so
-- any plan) gives bit-identical results
SELECT count(*) AS differ FROM (
  SELECT id, peer_zscore(v) OVER (PARTITION BY grp ORDER BY v DESC) AS z1,
         peer_zscore(v) OVER (PARTITION BY grp ORDER BY id) AS z2,
         peer_zscore(v) OVER (PARTITION BY grp ORDER BY (id * 7) % 13, id) AS z3,
         peer_zscore(v, 'robust') OVER (PARTITION BY grp ORDER BY v DESC) AS r1,
         peer_zscore(v, 'robust') OVER (PARTITION BY grp ORDER BY id) AS r2 FROM pz) s
WHERE z1 IS DISTINCT FROM z2 OR z1 IS DISTINCT FROM z3 OR r1 IS DISTINCT FROM r2;
-- a far outlier does not swamp its own score: 1e15 against 1, 2, 3, 4
-- (mean 2.5, SD sqrt(5/3)); subtracting it from whole-partition moments
-- would cancel to noise. Expected in exact numeric arithmetic.
SELECT x, abs(z - ((x::numeric - 2.5) / sqrt(5.0 / 3))::float8) <= 1e-15 * abs(z) AS exact_to_1e15
FROM (SELECT x, peer_zscore(x) OVER () AS z FROM (VALUES (1e15::float8), (1), (2), (3), (4)) t(x)) s
WHERE x = 1e15;
SELECT x, round(z::numeric, 12) AS z
FROM (SELECT x, peer_zscore(x) OVER () AS z FROM (VALUES (1e15::float8), (1), (2), (3), (4)) t(x)) s
WHERE x < 1e15 ORDER BY x;
-- errors
SELECT peer_zscore(v, 'median') OVER () FROM pz;
SELECT peer_zscore(v, NULL) OVER () FROM pz;
SELECT peer_zscore(x) OVER () FROM (VALUES (1.0::float8), ('Infinity')) t(x);

-- Forced parallel: peer_benchmark's value_list state crosses workers
CREATE TABLE pb_big AS SELECT i % 10 AS grp, ((i * 7919) % 100003) / 3.0 AS v
FROM generate_series(1, 100000) i;
ANALYZE pb_big;
CREATE TEMP TABLE pb_serial AS SELECT grp, peer_benchmark(v) AS b, peer_benchmark(v, 50, true) AS bh FROM pb_big GROUP BY grp;
SET force_parallel_mode = on;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT peer_benchmark(v) FROM pb_big;
SELECT count(*) AS groups, count(*) FILTER (WHERE p.b = s.b AND p.bh = s.bh) AS identical
FROM pb_serial s JOIN (SELECT grp, peer_benchmark(v) AS b, peer_benchmark(v, 50, true) AS bh
                       FROM pb_big GROUP BY grp) p USING (grp);
RESET force_parallel_mode;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- the sum of the best five overflows but their mean does not
SELECT peer_benchmark(v) FROM (VALUES (1e308::float8), (1e308), (1e308), (1e308), (1e308)) t(v);
SELECT peer_benchmark(v, 2) FROM (VALUES (1.7e308::float8), (1.5e308), (1)) t(v);

DROP TABLE pb, pz, pb_big CASCADE;
