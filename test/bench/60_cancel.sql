-- test/bench/60_cancel.sql -- cancellation, not speed: how long each
-- aggregate (and window function) of value_ext takes to stop after a
-- cancel, over 20M rows in one group. Target: <= 0.1 s from
-- pg_cancel_backend to the error reaching the client, at any moment of the
-- query (scan, combine, final sort, final loops).
--
-- The calls are generated from the catalogue (every aggregate and window
-- function that belongs to the extension: test/lib/extension_members.sql),
-- so a new aggregate is covered the day it is added: each argument gets a
-- valid value from cancel_arg_rule below (by function and argument name,
-- else by name, else by type: float8 a column of positive costs, integers 5,
-- booleans true). A text argument, or any argument no rule covers, makes
-- the signature print as skipped with the reason, and so does a call that
-- fails on the first 2,000 rows: add a rule. Window functions run over one
-- partition of all the rows (OVER ()).
--
-- Each call runs in a second session (dblink, from contrib) and is
-- cancelled with pg_cancel_backend from this one; the delay is measured
-- here, polling the connection every millisecond until the error arrives.
-- Tries, for each signature, with max_parallel_workers_per_gather at the
-- cluster's 2 and at 0 (serial):
--   io+0.2  when the backend has read and written nothing for 0.2 s (polled
--           every 20 ms from /proc/PID/io): the scan is over and the
--           final step (sort, selection, per-row loops) or the wait for the
--           workers' partial states is under way; the query's own runtime
--           when it ends first. (The table, 1.1 GB at 20M rows, is larger
--           than a quarter of shared_buffers, so a scan reads it through a
--           ring buffer with a read() per block, visible in /proc.);
--   io+1    the same 1 s into the quiet phase, when io+0.2 did cancel: the
--           loops after a final sort;
--   0.5     seconds after the start (scan and transition functions),
--           skipped when an earlier try saw the query end sooner;
--   later delays for calls whose heavy step is not after a scan (sii's
--           simulation: cancel_source.extra_delays).
-- A try whose delay is over 0.1 s but at most 1 s is run again and the
-- smaller delay kept: on a shared 2-core host a busy neighbour delays a
-- cancel that way now and then (sum(v) over the same rows, the first
-- line, shows the floor); slower ones are loops without an interrupt check
-- and are not rerun. Each row prints the largest delay over the tries that
-- did cancel, and when (seconds after the start) that cancel was sent; the
-- NOTICE lines list every try.
--
-- Run alone: `bash test/run.sh bench 60` (builds and installs first) or
-- `bash test/with-cluster.sh bash test/bench/run.sh 60`. Runs as a
-- superuser (dblink to its own cluster, pg_read_file of /proc), in about
-- 10 minutes on an idle 2-core host.
-- Knobs (environment): CANCEL_BENCH_ROWS (default 20000000),
-- CANCEL_BENCH_ONLY (a regular expression on the function name, e.g.
-- 'concentration|gini', default all).
\set ON_ERROR_STOP 1
\getenv cancel_rows CANCEL_BENCH_ROWS
\if :{?cancel_rows}
\else
\set cancel_rows 20000000
\endif
\getenv cancel_only CANCEL_BENCH_ONLY
\if :{?cancel_only}
\else
\set cancel_only ''
\endif
\set VERBOSITY terse
SET cancel.rows = :'cancel_rows';
SET cancel.name_filter = :'cancel_only';
CREATE EXTENSION IF NOT EXISTS dblink;

-- the rows: positive costs v, v2 and weights w, fixed seed; everything else
-- a call needs is an expression of i (cancel_arg_rule)
SELECT setseed(0.42) \gset
CREATE UNLOGGED TABLE cancel_bench AS
SELECT i, random() * 1000 AS v, random() * 1000 AS v2, 1 + random() * 999 AS w
FROM generate_series(1, :cancel_rows) i;
VACUUM ANALYZE cancel_bench;
CREATE TABLE cancel_bench_small AS SELECT * FROM cancel_bench WHERE i <= 100;

-- argument values. proname / argname / argtype NULL = any; the most
-- specific matching rules win (function > name > type); several rules of
-- the same specificity are variants, each timed on its own line.
CREATE TABLE cancel_arg_rule (proname name, argname text, argtype regtype, expr text, ord serial);
INSERT INTO cancel_arg_rule (proname, argname, argtype, expr) VALUES
    (NULL, NULL, 'float8', 'v'),             -- costs, values, counts: 0 .. 1000
    (NULL, NULL, 'int4', '5'),
    (NULL, NULL, 'int8', '5'),
    (NULL, NULL, 'bool', 'true'),
    (NULL, 'rank', NULL, 'v2'),
    (NULL, 'weight', NULL, 'w'),
    -- denominators and populations: above any numerator, the same on every
    -- row of a band (i % 19) as dsr's non-independent form requires
    (NULL, 'n', NULL, '(1000000 + i % 19 * 1000)::float8'),
    (NULL, 'denominator', NULL, '(1000000 + i % 19 * 1000)::float8'),
    (NULL, 'population', NULL, '(1000000 + i % 19 * 1000)::float8'),
    (NULL, 'reference_population', NULL, '(1000000 + i % 19 * 1000)::float8'),
    (NULL, 'standard_population', NULL, '(1000 + i % 19 * 100)::float8'),
    (NULL, 'age_band', NULL, '(''b'' || i % 19)'),
    (NULL, 'event_frequency', NULL, '(i % 4)::float8'),
    -- life table band starts 0, 1, 5, 10, ..., 90
    (NULL, 'age_band_start', NULL, '(CASE i % 20 WHEN 0 THEN 0 WHEN 1 THEN 1 ELSE (i % 20 - 1) * 5 END)'),
    (NULL, 'in_cohort', NULL, '(i % 3 = 0)'),
    (NULL, 'confidence', NULL, '0.95'),
    (NULL, 'multiplier', NULL, '100000'),
    (NULL, 'fraction', NULL, '0.2'),
    (NULL, 'trim_fraction', NULL, '0.1'),
    (NULL, 'best', NULL, '5'),
    (NULL, 'at_age', NULL, '5'),
    (NULL, 'groups', NULL, '10'),
    -- text arguments: the README's documented defaults
    ('value_ratio_ci', 'method', NULL, '''fieller'''),
    ('peer_zscore', 'method', NULL, '''standard'''),
    ('peer_zscore', 'method', NULL, '''robust'''),
    (NULL, 'data_type', NULL, '''proportion'''),
    (NULL, 'adjustment', NULL, '''additive'''),
    (NULL, 'trim', NULL, '''winsorise'''),
    (NULL, 'value_type', NULL, '''other'''),
    -- sii: one row per quantile, lower <= value <= upper, the most draws
    ('sii', 'quantile', NULL, 'i'),
    ('sii', 'lower', NULL, '(v - 1)'),
    ('sii', 'upper', NULL, '(v + 1)'),
    ('sii', 'repetitions', NULL, '10000000'),
    ('sii', 'seed', NULL, '1'),
    -- trend_marker: every row its own period (the final step checks all of
    -- them for duplicates), limits around the value
    ('trend_marker', 'period', NULL, 'i'),
    ('trend_marker', 'lower', NULL, '(v - 1)'),
    ('trend_marker', 'upper', NULL, '(v + 1)');

-- rows other than the whole table, and later cancels, for some functions
CREATE TABLE cancel_source (proname name PRIMARY KEY, source text, note text, extra_delays float8[]);
INSERT INTO cancel_source VALUES
    ('sii', 'cancel_bench_small WHERE i <= 5',
     '5 (one per quintile); 10M draws with 11 args', '{3, 4}');

CREATE TABLE cancel_call (id serial PRIMARY KEY, label text, rows_note text, query text, skip text);
CREATE TABLE cancel_result (call_id integer, workers integer, try text, rep integer, status text,
                            cancel_at float8, latency float8, message text);
-- the floor: a built-in aggregate over the same rows
INSERT INTO cancel_call (label, rows_note, query)
VALUES ('sum(float8) (built-in, the floor)', to_char(:cancel_rows, 'FM999,999,999,999'),
        'SELECT sum(v)::text FROM cancel_bench');

-- build one call per signature (and per variant) of the extension's
-- aggregates and window functions (the members of value_ext:
-- test/lib/extension_members.sql)
\ir ../lib/extension_members.sql
DO $$
DECLARE
    f record;
    variants text[];
    calls text[];
    labels text[];
    next_calls text[];
    next_labels text[];
    spec integer;
    why text;
    src record;
    from_clause text;
    rows_note text;
    q text;
    sig text;
BEGIN
    FOR f IN
        SELECT p.oid, p.proname, p.prokind, p.pronargs, p.proargnames, p.proargtypes,
               quote_ident(n.nspname) || '.' || quote_ident(p.proname) AS qname
        FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        JOIN extension_members m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
        WHERE p.prokind IN ('a', 'w')
          AND p.proname ~ current_setting('cancel.name_filter')
        ORDER BY p.prokind, p.proname, p.pronargs
    LOOP
        sig := f.proname || '(' || coalesce((
            SELECT string_agg(replace(replace(replace(format_type(t, NULL), 'double precision', 'float8'),
                                              'integer', 'int'), 'boolean', 'bool'), ', ' ORDER BY k)
            FROM unnest(f.proargtypes::oid[]) WITH ORDINALITY a(t, k)), '') || ')';
        calls := ARRAY[''];
        labels := ARRAY[''];
        why := NULL;
        FOR k IN 1 .. f.pronargs LOOP
            SELECT max((r.proname IS NOT NULL)::int * 4 + (r.argname IS NOT NULL)::int * 2
                       + (r.argtype IS NOT NULL)::int)
            INTO spec
            FROM cancel_arg_rule r
            WHERE (r.proname IS NULL OR r.proname = f.proname)
              AND (r.argname IS NULL OR r.argname = f.proargnames[k])
              AND (r.argtype IS NULL OR r.argtype = f.proargtypes[k - 1]);
            SELECT array_agg(r.expr ORDER BY r.ord) INTO variants
            FROM cancel_arg_rule r
            WHERE (r.proname IS NULL OR r.proname = f.proname)
              AND (r.argname IS NULL OR r.argname = f.proargnames[k])
              AND (r.argtype IS NULL OR r.argtype = f.proargtypes[k - 1])
              AND (r.proname IS NOT NULL)::int * 4 + (r.argname IS NOT NULL)::int * 2
                  + (r.argtype IS NOT NULL)::int = spec;
            IF variants IS NULL THEN
                why := format('no valid value known for argument %s %s (add a cancel_arg_rule)',
                              coalesce(f.proargnames[k], '$' || k), format_type(f.proargtypes[k - 1], NULL));
                EXIT;
            END IF;
            next_calls := '{}';
            next_labels := '{}';
            FOR c IN 1 .. array_length(calls, 1) LOOP
                FOREACH q IN ARRAY variants LOOP
                    next_calls := next_calls || (calls[c] || CASE WHEN k > 1 THEN ', ' ELSE '' END || q);
                    next_labels := next_labels
                        || (labels[c] || CASE WHEN array_length(variants, 1) > 1 THEN ' ' || q ELSE '' END);
                END LOOP;
            END LOOP;
            calls := next_calls;
            labels := next_labels;
        END LOOP;
        IF why IS NOT NULL THEN
            INSERT INTO cancel_call (label, skip) VALUES (sig, why);
            CONTINUE;
        END IF;
        SELECT * INTO src FROM cancel_source s WHERE s.proname = f.proname;
        from_clause := coalesce(src.source, 'cancel_bench');
        rows_note := coalesce(src.note, to_char(current_setting('cancel.rows')::bigint, 'FM999,999,999,999'));
        FOR c IN 1 .. array_length(calls, 1) LOOP
            IF f.prokind = 'a' THEN
                q := format('SELECT (%s(%s))::text FROM %s', f.qname, calls[c], from_clause);
            ELSE
                q := format('SELECT count(z)::text FROM (SELECT %s(%s) OVER () AS z FROM %s) s',
                            f.qname, calls[c], from_clause);
            END IF;
            -- a call that fails on a few rows would only time its error
            why := NULL;
            BEGIN
                EXECUTE regexp_replace(q, ' FROM cancel_bench\M', ' FROM (SELECT * FROM cancel_bench_small UNION ALL '
                                || 'SELECT * FROM cancel_bench WHERE i BETWEEN 101 AND 2000) cancel_bench');
            EXCEPTION WHEN OTHERS THEN
                why := 'the call fails: ' || SQLERRM;
            END;
            INSERT INTO cancel_call (label, rows_note, query, skip)
            VALUES (sig || labels[c], rows_note, q, why);
        END LOOP;
    END LOOP;
END $$;

-- one try: run query in a second session, cancel it (after `delay` seconds,
-- or when its I/O has stopped for `delay` seconds with after_io) and time
-- the cancel until the error reaches us
CREATE FUNCTION cancel_try(query text, workers integer, delay float8, after_io boolean,
                           OUT status text, OUT cancel_at float8, OUT latency float8,
                           OUT message text)
LANGUAGE plpgsql SET client_min_messages = warning AS $$
DECLARE
    conn text := 'cancel_bench_run';
    sockdir text := split_part(current_setting('unix_socket_directories'), ',', 1);
    pid integer;
    t_start timestamptz;
    t_cancel timestamptz;
    io bigint;
    last_io bigint;
    io_since timestamptz;
    procio text;
BEGIN
    PERFORM dblink_connect(conn, format('host=%s port=%s dbname=%s user=%s',
        CASE WHEN sockdir = '' THEN 'localhost' ELSE sockdir END,
        current_setting('port'), current_database(), current_user));
    PERFORM dblink_exec(conn, format('SET max_parallel_workers_per_gather = %s', workers));
    SELECT r.p INTO pid FROM dblink(conn, 'SELECT pg_backend_pid()') AS r(p integer);
    t_start := clock_timestamp();
    PERFORM dblink_send_query(conn, query);
    IF after_io THEN
        procio := '/proc/' || pid || '/io';
        io_since := clock_timestamp();
        LOOP
            PERFORM pg_sleep(0.02);
            EXIT WHEN dblink_is_busy(conn) = 0;
            BEGIN
                SELECT substring(t FROM 'rchar: (\d+)')::bigint + substring(t FROM 'wchar: (\d+)')::bigint
                INTO io FROM pg_read_file(procio) t;
            EXCEPTION WHEN OTHERS THEN
                io := NULL;  -- no /proc: fall back to a fixed 3 s
                EXIT WHEN clock_timestamp() >= t_start + interval '3 s';
            END;
            IF io IS DISTINCT FROM last_io THEN
                last_io := io;
                io_since := clock_timestamp();
            ELSIF clock_timestamp() >= io_since + make_interval(secs => delay) THEN
                EXIT;
            END IF;
        END LOOP;
    ELSE
        WHILE dblink_is_busy(conn) = 1 AND clock_timestamp() < t_start + make_interval(secs => delay) LOOP
            PERFORM pg_sleep(0.005);
        END LOOP;
    END IF;
    IF dblink_is_busy(conn) = 1 THEN
        t_cancel := clock_timestamp();
        PERFORM pg_cancel_backend(pid);
        WHILE dblink_is_busy(conn) = 1 LOOP
            PERFORM pg_sleep(0.001);
        END LOOP;
        latency := extract(epoch FROM clock_timestamp() - t_cancel);
        cancel_at := extract(epoch FROM t_cancel - t_start);
        status := 'cancelled';
    ELSE
        cancel_at := extract(epoch FROM clock_timestamp() - t_start);  -- its runtime
        status := 'finished';
    END IF;
    PERFORM * FROM dblink_get_result(conn, false) AS r(x text);
    message := dblink_error_message(conn);
    PERFORM dblink_disconnect(conn);
    IF message = 'OK' THEN
        message := NULL;
        status := 'finished';   -- it ended on its own just before the cancel
        latency := NULL;
    ELSIF message !~ 'canceling statement due to user request' THEN
        status := 'error';
    END IF;
END $$;

-- all tries of one call at one setting: when the I/O stops (+0.2 s, and,
-- if the query was still running then, +1 s), then at fixed delays; a try
-- of 0.1 - 1 s is run once more
CREATE PROCEDURE cancel_measure(cid integer, workers integer) LANGUAGE plpgsql AS $$
DECLARE
    c cancel_call;
    t record;
    d float8;
    try text;
    delays float8[];
    ran float8;   -- the query's runtime, once a try saw it end
    line text := '';
BEGIN
    SELECT * INTO c FROM cancel_call WHERE id = cid;
    SELECT array[0.5]::float8[] || coalesce(s.extra_delays, '{}') INTO delays
    FROM (SELECT 1) x LEFT JOIN cancel_source s ON c.label LIKE s.proname || '(%';
    FOR k IN 1 .. 2 + array_length(delays, 1) LOOP
        IF k = 2 THEN
            CONTINUE WHEN t.status <> 'cancelled';
        ELSIF k > 2 THEN
            d := delays[k - 2];
            CONTINUE WHEN ran IS NOT NULL AND d >= ran;
        END IF;
        try := CASE k WHEN 1 THEN 'io+0.2' WHEN 2 THEN 'io+1' ELSE d::text END;
        FOR r IN 1 .. 2 LOOP
            IF k = 1 THEN
                SELECT * INTO t FROM cancel_try(c.query, workers, 0.2, true);
            ELSIF k = 2 THEN
                SELECT * INTO t FROM cancel_try(c.query, workers, 1.0, true);
            ELSE
                SELECT * INTO t FROM cancel_try(c.query, workers, d, false);
            END IF;
            INSERT INTO cancel_result VALUES (cid, workers, try, r, t.status, t.cancel_at, t.latency, t.message);
            line := line || format('%s %s: %s', CASE WHEN k > 1 OR r > 1 THEN ';' END,
                                   CASE WHEN r > 1 THEN 'again' ELSE try END,
                                   CASE t.status WHEN 'cancelled' THEN format('%ss @%s', round(t.latency::numeric, 3), round(t.cancel_at::numeric, 2))
                                                 ELSE format('%s %ss', t.status, round(t.cancel_at::numeric, 2)) END);
            IF t.status = 'finished' THEN
                ran := least(coalesce(ran, t.cancel_at), t.cancel_at);
            END IF;
            EXIT WHEN t.status <> 'cancelled' OR NOT t.latency BETWEEN 0.1 AND 1.0;
        END LOOP;
        EXIT WHEN t.status = 'error';
    END LOOP;
    RAISE NOTICE '% workers=%:%', c.label, workers, line;
END $$;

\echo 'cancelling each aggregate and window function of value_ext (target: the error within 0.1 s)'
SELECT (SELECT modification FROM pg_stat_file((SELECT setting FROM pg_config WHERE name = 'PKGLIBDIR')
                                               || '/value_ext.so', true)) AS so_start,
       rtrim(pg_read_file('/proc/loadavg'), E'\n') AS load_start \gset
\echo 'value_ext.so built' :so_start ', load average at the start' :load_start
SELECT format('CALL cancel_measure(%s, %s)', c.id, w.workers)
FROM cancel_call c CROSS JOIN (VALUES (1, 2), (2, 0)) w(ord, workers)
WHERE c.skip IS NULL
ORDER BY c.id, w.ord \gexec

SELECT (SELECT modification FROM pg_stat_file((SELECT setting FROM pg_config WHERE name = 'PKGLIBDIR')
                                               || '/value_ext.so', true)) AS "so_end",
       rtrim(pg_read_file('/proc/loadavg'), E'\n') AS "load_end" \gset
\echo 'value_ext.so built' :so_end ', load average at the end' :load_end
\echo 'cancel delay: largest over the tries (s), and when that cancel was sent (s after the start); ok = every delay <= 0.1 s'
WITH per_try AS (   -- a rerun try counts with its smaller delay
    SELECT call_id, workers, try, min(latency) AS latency,
           (array_agg(cancel_at ORDER BY latency NULLS LAST))[1] AS cancel_at,
           min(status) AS status, max(cancel_at) FILTER (WHERE status = 'finished') AS ran,
           string_agg(DISTINCT message, '; ') FILTER (WHERE status = 'error') AS message
    FROM cancel_result GROUP BY call_id, workers, try
), per AS (
    SELECT call_id, workers,
           max(latency) AS worst,
           (array_agg(cancel_at ORDER BY latency DESC NULLS LAST))[1] AS worst_at,
           max(ran) AS ran,
           string_agg(DISTINCT message, '; ') AS error
    FROM per_try GROUP BY call_id, workers
)
SELECT c.label AS "function", coalesce(c.rows_note, '') AS "rows",
       CASE WHEN c.skip IS NOT NULL THEN 'skipped: ' || c.skip
            WHEN p.error IS NOT NULL THEN 'error: ' || p.error
            ELSE coalesce(round(p.worst::numeric, 3) || ' @' || round(p.worst_at::numeric, 1),
                          'ran ' || round(p.ran::numeric, 2)) END AS "parallel 2: max s",
       CASE WHEN c.skip IS NOT NULL THEN ''
            WHEN s.error IS NOT NULL THEN 'error: ' || s.error
            ELSE coalesce(round(s.worst::numeric, 3) || ' @' || round(s.worst_at::numeric, 1),
                          'ran ' || round(s.ran::numeric, 2)) END AS "serial: max s",
       CASE WHEN c.skip IS NOT NULL THEN 'skipped'
            WHEN p.error IS NOT NULL OR s.error IS NOT NULL THEN 'error'
            WHEN p.worst IS NULL AND s.worst IS NULL THEN 'n/a: never cancelled'
            WHEN greatest(p.worst, s.worst) <= 0.1 THEN 'ok'
            ELSE 'SLOW' END AS "<= 0.1 s"
FROM cancel_call c
LEFT JOIN per p ON p.call_id = c.id AND p.workers = 2
LEFT JOIN per s ON s.call_id = c.id AND s.workers = 0
ORDER BY c.id;

DROP TABLE cancel_bench, cancel_bench_small, cancel_arg_rule, cancel_source, cancel_call, cancel_result;
DROP PROCEDURE cancel_measure;
DROP FUNCTION cancel_try;
