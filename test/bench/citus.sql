-- test/bench/citus.sql -- run by test/bench/70_citus.sh on the coordinator of
-- its Citus cluster (test/citus/cluster.sh), after the demo place is loaded
-- and distributed. psql variable persons: the rows to build.
--
-- The rows: `persons` people made of copies of the demo place's people
-- (person, person_cost, outcome), copy k with person_id + k * (demo size)
-- and costs scaled by 1 + (k mod 97) / 1000 (so copies are not ties), in
-- lcl.b, a plain table on the coordinator (the single node), and cz.b,
-- distributed by person_id (32 shards over the two workers).
--
-- Per aggregate family, one query grouped by segment (7 groups), timed on
-- cz.b (Citus, row gathering disabled: every aggregate is split) and on
-- lcl.b (one node: serial, and with 2 parallel workers, the same two cores
-- the workers use), best of 3, taking turns; the ratio is Citus / single
-- node. "bytes/row" is what the workers send the coordinator: the text of
-- every shard's worker query result (group keys and partial states, as
-- Citus's EXPLAIN (VERBOSE) shows the worker query), summed over the 32
-- shards by run_command_on_shards, per input row.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET jit = off;
SET citus.coordinator_aggregation_strategy = 'disabled';

SELECT count(*) AS demo_n, max(person_id) AS demo_max FROM demo.person \gset
CREATE TABLE lcl.b_base AS
SELECT p.person_id, p.practice_code, p.segment, p.age, p.imd_decile, p.diabetes, p.died,
       c.total_cost, c.primary_care, o.qol, o.emergency_admissions
FROM demo.person p JOIN demo.person_cost c USING (person_id) JOIN demo.outcome o USING (person_id);
CREATE UNLOGGED TABLE lcl.b AS
SELECT b.person_id + k * :demo_max AS person_id, b.practice_code, b.segment AS g, b.age, b.imd_decile,
       b.diabetes, b.died, b.total_cost * (1 + mod(k, 97) / 1000.0) AS cost,
       b.primary_care * (1 + mod(k, 97) / 1000.0) AS primary_cost, b.qol,
       b.emergency_admissions::float8 AS admissions
FROM generate_series(0, (:persons - 1) / :demo_n) k, lcl.b_base b
LIMIT :persons;
CREATE UNLOGGED TABLE cz.b (LIKE lcl.b);
SELECT create_distributed_table('cz.b', 'person_id') \gset
INSERT INTO cz.b SELECT * FROM lcl.b;
VACUUM ANALYZE lcl.b;
VACUUM ANALYZE cz.b;
SELECT count(*) AS rows_b FROM cz.b \gset

CREATE TEMP TABLE bench_q (id serial, family text, q text);
INSERT INTO bench_q (family, q) VALUES
('concentration: top_share, gini, cost_profile (subquery form)',
 $q$ SELECT g, t, gi, (p).* FROM (SELECT g, top_share(cost, 0.2) AS t, gini(cost) AS gi, cost_profile(cost) AS p
                                 FROM @T@ GROUP BY g) s $q$),
('cost sketch: the same figures over cost_sketch (subquery form)',
 $q$ SELECT g, (top_share(s, 0.2)).estimate AS t, (gini(s)).estimate AS gi, (p).*
     FROM (SELECT g, s, cost_profile(s) AS p
           FROM (SELECT g, cost_sketch(cost) AS s FROM @T@ GROUP BY g) x) y $q$),
('value ratios: value_ratio_ci, cohort_ratio_ci',
 $q$ SELECT g, value_ratio_ci(qol, cost / 1000), cohort_ratio_ci(cost, diabetes) FROM @T@ GROUP BY g $q$),
('peers: peer_benchmark',
 $q$ SELECT g, peer_benchmark(cost, 5, false) FROM @T@ GROUP BY g $q$),
('funnels: funnel_fit',
 $q$ SELECT g, funnel_fit(admissions, 0.5 + age / 100.0, 'ratio_log') FROM @T@ GROUP BY g $q$),
('PHE rates: proportion, crude_rate, dsr',
 $q$ SELECT g, proportion(died::int, 1), crude_rate(admissions, 1),
            dsr(died::int, 1, 1000 + mod(age, 19) * 100) FROM @T@ GROUP BY g $q$),
('SPC and trend: spc_chart, trend_marker (a row per period)',
 $q$ SELECT g, spc_chart(person_id::int8, cost), trend_marker(person_id, admissions, 1000 + age) FROM @T@ GROUP BY g $q$),
('peer_space (a unit per row)',
 $q$ SELECT g, peer_space(person_id::text, ARRAY[cost, age::float8]) FROM @T@ GROUP BY g $q$),
('baseline: count, sum, avg',
 $q$ SELECT g, count(*), sum(cost), avg(cost) FROM @T@ GROUP BY g $q$);

SET client_min_messages = error;   -- Citus: a pg_temp function stays local
-- the best of `runs` wall times in ms of each of the three forms, taking turns
CREATE FUNCTION pg_temp.time3(q text, runs integer,
                              OUT citus_ms float8, OUT serial_ms float8, OUT parallel_ms float8)
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    wrap constant text := 'SELECT count(r) FROM (%s) r';
BEGIN
    citus_ms := 'infinity'; serial_ms := 'infinity'; parallel_ms := 'infinity';
    FOR k IN 1 .. runs LOOP
        t0 := clock_timestamp();
        EXECUTE format(wrap, replace(q, '@T@', 'cz.b'));
        citus_ms := least(citus_ms, extract(epoch FROM clock_timestamp() - t0) * 1000);
        SET LOCAL max_parallel_workers_per_gather = 0;
        t0 := clock_timestamp();
        EXECUTE format(wrap, replace(q, '@T@', 'lcl.b'));
        serial_ms := least(serial_ms, extract(epoch FROM clock_timestamp() - t0) * 1000);
        SET LOCAL max_parallel_workers_per_gather = 2;
        SET LOCAL parallel_setup_cost = 0;
        SET LOCAL min_parallel_table_scan_size = 0;
        t0 := clock_timestamp();
        EXECUTE format(wrap, replace(q, '@T@', 'lcl.b'));
        parallel_ms := least(parallel_ms, extract(epoch FROM clock_timestamp() - t0) * 1000);
        RESET max_parallel_workers_per_gather;
        RESET parallel_setup_cost;
        RESET min_parallel_table_scan_size;
    END LOOP;
END $$;

-- bytes the workers send: every shard's worker query, its result as text
CREATE FUNCTION pg_temp.shipped_bytes(q text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    plan text := '';
    line text;
    worker_query text;
    total bigint;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (VERBOSE) ' || replace(q, '@T@', 'cz.b') LOOP
        plan := plan || line || E'\n';
    END LOOP;
    worker_query := substring(plan FROM 'Query: ([^\n]*)');
    IF worker_query IS NULL OR worker_query !~ 'worker_partial_agg|count\(' THEN
        RAISE EXCEPTION 'no split worker query in %', plan;
    END IF;
    worker_query := regexp_replace(worker_query, 'cz\.b_[0-9]+', '%s', 'g');
    SELECT sum(result::bigint) INTO total
    FROM run_command_on_shards('cz.b', format('SELECT coalesce(sum(octet_length(w::text)), 0) FROM (%s) w', worker_query));
    RETURN total;
END $$;
SET client_min_messages = warning;

\pset footer off
\pset tuples_only off
\pset format aligned
\echo
\echo :rows_b 'person rows (copies of the demo place), 7 segments; Citus: coordinator + 2 workers, 32 shards; single node: the coordinator'
SELECT left(family, 62) AS family,
       round(t.citus_ms) AS citus_ms, round(t.serial_ms) AS single_ms,
       round((t.citus_ms / t.serial_ms)::numeric, 2) AS ratio,
       round(t.parallel_ms) AS single_par2_ms,
       round((t.citus_ms / t.parallel_ms)::numeric, 2) AS ratio_par2,
       round(pg_temp.shipped_bytes(q)::numeric / :rows_b, 2) AS shipped_bytes_per_row
FROM bench_q, pg_temp.time3(q, 3) t
ORDER BY id;
