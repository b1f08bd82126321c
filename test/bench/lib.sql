-- test/bench/lib.sql -- timing helpers shared by the benchmarks.
--
-- bench_ms(query, runs) runs the query `runs` times (every output column is
-- computed, then discarded) and
-- returns the best wall time in milliseconds; the benchmarks compare it with
-- a baseline timed the same way in the same session and print the ratio.
CREATE FUNCTION bench_ms(query text, runs integer DEFAULT 3)
RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    best float8 := 'infinity';
    t0 timestamptz;
    ms float8;
BEGIN
    FOR i IN 1..runs LOOP
        t0 := clock_timestamp();
        -- count(q) reads the whole row: with count(*) the planner drops
        -- subquery outputs nobody reads, aggregates included, and would
        -- time a query that computes nothing.
        EXECUTE 'SELECT count(q) FROM (' || query || ') AS q';
        ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
        best := least(best, ms);
    END LOOP;
    RETURN best;
END $$;

-- bench_compare(label, query, baseline_label, baseline_query, runs,
--               alternate, baseline_runs):
-- one row with both timings (best of `runs` each; `baseline_runs` for the
-- baseline when given) and the ratio query/baseline. With alternate (the
-- default) the two queries take turns (baseline, query, baseline, ...), so
-- that a slow spell on a shared machine hits both alike; without it each
-- runs its runs in a row, for pairs of very unequal weight, where a query
-- timed straight after a heavy one (seconds of sorting, temporary files)
-- pays for its clean-up.
CREATE FUNCTION bench_compare(label text, query text, baseline_label text,
                              baseline_query text, runs integer DEFAULT 3,
                              alternate boolean DEFAULT true,
                              baseline_runs integer DEFAULT NULL)
RETURNS TABLE (benchmark text, ms float8, baseline text, baseline_ms float8, ratio float8)
LANGUAGE plpgsql AS $$
BEGIN
    benchmark := label;
    baseline := baseline_label;
    IF alternate THEN
        baseline_ms := 'infinity';
        ms := 'infinity';
        FOR i IN 1..greatest(runs, coalesce(baseline_runs, runs)) LOOP
            IF i <= coalesce(baseline_runs, runs) THEN
                baseline_ms := least(baseline_ms, bench_ms(baseline_query, 1));
            END IF;
            IF i <= runs THEN
                ms := least(ms, bench_ms(query, 1));
            END IF;
        END LOOP;
    ELSE
        baseline_ms := bench_ms(baseline_query, coalesce(baseline_runs, runs));
        ms := bench_ms(query, runs);
    END IF;
    ratio := ms / baseline_ms;
    baseline_ms := round(baseline_ms::numeric, 1);
    ms := round(ms::numeric, 1);
    ratio := round(ratio::numeric, 2);
    RETURN NEXT;
END $$;
