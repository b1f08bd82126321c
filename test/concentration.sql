-- test/concentration.sql -- top_share, gini, cost_profile and lorenz_curve on
-- the demo place (demo.person_cost, 300,000 people, one row each, zero
-- costs included), checked against an independent computation in plain SQL:
-- window functions (row_number) with exact numeric arithmetic for Gini and
-- top shares, percentile_cont for the percentiles. Tolerance: 1e-12
-- relative (the aggregates sum in double precision with Neumaier
-- compensation; the reference is exact up to its final division).
BEGIN;
SELECT plan(24);

-- every person in their segment and in the whole population (practices
-- are more groups of the same kind; the demo report ranks them)
CREATE TEMP TABLE conc_grouped AS
SELECT pe.segment AS grp, pc.total_cost AS cost
FROM demo.person_cost pc JOIN demo.person pe USING (person_id)
UNION ALL
SELECT '(all)', total_cost FROM demo.person_cost;

-- the reference: exact numeric sums over ranks from window functions
CREATE TEMP TABLE conc_ref AS
WITH r AS (
    SELECT grp, cost::numeric AS c,
           row_number() OVER (PARTITION BY grp ORDER BY cost) AS rn,
           row_number() OVER (PARTITION BY grp ORDER BY cost DESC) AS rd,
           count(*) OVER (PARTITION BY grp) AS n
    FROM conc_grouped
)
SELECT grp, n, sum(c) AS total,
       sum((2 * rn - n - 1) * c) / nullif(n * sum(c), 0) AS gini,
       -- top share: the floor(f n) costliest, plus (f n - floor(f n)) of the next one
       (coalesce(sum(c) FILTER (WHERE rd <= floor(0.01 * n)), 0)
        + (0.01 * n - floor(0.01 * n)) * coalesce(max(c) FILTER (WHERE rd = floor(0.01 * n) + 1), 0))
       / nullif(sum(c), 0) AS top1,
       (coalesce(sum(c) FILTER (WHERE rd <= floor(0.05 * n)), 0)
        + (0.05 * n - floor(0.05 * n)) * coalesce(max(c) FILTER (WHERE rd = floor(0.05 * n) + 1), 0))
       / nullif(sum(c), 0) AS top5,
       (coalesce(sum(c) FILTER (WHERE rd <= floor(0.2 * n)), 0)
        + (0.2 * n - floor(0.2 * n)) * coalesce(max(c) FILTER (WHERE rd = floor(0.2 * n) + 1), 0))
       / nullif(sum(c), 0) AS top20,
       (coalesce(sum(c) FILTER (WHERE rd <= floor(0.5 * n)), 0)
        + (0.5 * n - floor(0.5 * n)) * coalesce(max(c) FILTER (WHERE rd = floor(0.5 * n) + 1), 0))
       / nullif(sum(c), 0) AS top50
FROM r GROUP BY grp, n;

CREATE TEMP TABLE conc_ext AS
SELECT grp, count(cost) AS n, gini(cost) AS gini, gini(cost, true) AS gini_corrected,
       top_share(cost, 0.01) AS top1, top_share(cost, 0.05) AS top5,
       top_share(cost, 0.2) AS top20, top_share(cost, 0.5) AS top50,
       cost_profile(cost) AS p,
       percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY cost) AS pc,
       max(cost) AS max_cost
FROM conc_grouped GROUP BY grp;

SELECT is((SELECT count(*) FROM conc_ext JOIN conc_ref USING (grp)), 8::bigint,
    'reference and aggregates cover the same groups (7 segments and everyone)');
SELECT is((SELECT count(*) FROM conc_ext), (SELECT count(*) FROM conc_ref),
    'one result per group on both sides');

SELECT is_empty($$
    SELECT grp FROM conc_ext e JOIN conc_ref r USING (grp)
    WHERE abs(e.gini - r.gini) > 1e-12 * r.gini
$$, 'gini agrees with sum((2i-n-1)x)/(n^2 mean) over row_number() ranks, 1e-12 relative');
SELECT is_empty($$
    SELECT grp FROM conc_ext e JOIN conc_ref r USING (grp)
    WHERE abs(e.gini_corrected - r.gini * r.n / (r.n - 1)) > 1e-12 * r.gini
$$, 'gini(cost, true) is the population Gini times n/(n-1)');
SELECT is_empty($$
    SELECT grp FROM conc_ext e JOIN conc_ref r USING (grp)
    WHERE abs(e.top1 - r.top1) > 1e-12 * r.top1 OR abs(e.top5 - r.top5) > 1e-12 * r.top5
       OR abs(e.top20 - r.top20) > 1e-12 * r.top20 OR abs(e.top50 - r.top50) > 1e-12 * r.top50
$$, 'top_share at 1%, 5%, 20%, 50% agrees with ranked sums plus the pro-rata person, 1e-12 relative');

SELECT is_empty($$
    SELECT grp FROM conc_ext e JOIN conc_ref r USING (grp)
    WHERE (e.p).persons <> r.n OR abs((e.p).total - r.total) > 1e-12 * r.total
       OR abs((e.p).mean - r.total / r.n) > 1e-12 * r.total / r.n OR (e.p).max <> e.max_cost
$$, 'cost_profile persons, total (vs exact numeric sum), mean and max');
SELECT is_empty($$
    SELECT grp FROM conc_ext e
    WHERE (e.p).median <> e.pc[1] OR (e.p).p90 <> e.pc[2] OR (e.p).p99 <> e.pc[3]
$$, 'cost_profile median, p90 and p99 equal percentile_cont exactly');
SELECT is_empty($$
    SELECT grp FROM conc_ext e
    WHERE (e.p).gini <> e.gini OR (e.p).top1_share <> e.top1 OR (e.p).top5_share <> e.top5
       OR (e.p).top20_share <> e.top20
$$, 'cost_profile shares and Gini equal the separate aggregates exactly');

-- the whole place, by hand-checkable facts: 300,000 people, zero-cost people counted
SELECT is((SELECT (p).persons FROM conc_ext WHERE grp = '(all)'),
    (SELECT count(*) FROM demo.person), 'every registered person is counted, zero costs included');
SELECT ok((SELECT top20 FROM conc_ext WHERE grp = '(all)') > 0.5,
    'the demo place shows the NHS pattern: the costliest 20% hold most of the cost');

-- lorenz_curve is the mirror of top_share: L(p) = 1 - top_share(1 - p)
SELECT is_empty($$
    SELECT l.population_share
    FROM lorenz_curve((SELECT array_agg(total_cost) FROM demo.person_cost), 10) l
    WHERE l.population_share < 1
      AND abs(l.cost_share - (1 - (SELECT top_share(total_cost, 1 - l.population_share)
                                   FROM demo.person_cost))) > 1e-12
$$, 'lorenz_curve deciles equal 1 - top_share(1 - p) on the demo place');
SELECT results_eq($$
    SELECT population_share, cost_share FROM lorenz_curve((SELECT array_agg(total_cost) FROM demo.person_cost), 4)
    WHERE population_share IN (0, 1)
$$, $$ VALUES (0::float8, 0::float8), (1, 1) $$, 'lorenz_curve runs from (0,0) to exactly (1,1)');
SELECT is((SELECT count(*) FROM lorenz_curve((SELECT array_agg(total_cost) FROM demo.person_cost))),
    11::bigint, 'lorenz_curve default: 10 points plus the origin');

-- forced parallel plans give the same bits on the demo place
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE conc_serial AS
SELECT pe.segment, gini(total_cost) AS g, top_share(total_cost, 0.2) AS t, cost_profile(total_cost)::text AS p
FROM demo.person_cost pc JOIN demo.person pe USING (person_id) GROUP BY pe.segment;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL force_parallel_mode = on;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL enable_hashagg = off;
CREATE FUNCTION pg_temp.conc_explain(query text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP RETURN NEXT line; END LOOP;
END $$;
SELECT ok(EXISTS (SELECT 1 FROM pg_temp.conc_explain($$
    SELECT gini(total_cost), top_share(total_cost, 0.2), cost_profile(total_cost) FROM demo.person_cost
$$) line WHERE line ~ 'Partial Aggregate'), 'EXPLAIN shows Partial Aggregate for the concentration aggregates');
SELECT results_eq($$
    SELECT pe.segment, gini(total_cost), top_share(total_cost, 0.2), cost_profile(total_cost)::text
    FROM demo.person_cost pc JOIN demo.person pe USING (person_id) GROUP BY pe.segment ORDER BY 1
$$, $$ SELECT * FROM conc_serial ORDER BY 1 $$, 'parallel and serial runs agree bit for bit, by segment');
RESET force_parallel_mode;
RESET enable_hashagg;

-- catalogue: the properties that let PostgreSQL and Citus split them
CREATE TEMP VIEW conc_aggs AS
SELECT a.*, p.proparallel FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
WHERE p.proname IN ('top_share', 'gini', 'cost_profile')
  AND p.pronamespace = (SELECT extnamespace FROM pg_extension WHERE extname = 'value_ext');
SELECT is_empty($$
    SELECT aggfnoid::regprocedure::text FROM conc_aggs
    WHERE aggcombinefn = 0 OR aggtranstype <> 'value_list'::regtype
       OR aggfinalmodify <> 'r' OR proparallel <> 's'
$$, 'every concentration aggregate: value_list state, combine function, read-only final, PARALLEL SAFE');
SELECT is((SELECT count(*) FROM conc_aggs), 4::bigint,
    'four aggregates: top_share, gini (two forms), cost_profile');

-- error codes
SELECT throws_ok($$ SELECT gini(x) FROM (VALUES (1::float8), (-0.01)) t(x) $$, '22023',
    'cost of gini must not be negative', 'a negative cost is 22023');
SELECT throws_ok($$ SELECT top_share(x, 0.2) FROM (VALUES ('NaN'::float8)) t(x) $$, '22023',
    'cost of top_share must be finite', 'NaN is 22023');
SELECT throws_ok($$ SELECT top_share(x, 1.01) FROM (VALUES (1::float8)) t(x) $$, '22023',
    'fraction of top_share must be between 0 and 1', 'a fraction above 1 is 22023');
SELECT throws_ok($$ SELECT top_share(x, x / 10) FROM (VALUES (1::float8), (2)) t(x) $$, '22023',
    'fraction of top_share must be the same for every row of a group', 'a varying fraction is 22023');
SELECT throws_ok($$ SELECT gini_final('1:1::2:1'::value_list) $$, '22P02', NULL,
    'malformed state text is 22P02');
SELECT throws_ok($$ SELECT gini_final('1:2::1:1,2'::value_list) $$, '22023',
    'invalid state for gini', 'a state of another width is 22023');
SELECT throws_ok($$ SELECT * FROM lorenz_curve(ARRAY[1, 2]::float8[], 0) $$, '22023',
    'points of lorenz_curve must be between 1 and 100000', 'lorenz_curve points out of range is 22023');

SELECT * FROM finish();
ROLLBACK;
