-- test/citus/aggregates.sql -- every aggregate of value_ext on Citus, run on
-- the coordinator of test/citus/run.sh's cluster after the demo place is
-- distributed. Prints TAP lines ("ok - ..." / "not ok - ..." and "# ...").
--
-- The calls are generated from the catalogue (pg_aggregate joined through
-- pg_depend deptype 'e' to the extension), so an aggregate added later is
-- covered without editing this file. Arguments follow the rules of
-- test/bench/60_cancel.sql (cancel_arg_rule: by function and argument
-- name, else by name, else by type), over cz.t: one row per person of the
-- demo place (i = person_id, the distribution column; v a positive cost,
-- v2 a second one, w a weight, g the person's segment), distributed and
-- colocated with demo.person, and lcl.t, a plain copy on the coordinator.
--
-- For each call, with citus.coordinator_aggregation_strategy = 'disabled'
-- (an aggregate Citus cannot split is an error, not a silent pull of every
-- row): EXPLAIN (VERBOSE) of the distributed query must show
-- worker_partial_agg (on the workers) and coord_combine_agg (on the
-- coordinator), and its result, grouped by g, must equal the same query on
-- lcl.t: text-equal, or every number equal except floats (those with a '.'
-- or an exponent) within 1e-12 relative, the rest of the text identical.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET citus.coordinator_aggregation_strategy = 'disabled';

CREATE TEMP TABLE arg_rule (proname name, argname text, argtype regtype, expr text, ord serial);
INSERT INTO arg_rule (proname, argname, argtype, expr) VALUES
    (NULL, NULL, 'float8', 'v'),
    (NULL, NULL, 'int4', '5'),
    (NULL, NULL, 'int8', '5'),
    (NULL, NULL, 'bool', 'true'),
    (NULL, 'rank', NULL, 'v2'),
    (NULL, 'weight', NULL, 'w'),
    (NULL, 'n', NULL, '(1000000 + i % 19 * 1000)::float8'),
    (NULL, 'denominator', NULL, '(1000000 + i % 19 * 1000)::float8'),
    (NULL, 'population', NULL, '(1000000 + i % 19 * 1000)::float8'),
    (NULL, 'reference_population', NULL, '(1000000 + i % 19 * 1000)::float8'),
    (NULL, 'standard_population', NULL, '(1000 + i % 19 * 100)::float8'),
    (NULL, 'age_band', NULL, '(''b'' || i % 19)'),
    (NULL, 'event_frequency', NULL, '(i % 4)::float8'),
    (NULL, 'age_band_start', NULL, '(CASE i % 20 WHEN 0 THEN 0 WHEN 1 THEN 1 ELSE (i % 20 - 1) * 5 END)'),
    (NULL, 'in_cohort', NULL, '(i % 3 = 0)'),
    (NULL, 'confidence', NULL, '0.95'),
    (NULL, 'multiplier', NULL, '100000'),
    (NULL, 'fraction', NULL, '0.2'),
    (NULL, 'trim_fraction', NULL, '0.1'),
    (NULL, 'best', NULL, '5'),
    (NULL, 'at_age', NULL, '5'),
    (NULL, 'groups', NULL, '10'),
    ('value_ratio_ci', 'method', NULL, '''fieller'''),
    (NULL, 'data_type', NULL, '''proportion'''),
    (NULL, 'adjustment', NULL, '''additive'''),
    (NULL, 'trim', NULL, '''winsorise'''),
    (NULL, 'value_type', NULL, '''other'''),
    ('sii', 'quantile', NULL, 'i'),
    ('sii', 'lower', NULL, '(v - 1)'),
    ('sii', 'upper', NULL, '(v + 1)'),
    ('sii', 'repetitions', NULL, '1000'),
    ('sii', 'seed', NULL, '1'),
    ('trend_marker', 'period', NULL, 'i'),
    ('trend_marker', 'lower', NULL, '(v - 1)'),
    ('trend_marker', 'upper', NULL, '(v + 1)'),
    -- spc_chart: every row its own period, a rebase at one of them
    ('spc_chart', 'period', 'int8', 'i'),
    ('spc_chart', 'period', 'date', '(date ''2000-01-01'' + i)'),
    ('spc_chart', 'rebase', NULL, '(i = 10000)'),
    -- peer_space: every row its own unit, two non-negative features
    ('peer_space', 'unit', NULL, 'i::text'),
    ('peer_space', 'features', NULL, 'ARRAY[abs(v), (i % 7)::float8]'),
    ('peer_space', 'weights', NULL, '''{1,2}''::float8[]'),
    -- a stored cost state (value_list_agg(value_list)): each row's own two
    -- costs, made by value_list_agg in a subquery
    (NULL, NULL, 'value_list', '(SELECT value_list_agg(x) FROM (VALUES (v), (v2)) s(x))'),
    -- cost_sketch: one accuracy per group; the merge form over one-cost
    -- sketches, one per row
    ('cost_sketch', 'relative_accuracy', NULL, '0.01'),
    ('cost_sketch', 'sketch', NULL, 'cost_sketch_trans(NULL, v)');

-- rows and grouping other than "the table, GROUP BY g" for some aggregates
CREATE TEMP TABLE call_source (proname name PRIMARY KEY, where_clause text, group_by boolean);
INSERT INTO call_source VALUES
    ('sii', 'i <= 5', false);   -- one row per quintile

\ir lib.sql

CREATE TEMP TABLE tap (id serial, line text);

DO $$
DECLARE
    f record;
    variants text[];
    calls text[];
    next_calls text[];
    spec integer;
    why text;
    src record;
    sig text;
    q text;
    call text;
    plan text;
    line text;
    rr record;
    dist text;
    loc text;
    n_sig integer := 0;
    n_calls integer := 0;
BEGIN
    FOR f IN
        SELECT p.oid, p.proname, p.pronargs, p.proargnames, p.proargtypes,
               quote_ident(n.nspname) || '.' || quote_ident(p.proname) AS qname
        FROM pg_aggregate a
        JOIN pg_proc p ON p.oid = a.aggfnoid
        JOIN pg_namespace n ON n.oid = p.pronamespace
        JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
        JOIN pg_extension e ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid
        WHERE e.extname = 'value_ext' AND p.prokind = 'a'
        ORDER BY p.proname, p.pronargs, p.oid
    LOOP
        n_sig := n_sig + 1;
        sig := f.proname || '(' || coalesce((
            SELECT string_agg(format_type(t, NULL), ', ' ORDER BY k)
            FROM unnest(f.proargtypes::oid[]) WITH ORDINALITY a(t, k)), '') || ')';
        calls := ARRAY[''];
        why := NULL;
        FOR k IN 1 .. f.pronargs LOOP
            SELECT max((r.proname IS NOT NULL)::int * 4 + (r.argname IS NOT NULL)::int * 2
                       + (r.argtype IS NOT NULL)::int)
            INTO spec
            FROM arg_rule r
            WHERE (r.proname IS NULL OR r.proname = f.proname)
              AND (r.argname IS NULL OR r.argname = f.proargnames[k])
              AND (r.argtype IS NULL OR r.argtype = f.proargtypes[k - 1]);
            SELECT array_agg(r.expr ORDER BY r.ord) INTO variants
            FROM arg_rule r
            WHERE (r.proname IS NULL OR r.proname = f.proname)
              AND (r.argname IS NULL OR r.argname = f.proargnames[k])
              AND (r.argtype IS NULL OR r.argtype = f.proargtypes[k - 1])
              AND (r.proname IS NOT NULL)::int * 4 + (r.argname IS NOT NULL)::int * 2
                  + (r.argtype IS NOT NULL)::int = spec;
            IF variants IS NULL THEN
                why := format('no valid value known for argument %s %s (add an arg_rule in test/citus/aggregates.sql)',
                              coalesce(f.proargnames[k], '$' || k), format_type(f.proargtypes[k - 1], NULL));
                EXIT;
            END IF;
            next_calls := '{}';
            FOREACH call IN ARRAY calls LOOP
                FOREACH q IN ARRAY variants LOOP
                    next_calls := next_calls || (call || CASE WHEN k > 1 THEN ', ' ELSE '' END || q);
                END LOOP;
            END LOOP;
            calls := next_calls;
        END LOOP;
        IF why IS NOT NULL THEN
            -- a signature nothing can call is a failure: the suite must cover it
            INSERT INTO tap (line) VALUES ('not ok - ' || sig || ': ' || why);
            CONTINUE;
        END IF;
        SELECT * INTO src FROM call_source s WHERE s.proname = f.proname;
        FOREACH call IN ARRAY calls LOOP
            n_calls := n_calls + 1;
            call := f.qname || '(' || call || ')';
            q := CASE WHEN coalesce(src.group_by, true)
                      THEN 'SELECT g, (' || call || ')::text AS r FROM @T@'
                           || coalesce(' WHERE ' || src.where_clause, '') || ' GROUP BY g ORDER BY g'
                      ELSE 'SELECT ''all''::text AS g, (' || call || ')::text AS r FROM @T@'
                           || coalesce(' WHERE ' || src.where_clause, '') END;
            BEGIN
                loc := '';
                FOR rr IN EXECUTE replace(q, '@T@', 'lcl.t') LOOP
                    loc := loc || rr.g || ': ' || coalesce(rr.r, 'NULL') || E'\n';
                END LOOP;
            EXCEPTION WHEN OTHERS THEN
                INSERT INTO tap (line) VALUES ('not ok - ' || call || ' (the arguments are not valid on a single node: fix the rule)'),
                                              ('# ' || SQLERRM);
                CONTINUE;
            END;
            BEGIN
                plan := '';
                FOR line IN EXECUTE 'EXPLAIN (VERBOSE) ' || replace(q, '@T@', 'cz.t') LOOP
                    plan := plan || line || E'\n';
                END LOOP;
                dist := '';
                FOR rr IN EXECUTE replace(q, '@T@', 'cz.t') LOOP
                    dist := dist || rr.g || ': ' || coalesce(rr.r, 'NULL') || E'\n';
                END LOOP;
            EXCEPTION WHEN OTHERS THEN
                INSERT INTO tap (line) VALUES ('not ok - ' || call || ' on Citus'), ('# ERROR: ' || SQLERRM);
                CONTINUE;
            END;
            IF plan !~ 'worker_partial_agg' OR plan !~ 'coord_combine_agg' THEN
                INSERT INTO tap (line) VALUES ('not ok - ' || call || ' is split (worker_partial_agg, coord_combine_agg)');
                INSERT INTO tap (line) SELECT '# ' || l FROM regexp_split_to_table(rtrim(plan, E'\n'), E'\n') l;
            ELSIF NOT pg_temp.same_result(dist, loc) THEN
                INSERT INTO tap (line) VALUES ('not ok - ' || call || ' on Citus equals the single-node result'),
                                              ('# Citus:       ' || left(dist, 500)),
                                              ('# single node: ' || left(loc, 500));
            ELSE
                INSERT INTO tap (line) VALUES ('ok - ' || call || ' splits across the workers and equals the single-node result');
            END IF;
        END LOOP;
    END LOOP;
    IF n_sig = 0 THEN
        INSERT INTO tap (line) VALUES ('not ok - the catalogue lists aggregates of value_ext');
    END IF;
    INSERT INTO tap (line) VALUES (format('# %s aggregate signatures, %s calls', n_sig, n_calls));
END $$;

\pset tuples_only on
\pset format unaligned
SELECT line FROM tap ORDER BY id;
