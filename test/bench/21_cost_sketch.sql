-- test/bench/21_cost_sketch.sql -- cost_sketch against sum(cost) and the
-- exact aggregates. Targets (issue 18): per row at most 1.5x sum(cost);
-- state at most 64 KB at relative accuracy 0.005; peak memory flat in n.
--   (a) state bytes: the sketch (binary, as stored; text, as Citus ships
--       it) against the exact value_list state (binary and text), at 1M and
--       10M costs, and the sketch at 60M (value_list: 8 bytes a cost plus
--       its 64-byte header, by its layout; its text is not built at 60M);
--       costs generated on the fly, no table;
--   (b) time on one node over a 10M-row table, one group, serial plans
--       (max_parallel_workers_per_gather = 0: one backend does all the work,
--       so its peak memory is the query's): cost_sketch / sum(cost), and
--       cost_profile (exact) / cost_sketch then cost_profile of the sketch;
--       and over 60M rows (the table read six times in one streamed
--       Append; a 60M-row table is 2.4 GB), cost_sketch / sum(cost);
--   (c) peak backend memory (VmHWM, /proc/PID/status) of a fresh session
--       after each of sum, cost_sketch at 1M, 10M and 60M rows, and the
--       exact cost_profile at 10M.
-- Costs as test/bench/20_concentration.sql: a fifth zero, the rest
-- Pareto(1.3, scale 50) from a golden-ratio sequence, rounded to pence.
\set ON_ERROR_STOP 1
SET max_parallel_workers_per_gather = 0;

CREATE FUNCTION bench_cost(i bigint) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN i % 5 = 0 THEN 0
                ELSE round((50 * (1 - ((i * 0.6180339887498949::float8)
                                       - floor(i * 0.6180339887498949::float8))) ^ (-1 / 1.3::float8))::numeric, 2)::float8
           END $$;

-- the exact aggregates' state, as an aggregate result to measure
CREATE AGGREGATE bench_value_list(float8) (
    SFUNC = cost_values_trans, STYPE = value_list, COMBINEFUNC = concentration_combine);

-- the peak resident memory of this backend so far, in MB
CREATE FUNCTION bench_vmhwm_mb() RETURNS float8 LANGUAGE sql AS $$
    SELECT round((substring(pg_read_file('/proc/' || pg_backend_pid() || '/status')
                            FROM 'VmHWM:\s+(\d+) kB')::numeric / 1024), 1)::float8 $$;

\echo (a) state bytes
CREATE TEMP TABLE sketch_size (n bigint, sketch_bytes int, sketch_text_bytes int, buckets int,
                               value_list_bytes bigint, value_list_text_bytes bigint);
INSERT INTO sketch_size
SELECT n, pg_column_size(s), octet_length(s::text),
       array_length(string_to_array(s::text, ';'), 1) - 2,
       v.b, v.t
FROM (VALUES (1000000::bigint), (10000000)) sizes(n),
LATERAL (SELECT cost_sketch(bench_cost(i)) AS s FROM (SELECT generate_series(1, n) AS i) g) k,
LATERAL (SELECT pg_column_size(l)::bigint AS b, octet_length(l::text)::bigint AS t
         FROM (SELECT bench_value_list(bench_cost(i)) AS l FROM (SELECT generate_series(1, n) AS i) g) x) v;
INSERT INTO sketch_size
SELECT 60000000, pg_column_size(s), octet_length(s::text),
       array_length(string_to_array(s::text, ';'), 1) - 2, 64 + 8 * 60000000::bigint, NULL
FROM (SELECT cost_sketch(bench_cost(i)) AS s FROM (SELECT generate_series(1, 60000000) AS i) g) k;
-- the worst case the 64 KB target names: every bucket from 0.01 to 1e9
-- occupied (one cost in each; a bucket's size does not depend on its count)
INSERT INTO sketch_size
SELECT -1, pg_column_size(s), octet_length(s::text), array_length(string_to_array(s::text, ';'), 1) - 2,
       NULL, NULL
FROM (SELECT cost_sketch(0.01 * power(1.005 / 0.995, j)) AS s
      FROM generate_series(0, ceil(ln(1e11) / ln(1.005 / 0.995))::int) j) k;
SELECT CASE WHEN n < 0 THEN 'every bucket 0.01..1e9' ELSE n::text END AS costs, buckets,
       sketch_bytes, sketch_text_bytes, value_list_bytes, value_list_text_bytes,
       round(value_list_bytes::numeric / sketch_bytes) AS binary_ratio,
       round(value_list_text_bytes::numeric / sketch_text_bytes) AS text_ratio
FROM sketch_size ORDER BY n;

\echo (b) time, one group, serial
CREATE UNLOGGED TABLE sketch_bench AS
SELECT i AS person_id, bench_cost(i) AS cost FROM generate_series(1, 10000000) i;
VACUUM ANALYZE sketch_bench;
\set six 'SELECT cost FROM sketch_bench UNION ALL SELECT cost FROM sketch_bench UNION ALL SELECT cost FROM sketch_bench UNION ALL SELECT cost FROM sketch_bench UNION ALL SELECT cost FROM sketch_bench UNION ALL SELECT cost FROM sketch_bench'
SELECT * FROM bench_compare('cost_sketch 10M', 'SELECT cost_sketch(cost) AS v FROM sketch_bench',
                            'sum 10M', 'SELECT sum(cost) AS v FROM sketch_bench', 5);
SELECT * FROM bench_compare('cost_profile(cost) exact 10M',
                            'SELECT cost_profile(cost) AS v FROM sketch_bench',
                            'cost_profile(cost_sketch) 10M',
                            'SELECT cost_profile(cost_sketch(cost)) AS v FROM sketch_bench', 3);
-- 60M rows: the 10M table read six times over (a streamed Append, not
-- stored), the same per-row work as 60M people
SELECT * FROM bench_compare('cost_sketch 60M',
                            'SELECT cost_sketch(cost) AS v FROM (' || :'six' || ') t',
                            'sum 60M', 'SELECT sum(cost) AS v FROM (' || :'six' || ') t', 3);
-- the floor: the executor's per-row work alone (count(*) reads no column)
SELECT * FROM bench_compare('sum 10M', 'SELECT sum(cost) AS v FROM sketch_bench',
                            'count(*) 10M', 'SELECT count(*) AS v FROM sketch_bench', 5);

\echo (c) peak backend memory (VmHWM of a fresh session, MB)
-- count(x) reads the aggregate's result: with count(*) the planner would
-- drop the aggregate (lib.sql)
CREATE TABLE peak (query text, mb float8);
\c
SET max_parallel_workers_per_gather = 0;
SELECT bench_vmhwm_mb() AS mb \gset
INSERT INTO peak VALUES ('fresh session', :mb);
\c
SET max_parallel_workers_per_gather = 0;
SELECT count(x) FROM (SELECT sum(cost) AS x FROM sketch_bench) s;
SELECT bench_vmhwm_mb() AS mb \gset
INSERT INTO peak VALUES ('sum 10M', :mb);
\c
SET max_parallel_workers_per_gather = 0;
SELECT count(x) FROM (SELECT cost_sketch(cost) AS x FROM sketch_bench WHERE person_id <= 1000000) s;
SELECT bench_vmhwm_mb() AS mb \gset
INSERT INTO peak VALUES ('cost_sketch 1M', :mb);
\c
SET max_parallel_workers_per_gather = 0;
SELECT count(x) FROM (SELECT cost_sketch(cost) AS x FROM sketch_bench) s;
SELECT bench_vmhwm_mb() AS mb \gset
INSERT INTO peak VALUES ('cost_sketch 10M', :mb);
\c
SET max_parallel_workers_per_gather = 0;
SELECT count(x) FROM (SELECT cost_sketch(cost) AS x FROM (:six) t) s;
SELECT bench_vmhwm_mb() AS mb \gset
INSERT INTO peak VALUES ('cost_sketch 60M', :mb);
\c
SET max_parallel_workers_per_gather = 0;
SELECT count(x) FROM (SELECT sum(cost) AS x FROM (:six) t) s;
SELECT bench_vmhwm_mb() AS mb \gset
INSERT INTO peak VALUES ('sum 60M', :mb);
\c
SET max_parallel_workers_per_gather = 0;
SELECT count(x) FROM (SELECT cost_profile(cost) AS x FROM sketch_bench) s;
SELECT bench_vmhwm_mb() AS mb \gset
INSERT INTO peak VALUES ('cost_profile (exact) 10M', :mb);
TABLE peak;
DROP TABLE sketch_bench, peak;
