-- test/citus/rollups.sql -- the ROLLUP route of README "Rollups from stored
-- states" on Citus, run on the coordinator of test/citus/run.sh's cluster
-- after the demo place is distributed (cz.t distributed by i, lcl.t its
-- plain copy on the coordinator: test/citus/aggregates.sql describes both).
-- Prints TAP lines ("ok - ..." / "not ok - ..." and "# ...").
--
-- GROUP BY ROLLUP over a distributed table fails on Citus. The route: an
-- inner GROUP BY of value_list_agg(cost) per fine grain (segment g x a
-- practice-sized bucket of persons), which Citus splits across the workers
-- (worker_partial_agg, coord_combine_agg), then GROUP BY ROLLUP over its
-- result with value_list_agg(state) and the finals, which Citus runs on the
-- coordinator. With row gathering disabled, the route must run, show the
-- split in EXPLAIN (VERBOSE), and give exactly (as text) what the
-- aggregates give under GROUP BY ROLLUP on a single node; so must a rollup
-- of a materialised view of states built from the distributed table.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET citus.coordinator_aggregation_strategy = 'disabled';

CREATE TEMP TABLE rollup_tap (id serial, line text);

DO $$
DECLARE
    finals constant text := 'top_share(s, 0.2)::text || '' '' || top_share(s, 0.01)::text || '' '' '
        '|| gini(s)::text || '' '' || coalesce(gini(s, true)::text, ''-'') || '' '' || cost_profile(s)::text '
        '|| '' '' || (SELECT array_agg(l ORDER BY l.population_share) FROM lorenz_curve(s, 10) l)::text';
    route constant text := 'SELECT coalesce(g, ''(all)'') || '': '' || ' || finals || ' AS r '
        'FROM (SELECT g, value_list_agg(s) AS s '
        '      FROM (SELECT g, i % 13 AS part, value_list_agg(v) AS s FROM @T@ GROUP BY g, i % 13) fine '
        '      GROUP BY ROLLUP (g)) r ORDER BY g NULLS LAST';
    direct constant text := 'SELECT coalesce(g, ''(all)'') || '': '' || top_share(v, 0.2)::text || '' '' '
        '|| top_share(v, 0.01)::text || '' '' || gini(v)::text || '' '' || coalesce(gini(v, true)::text, ''-'') '
        '|| '' '' || cost_profile(v)::text || '' '' '
        '|| (SELECT array_agg(l ORDER BY l.population_share) FROM lorenz_curve(array_agg(v), 10) l)::text AS r '
        'FROM lcl.t GROUP BY ROLLUP (g) ORDER BY g NULLS LAST';
    from_mv constant text := 'SELECT coalesce(g, ''(all)'') || '': '' || ' || finals || ' AS r '
        'FROM (SELECT g, value_list_agg(s) AS s FROM cz_rollup_states GROUP BY ROLLUP (g)) r '
        'ORDER BY g NULLS LAST';
    plan text := '';
    line text;
    want text;
    got text;
    n integer;
BEGIN
    EXECUTE 'SELECT string_agg(r, E''\n''), count(*) FROM (' || direct || ') d' INTO want, n;
    BEGIN
        FOR line IN EXECUTE 'EXPLAIN (VERBOSE) ' || replace(route, '@T@', 'cz.t') LOOP
            plan := plan || line || E'\n';
        END LOOP;
        EXECUTE 'SELECT string_agg(r, E''\n'') FROM (' || replace(route, '@T@', 'cz.t') || ') d' INTO got;
    EXCEPTION WHEN OTHERS THEN
        INSERT INTO rollup_tap (line) VALUES ('not ok - the ROLLUP route over stored states runs on Citus'),
                                             ('# ERROR: ' || SQLERRM);
        RETURN;
    END;
    INSERT INTO rollup_tap (line) VALUES ('ok - the ROLLUP route over stored states runs on Citus (row gathering disabled)');
    IF plan ~ 'worker_partial_agg' AND plan ~ 'coord_combine_agg' THEN
        INSERT INTO rollup_tap (line)
        VALUES ('ok - its inner value_list_agg(cost) is split across the workers (worker_partial_agg, coord_combine_agg)');
    ELSE
        INSERT INTO rollup_tap (line)
        VALUES ('not ok - its inner value_list_agg(cost) is split across the workers (worker_partial_agg, coord_combine_agg)');
        INSERT INTO rollup_tap (line) SELECT '# ' || l FROM regexp_split_to_table(rtrim(plan, E'\n'), E'\n') l;
    END IF;
    IF got IS NOT DISTINCT FROM want THEN
        INSERT INTO rollup_tap (line)
        VALUES (format('ok - the route on Citus equals GROUP BY ROLLUP (g) of the aggregates on one node, exactly (%s rows: top_share, gini, cost_profile, lorenz_curve)', n));
    ELSE
        INSERT INTO rollup_tap (line)
        VALUES ('not ok - the route on Citus equals GROUP BY ROLLUP (g) of the aggregates on one node'),
               ('# Citus:       ' || left(coalesce(got, 'NULL'), 400)),
               ('# single node: ' || left(want, 400));
    END IF;

    -- a materialised view of states built from the distributed table (the
    -- DBA's pattern), rolled up on the coordinator
    BEGIN
        EXECUTE 'CREATE MATERIALIZED VIEW cz_rollup_states AS '
                'SELECT g, i % 13 AS part, value_list_agg(v) AS s FROM cz.t GROUP BY g, i % 13';
        EXECUTE 'SELECT string_agg(r, E''\n'') FROM (' || from_mv || ') d' INTO got;
        EXECUTE 'DROP MATERIALIZED VIEW cz_rollup_states';
    EXCEPTION WHEN OTHERS THEN
        INSERT INTO rollup_tap (line) VALUES ('not ok - a materialised view of states over the distributed table rolls up'),
                                             ('# ERROR: ' || SQLERRM);
        RETURN;
    END;
    IF got IS NOT DISTINCT FROM want THEN
        INSERT INTO rollup_tap (line)
        VALUES ('ok - a materialised view of states over the distributed table rolls up to the single-node result, exactly');
    ELSE
        INSERT INTO rollup_tap (line)
        VALUES ('not ok - a materialised view of states over the distributed table rolls up to the single-node result'),
               ('# from the view: ' || left(coalesce(got, 'NULL'), 400)),
               ('# single node:   ' || left(want, 400));
    END IF;
END $$;

\pset tuples_only on
\pset format unaligned
SELECT line FROM rollup_tap ORDER BY id;
SELECT '# rollups.sql done';
