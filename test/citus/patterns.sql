-- test/citus/patterns.sql -- the query patterns README "On Citus" documents,
-- run on the coordinator of test/citus/run.sh's cluster after the demo
-- place is distributed (psql variable nspl: a path of
-- test/data/NSPL_NOV_2021_UK_SR.csv the servers can read). Prints TAP
-- lines ("ok - ..." / "not ok - ..." and "# ...").
--
-- Each check runs one query twice: on the distributed tables (demo.*,
-- cz.t, cz.* copies) and on plain single-node copies in schema lcl, made
-- here; @D@, @T@ and @S@ in the query stand for demo / cz.t / cz and
-- lcl / lcl.t / lcl. A query returns (k text, r text), k unique: the two
-- results must have the same keys and, key by key, equal r
-- (pg_temp.same_result: floats within 1e-12 relative, the rest exact).
-- EXPLAIN (VERBOSE) of the distributed query must match every regular
-- expression in `must` and none in `must_not`, and where `partials` is
-- given, the workers' query (the first "Query:" line) must call
-- worker_partial_agg exactly that many times: the number of partial
-- states shipped per shard and group. Row gathering is disabled
-- (citus.coordinator_aggregation_strategy), as in test/citus/aggregates.sql.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET citus.coordinator_aggregation_strategy = 'disabled';
\ir lib.sql

-- single-node copies of the distributed and reference tables used below
CREATE TABLE lcl.person AS SELECT * FROM demo.person;
CREATE TABLE lcl.activity AS SELECT * FROM demo.activity;
CREATE TABLE lcl.postcode AS SELECT * FROM demo.postcode;
CREATE TABLE lcl.person_cost AS SELECT * FROM demo.person_cost;
-- the reference-table pattern: a copy of the lookup columns of imd_lsoa
-- (value_ext's own table, which Citus cannot distribute: it has triggers)
CREATE TABLE cz.imd AS SELECT edition, lsoa_code, imd_decile FROM imd_lsoa;
SELECT create_reference_table('cz.imd') \gset
CREATE TABLE lcl.imd AS SELECT edition, lsoa_code, imd_decile FROM imd_lsoa;

CREATE TEMP TABLE tap (id serial, line text);

SET client_min_messages = error;   -- Citus: a pg_temp function stays local
CREATE FUNCTION pg_temp.check_pattern(title text, q text, must text[] DEFAULT '{}',
                                      must_not text[] DEFAULT '{}', partials integer DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    plan text := '';
    line text;
    worker_query text;
    n_partials integer;
    re text;
    n_rows bigint;
    n_bad bigint;
    example text;
    dq text := replace(replace(replace(q, '@D@', 'demo'), '@T@', 'cz.t'), '@S@', 'cz');
    lq text := replace(replace(replace(q, '@D@', 'lcl'), '@T@', 'lcl.t'), '@S@', 'lcl');
BEGIN
    DROP TABLE IF EXISTS pg_temp.dist_r, pg_temp.loc_r;
    BEGIN
        FOR line IN EXECUTE 'EXPLAIN (VERBOSE) ' || dq LOOP
            plan := plan || line || E'\n';
        END LOOP;
        EXECUTE 'CREATE TEMP TABLE dist_r AS ' || dq;
    EXCEPTION WHEN OTHERS THEN
        INSERT INTO tap (line) VALUES ('not ok - ' || title), ('# on Citus: ERROR: ' || SQLERRM),
                                      ('# ' || dq);
        RETURN;
    END;
    EXECUTE 'CREATE TEMP TABLE loc_r AS ' || lq;
    FOREACH re IN ARRAY must LOOP
        IF plan !~ re THEN
            INSERT INTO tap (line) VALUES ('not ok - ' || title || ': the plan shows ' || re);
            INSERT INTO tap (line) SELECT '# ' || l FROM regexp_split_to_table(rtrim(plan, E'\n'), E'\n') l;
            RETURN;
        END IF;
    END LOOP;
    FOREACH re IN ARRAY must_not LOOP
        IF plan ~ re THEN
            INSERT INTO tap (line) VALUES ('not ok - ' || title || ': the plan does not show ' || re);
            INSERT INTO tap (line) SELECT '# ' || l FROM regexp_split_to_table(rtrim(plan, E'\n'), E'\n') l;
            RETURN;
        END IF;
    END LOOP;
    worker_query := substring(plan FROM 'Query: ([^\n]*)');
    n_partials := (SELECT count(*) FROM regexp_matches(coalesce(worker_query, ''), 'worker_partial_agg\(', 'g'));
    IF partials IS NOT NULL AND n_partials <> partials THEN
        INSERT INTO tap (line) VALUES (format('not ok - %s: %s partial states per shard, not %s', title, partials, n_partials)),
                                      ('# ' || coalesce(worker_query, 'no worker query'));
        RETURN;
    END IF;
    SELECT count(*), count(*) FILTER (WHERE NOT pg_temp.same_result(d.r, l.r) OR d.k IS NULL OR l.k IS NULL),
           min(format('%s: Citus %s, single node %s', coalesce(d.k, l.k), coalesce(d.r, '(none)'), coalesce(l.r, '(none)')))
               FILTER (WHERE NOT pg_temp.same_result(d.r, l.r) OR d.k IS NULL OR l.k IS NULL)
    INTO n_rows, n_bad, example
    FROM dist_r d FULL JOIN loc_r l ON d.k = l.k;
    IF n_bad > 0 OR n_rows = 0 THEN
        INSERT INTO tap (line) VALUES (format('not ok - %s: equal to the single-node result (%s of %s rows differ)', title, n_bad, n_rows)),
                                      ('# ' || left(coalesce(example, 'no rows'), 500));
    ELSE
        INSERT INTO tap (line) VALUES (format('ok - %s (%s rows equal to the single-node result%s)', title, n_rows,
                                              CASE WHEN partials IS NOT NULL THEN format('; %s partial state(s) per shard', n_partials) ELSE '' END));
    END IF;
END $$;

-- a form that Citus refuses (a documented limit): it must still fail on
-- Citus with the message README gives, and run on a single node
CREATE FUNCTION pg_temp.check_refused(title text, q text, message text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    dq text := replace(replace(q, '@D@', 'demo'), '@T@', 'cz.t');
    lq text := replace(replace(q, '@D@', 'lcl'), '@T@', 'lcl.t');
    n bigint;
BEGIN
    EXECUTE 'SELECT count(*) FROM (' || lq || ') s' INTO n;
    BEGIN
        EXECUTE 'SELECT count(*) FROM (' || dq || ') s';
        INSERT INTO tap (line) VALUES ('not ok - ' || title || ': runs on Citus now (update README "On Citus")');
    EXCEPTION WHEN OTHERS THEN
        IF SQLERRM = message THEN
            INSERT INTO tap (line) VALUES (format('ok - %s: "%s" on Citus (%s rows on one node)', title, SQLERRM, n));
        ELSE
            INSERT INTO tap (line) VALUES ('not ok - ' || title || ': fails with "' || message || '"'),
                                          ('# ERROR: ' || SQLERRM);
        END IF;
    END;
END $$;
SET client_min_messages = warning;

-- Window functions partitioned by the distribution column run on the
-- workers, each shard's partitions whole; the coordinator only gathers rows.
SELECT pg_temp.check_pattern(
    'window functions partitioned by person_id (the distribution column) run on the workers',
    $q$ SELECT activity_id::text AS k,
               (top_share(cost::float8, 0.2) OVER w, peer_zscore(cost::float8) OVER w,
                quantile_group(cost::float8, 4) OVER w)::text AS r
        FROM @D@.activity WINDOW w AS (PARTITION BY person_id) $q$,
    must => ARRAY['Query: [^\n]*top_share\([^\n]* OVER w[^\n]* WINDOW w AS \(PARTITION BY worker_column_[0-9]+\)',
                  'activity\.person_id AS worker_column_'],
    must_not => ARRAY['^WindowAgg']);

-- Partitioned by another column, Citus pulls every row to the coordinator
-- and computes the window there, even with row gathering disabled (that
-- setting governs aggregates only): right, but every row travels.
SELECT pg_temp.check_pattern(
    'window functions partitioned by segment (not the distribution column) pull the rows and run on the coordinator',
    $q$ SELECT i::text AS k,
               (top_share(v, 0.2) OVER w, peer_zscore(v) OVER w, quantile_group(v, 10) OVER w)::text AS r
        FROM @T@ WINDOW w AS (PARTITION BY g) $q$,
    must => ARRAY['^WindowAgg', 'Query: [^\n]*FROM cz\.t_[0-9]+ t WHERE true\n'],
    must_not => ARRAY['Query: [^\n]*OVER']);

-- The README's alternative: aggregate first (split), then the window over
-- the few grouped rows on the coordinator.
SELECT pg_temp.check_pattern(
    'aggregate per segment first (split), then a window over the groups',
    $q$ SELECT g AS k, (peer_zscore(c) OVER (), quantile_group(c, 3) OVER ())::text AS r
        FROM (SELECT g, top_share(v, 0.2) AS c FROM @T@ GROUP BY g) s $q$,
    must => ARRAY['coord_combine_agg', 'WindowAgg'], partials => 1);

-- Composite results: the subquery form ships one partial state per group;
-- (f(...)).* in the target list ships one per output column.
SELECT pg_temp.check_pattern(
    'the subquery form SELECT (p).* FROM (SELECT cost_profile(v) AS p ...) s ships the state once',
    $q$ SELECT g AS k, row((p).*)::text AS r
        FROM (SELECT g, cost_profile(v) AS p FROM @T@ GROUP BY g) s $q$,
    must => ARRAY['coord_combine_agg'], partials => 1);
SELECT pg_temp.check_pattern(
    '(cost_profile(v)).* in the target list gives the same rows but ships the state once per column',
    $q$ SELECT g AS k, row((cost_profile(v)).*)::text AS r FROM @T@ GROUP BY g $q$,
    partials => (SELECT count(*)::int FROM pg_attribute
                 WHERE attrelid = (SELECT t.typrelid FROM pg_proc f JOIN pg_type t ON t.oid = f.prorettype
                                   WHERE f.proname = 'cost_profile' AND f.prokind = 'a')
                   AND attnum > 0 AND NOT attisdropped));
SELECT pg_temp.check_pattern(
    '(value_ratio_ci(v2, v)).* in the target list ships the state once per column too',
    $q$ SELECT g AS k, row((value_ratio_ci(v2, v)).*)::text AS r FROM @T@ GROUP BY g $q$,
    partials => (SELECT count(*)::int FROM pg_attribute
                 WHERE attrelid = (SELECT t.typrelid FROM pg_proc f JOIN pg_type t ON t.oid = f.prorettype
                                   WHERE f.proname = 'value_ratio_ci' AND f.prokind = 'a' AND f.pronargs = 2)
                   AND attnum > 0 AND NOT attisdropped));
SELECT pg_temp.check_pattern(
    'the subquery form for value_ratio_ci ships the state once',
    $q$ SELECT g AS k, row((r).*)::text AS r
        FROM (SELECT g, value_ratio_ci(v2, v) AS r FROM @T@ GROUP BY g) s $q$,
    partials => 1);

-- Set-returning functions over aggregates: in FROM (LATERAL), after the
-- aggregating subquery.
SELECT pg_temp.check_pattern(
    'lorenz_curve in FROM (LATERAL) over array_agg per segment',
    $q$ SELECT s.g || ' ' || l.population_share AS k, l.cost_share::text AS r
        FROM (SELECT g, array_agg(v) AS costs FROM @T@ GROUP BY g) s,
             lorenz_curve(s.costs, 4) l $q$);
SELECT pg_temp.check_pattern(
    'lorenz_curve in the target list of a query over the aggregating subquery',
    $q$ SELECT g || ' ' || (l).population_share AS k, (l).cost_share::text AS r
        FROM (SELECT g, lorenz_curve(costs, 4) AS l
              FROM (SELECT g, array_agg(v) AS costs FROM @T@ GROUP BY g) s) s2 $q$);
SELECT pg_temp.check_pattern(
    'spc_points and spc_summary in FROM (LATERAL) over spc_chart per segment',
    $q$ SELECT a.g || ' ' || p.period AS k,
               (p.value, p.centre, p.lower_limit, p.upper_limit, p.rule, p.point_type, s.variation, s.assurance)::text AS r
        FROM (SELECT g, spc_chart(i::int8, v) AS chart FROM @T@ WHERE i <= 400 GROUP BY g) a,
             spc_points(a.chart, 'decrease') p, spc_summary(a.chart, 'decrease', target => 150) s $q$,
    must => ARRAY['coord_combine_agg'], partials => 1);
SELECT pg_temp.check_pattern(
    'funnel_limits in FROM (LATERAL) over funnel_fit per segment',
    $q$ SELECT f.g || ' ' || l.denominator AS k, (l.lower95, l.upper95, l.lower998, l.upper998)::text AS r
        FROM (SELECT g, funnel_fit(v2, v, 'ratio_log') AS model FROM @T@ GROUP BY g) f,
             funnel_limits(f.model, 1000, 20000, 5) l $q$,
    must => ARRAY['coord_combine_agg'], partials => 1);
SELECT pg_temp.check_pattern(
    'nearest_peers over peer_space of a per-practice profile (the aggregating subquery split)',
    $q$ SELECT n.unit || ' ' || n.peer AS k, (n.peer_rank, n.distance, n.tied)::text AS r
        FROM nearest_peers((
            SELECT peer_space(practice_code, ARRAY[people, mean_age, diabetes_share], ARRAY[1, 2, 1])
            FROM (SELECT practice_code, count(*)::float8 AS people, avg(age)::float8 AS mean_age,
                         avg(diabetes::int)::float8 AS diabetes_share
                  FROM @D@.person GROUP BY practice_code) pp), 3) n $q$);

-- ... and what Citus refuses: a set-returning function whose argument is
-- an aggregate, in the target list (Citus's planner leaves the function in
-- the coordinator's projection, where PostgreSQL cannot run it; the same
-- for unnest(array_agg(x)): citusdata/citus#2076, #2265).
SELECT pg_temp.check_refused(
    '(lorenz_curve(array_agg(v), 4)).* in the target list',
    $q$ SELECT g, (lorenz_curve(array_agg(v), 4)).* FROM @T@ GROUP BY g $q$,
    'set-valued function called in context that cannot accept a set');
SELECT pg_temp.check_refused(
    'spc_points(spc_chart(...)) in the target list',
    $q$ SELECT g, (spc_points(spc_chart(i::int8, v))).* FROM @T@ WHERE i <= 400 GROUP BY g $q$,
    'set-valued function called in context that cannot accept a set');

-- Lookups: value_ext's functions read the node's own copy of imd_lsoa
-- (CREATE EXTENSION loaded it on every node), so they run on the workers
-- beside a reference table (demo.postcode).
SELECT pg_temp.check_pattern(
    'imd_decile() beside a reference table (demo.postcode) runs on the workers',
    $q$ SELECT p.practice_code AS k,
               (count(*), count(*) FILTER (WHERE imd_decile(pc.lsoa11_code) <= 2))::text AS r
        FROM @D@.person p JOIN @D@.postcode pc USING (postcode) GROUP BY p.practice_code $q$,
    must => ARRAY['Query: [^\n]*imd_decile\([^\n]*postcode_[0-9]+'],
    must_not => ARRAY['Distributed Subplan']);
-- A join to imd_lsoa itself works, but Citus ships the table (a
-- "Distributed Subplan") to the workers for every query; a reference copy
-- of the columns needed is joined where the shards are.
SELECT pg_temp.check_pattern(
    'a join to imd_lsoa ships imd_lsoa to the workers for every query (Distributed Subplan)',
    $q$ SELECT i.imd_decile::text AS k, count(*)::text AS r
        FROM @D@.person p JOIN imd_lsoa i ON i.lsoa_code = p.lsoa11_code AND i.edition = 2019
        GROUP BY i.imd_decile $q$,
    must => ARRAY['Distributed Subplan']);
SELECT pg_temp.check_pattern(
    'a join to a reference copy of imd_lsoa runs on the workers',
    $q$ SELECT i.imd_decile::text AS k, (count(*), gini(c.total_cost + 1))::text AS r
        FROM @D@.person p JOIN @S@.imd i ON i.lsoa_code = p.lsoa11_code AND i.edition = 2019
             JOIN @D@.person_cost c USING (person_id)
        GROUP BY i.imd_decile $q$,
    must_not => ARRAY['Distributed Subplan'], partials => 1);

-- postcode_lookup is filled per node: load_postcode_lookup on the
-- coordinator fills the coordinator's table only, and imd_decile_for_postcode
-- on a worker then finds nothing (NULL deciles). Load it on every node.
-- (The workers' tables are emptied first, as after CREATE EXTENSION, so
-- that the file can be rerun on one cluster.)
SELECT string_agg(result, ', ') AS truncated FROM run_command_on_workers(format('TRUNCATE %I.postcode_lookup',
    (SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'value_ext'))) \gset
SELECT load_postcode_lookup(:'nspl') AS coordinator_rows \gset
INSERT INTO tap (line)
SELECT format('%s - postcode_lookup loaded on the coordinator only (%s rows): imd_decile_for_postcode in a distributed query finds %s of %s postcodes',
              CASE WHEN found = 0 AND n > 0 THEN 'ok' ELSE 'not ok' END, :coordinator_rows, found, n)
FROM (SELECT count(imd_decile_for_postcode(postcode)) AS found, count(*) AS n FROM demo.person) s;
SELECT string_agg(result, ', ') AS worker_rows
FROM run_command_on_workers(format('SELECT %I.load_postcode_lookup(%L)',
                                   (SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'value_ext'),
                                   :'nspl')) \gset
SELECT pg_temp.check_pattern(
    format('imd_decile_for_postcode runs on the workers once every node has loaded postcode_lookup (%s rows each)', :'worker_rows'),
    $q$ SELECT practice_code AS k,
               (count(*), count(imd_decile_for_postcode(postcode)), sum(imd_decile_for_postcode(postcode)))::text AS r
        FROM @D@.person GROUP BY practice_code $q$,
    must => ARRAY['Query: [^\n]*imd_decile_for_postcode\(']);

-- A materialised view over distributed tables lives on the coordinator:
-- its query is split like any other, REFRESH (also CONCURRENTLY, with a
-- unique index) reruns it. Built over a copy of cz.t / lcl.t that then
-- gains rows, so the refresh has something to change.
CREATE TABLE cz.mv_src (LIKE cz.t);
SELECT create_distributed_table('cz.mv_src', 'i', colocate_with => 'demo.person') \gset
INSERT INTO cz.mv_src SELECT * FROM cz.t WHERE i % 2 = 0;
CREATE TABLE lcl.mv_src AS SELECT * FROM lcl.t WHERE i % 2 = 0;
SELECT format($mv$
CREATE MATERIALIZED VIEW %1$s.mv_segment AS
SELECT g, n, share_top_20, gini, (p).persons, (p).total, (p).mean, (p).median
FROM (SELECT g, count(*) AS n, top_share(v, 0.2) AS share_top_20, gini(v) AS gini, cost_profile(v) AS p
      FROM %1$s.mv_src GROUP BY g) s;
CREATE UNIQUE INDEX ON %1$s.mv_segment (g);
CREATE MATERIALIZED VIEW %1$s.mv_lorenz AS
SELECT s.g, l.population_share, l.cost_share
FROM (SELECT g, array_agg(v) AS costs FROM %1$s.mv_src GROUP BY g) s, lorenz_curve(s.costs, 10) l;
CREATE UNIQUE INDEX ON %1$s.mv_lorenz (g, population_share);
$mv$, sch) FROM unnest(ARRAY['cz', 'lcl']) sch \gexec
SELECT pg_temp.check_pattern(
    'a materialised view of aggregates over a distributed table, on the coordinator',
    $q$ SELECT g AS k, row(n, share_top_20, gini, persons, total, mean, median)::text AS r FROM @S@.mv_segment $q$);
SELECT pg_temp.check_pattern(
    'a materialised view of lorenz_curve (LATERAL) over a distributed table',
    $q$ SELECT g || ' ' || population_share AS k, cost_share::text AS r FROM @S@.mv_lorenz $q$);
CREATE TEMP TABLE mv_before AS SELECT g, n FROM cz.mv_segment;
INSERT INTO cz.mv_src SELECT * FROM cz.t WHERE i % 2 = 1;
INSERT INTO lcl.mv_src SELECT * FROM lcl.t WHERE i % 2 = 1;
REFRESH MATERIALIZED VIEW CONCURRENTLY cz.mv_segment;
REFRESH MATERIALIZED VIEW CONCURRENTLY lcl.mv_segment;
REFRESH MATERIALIZED VIEW cz.mv_lorenz;
REFRESH MATERIALIZED VIEW lcl.mv_lorenz;
SELECT pg_temp.check_pattern(
    format('after INSERT into the distributed table, REFRESH MATERIALIZED VIEW CONCURRENTLY (persons %s -> %s)',
           (SELECT sum(n) FROM mv_before), (SELECT sum(n) FROM cz.mv_segment)),
    $q$ SELECT g AS k, row(n, share_top_20, gini, persons, total, mean, median)::text AS r FROM @S@.mv_segment $q$);
SELECT pg_temp.check_pattern(
    'after INSERT, REFRESH MATERIALIZED VIEW of lorenz_curve',
    $q$ SELECT g || ' ' || population_share AS k, cost_share::text AS r FROM @S@.mv_lorenz $q$);
INSERT INTO tap (line)
SELECT CASE WHEN (SELECT sum(n) FROM cz.mv_segment) = (SELECT count(*) FROM cz.t)
                 AND (SELECT sum(n) FROM mv_before) < (SELECT count(*) FROM cz.t)
            THEN 'ok - the refreshed view counts every row of the distributed table'
            ELSE 'not ok - the refreshed view counts every row of the distributed table' END;

DROP MATERIALIZED VIEW cz.mv_segment, cz.mv_lorenz, lcl.mv_segment, lcl.mv_lorenz;
DROP TABLE cz.mv_src, lcl.mv_src, cz.imd, lcl.imd, lcl.person, lcl.activity, lcl.postcode, lcl.person_cost;

\pset tuples_only on
\pset format unaligned
SELECT line FROM tap ORDER BY id;
SELECT format('# %s patterns checked', count(*)) FROM tap WHERE line ~ '^(not )?ok';
