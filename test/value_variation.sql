-- test/value_variation.sql -- value ratios, peers and funnels (docs/methods.md
-- sections 1, 2, 5) on generated data: states survive the text round trip
-- Citus uses, and each result equals an independent plain-SQL formulation.
BEGIN;
SELECT plan(12);

-- Aggregates without a final function expose the partial state, which we
-- send through its text form and finish, as a Citus coordinator would.
CREATE AGGREGATE pg_temp.fit_state(float8, float8, text, text, text, float8) (
    SFUNC = funnel_fit_trans, STYPE = value_list);
CREATE AGGREGATE pg_temp.bench_state(float8, integer, boolean) (
    SFUNC = peer_benchmark_trans, STYPE = value_list);
CREATE AGGREGATE pg_temp.ratio_state(float8, float8, float8, text) (
    SFUNC = value_ratio_ci_trans, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,0}');
CREATE AGGREGATE pg_temp.cohort_state(float8, boolean) (
    SFUNC = cohort_ratio_ci_trans, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0}');

CREATE TEMP TABLE rows AS
SELECT i, i % 30 AS grp,
       ((i * 7919) % 1009) / 10.0 + (i % 30) AS v,
       ((i * 104729::bigint) % 997) / 1000.0 AS outcome,
       200 + ((i * 7907::bigint) % 3001) / 2.0 AS cost,
       50 + (i * 31) % 400 AS den
FROM generate_series(1, 3000) i;

SELECT is((SELECT funnel_fit_final(pg_temp.fit_state(floor(den * 0.3 + v / 10), den, 'proportion', 'additive', 'truncate', 0.1)::text::value_list)
           FROM rows),
          (SELECT funnel_fit(floor(den * 0.3 + v / 10), den, 'proportion', 'additive', 'truncate', 0.1) FROM rows),
          'funnel_fit: state -> text -> state -> final equals the aggregate');
SELECT is((SELECT peer_benchmark_final(pg_temp.bench_state(v, 7, true)::text::value_list) FROM rows),
          (SELECT peer_benchmark(v, 7, true) FROM rows),
          'peer_benchmark: state text round trip');
SELECT is((SELECT value_ratio_ci_final(pg_temp.ratio_state(outcome, cost, 0.9, 'delta')::text::float8[]) FROM rows),
          (SELECT value_ratio_ci(outcome, cost, 0.9, 'delta') FROM rows),
          'value_ratio_ci: state text round trip');
SELECT is((SELECT cohort_ratio_ci_final(pg_temp.cohort_state(cost, grp < 10)::text::float8[]) FROM rows),
          (SELECT cohort_ratio_ci(cost, grp < 10) FROM rows),
          'cohort_ratio_ci: state text round trip');

-- peer_zscore against the plain-SQL window formulation from partition sums
SELECT is((SELECT count(*) FROM (
    SELECT peer_zscore(v) OVER (PARTITION BY grp) AS z,
           (v - (sum(v) OVER p - v) / (count(v) OVER p - 1))
           / sqrt(((sum(v * v) OVER p - v * v) - (sum(v) OVER p - v) ^ 2 / (count(v) OVER p - 1))
                  / (count(v) OVER p - 2)) AS expected
    FROM rows WINDOW p AS (PARTITION BY grp)) s
    WHERE abs(z - expected) > 1e-9 * greatest(1, abs(expected)) OR z IS NULL),
    0::bigint, 'peer_zscore standard equals the leave-one-out formula on 30 partitions of 100');

-- robust: median and MAD of the others by percentile_cont
SELECT is((SELECT count(*) FROM (
    SELECT a.i, a.v, g.zr,
           (a.v - m.med) / (1.4826 * (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(b.v - m.med))
                                        FROM rows b WHERE b.grp = a.grp AND b.i <> a.i)) AS expected
    FROM rows a
    JOIN (SELECT i, peer_zscore(v, 'robust') OVER (PARTITION BY grp) AS zr FROM rows WHERE grp < 3) g USING (i)
    CROSS JOIN LATERAL (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY b.v) AS med
                        FROM rows b WHERE b.grp = a.grp AND b.i <> a.i) m) s
    WHERE abs(zr - expected) > 1e-12 * greatest(1, abs(expected)) OR zr IS NULL),
    0::bigint, 'peer_zscore robust equals median/MAD of the others (percentile_cont) on 300 rows');

-- peer_benchmark: mean of the k smallest / largest by row_number
SELECT is((SELECT count(*) FROM (
    SELECT grp, peer_benchmark(v) AS b5, peer_benchmark(v, 10, true) AS b10h FROM rows GROUP BY grp) a
    JOIN (SELECT grp, avg(v) FILTER (WHERE lo <= 5) AS b5, avg(v) FILTER (WHERE hi <= 10) AS b10h
          FROM (SELECT grp, v, row_number() OVER (PARTITION BY grp ORDER BY v) AS lo,
                       row_number() OVER (PARTITION BY grp ORDER BY v DESC) AS hi FROM rows) r
          GROUP BY grp) e USING (grp)
    WHERE abs(a.b5 - e.b5) > 1e-12 OR abs(a.b10h - e.b10h) > 1e-12), 0::bigint,
    'peer_benchmark equals the mean of the k best by row_number in 30 groups');

-- opportunity against the formula in 30 groups
SELECT is((SELECT count(*) FROM (SELECT grp, avg(v) AS own, peer_benchmark(v) AS bench, count(*) AS pop
                                FROM rows GROUP BY grp) g
           WHERE opportunity(own, bench, pop, false, 1000) <> greatest(0, own - bench) * pop / 1000
              OR opportunity(own, bench, pop, true) <> greatest(0, bench - own) * pop),
          0::bigint, 'opportunity = max(0, gap) * population / per in both directions');

-- value_ratio_ci against the closed-form Fieller roots over 3,000 rows
SELECT ok((SELECT abs(r.lower - (b - sqrt(b * b - a * c)) / a) < 1e-12
                  AND abs(r.upper - (b + sqrt(b * b - a * c)) / a) < 1e-12
           FROM (SELECT (value_ratio_ci(outcome, cost)).* FROM rows) r,
                (SELECT avg(cost) ^ 2 - 1.959963984540054 ^ 2 * var_samp(cost) / count(*) AS a,
                        avg(outcome) * avg(cost) - 1.959963984540054 ^ 2 * covar_samp(outcome, cost) / count(*) AS b,
                        avg(outcome) ^ 2 - 1.959963984540054 ^ 2 * var_samp(outcome) / count(*) AS c
                 FROM rows) q),
          'value_ratio_ci Fieller bounds equal the quadratic roots from sample moments');

-- funnel flags agree with the limits for every unit and adjustment
CREATE TEMP TABLE units AS
SELECT grp AS unit, sum(floor(den * 0.3 + v / 10)) AS r, sum(den) AS n FROM rows GROUP BY grp;
SELECT is((SELECT count(*) FROM units u,
             (SELECT funnel_fit(r, n, 'proportion', adj) AS m
              FROM units, (VALUES ('none'), ('multiplicative'), ('additive')) a(adj) GROUP BY adj) f
           WHERE funnel_flag(r, n, m, 0.95) <> CASE WHEN r / n > funnel_limit(n, m, 0.95, true) THEN 'high'
                                                    WHEN r / n < funnel_limit(n, m, 0.95, false) THEN 'low'
                                                    ELSE 'within' END),
          0::bigint, 'funnel_flag is high/low exactly when the unit lies beyond funnel_limit');
SELECT ok((SELECT bool_and(lower998 <= lower95 AND lower95 <= upper95 AND upper95 <= upper998
                           AND lower95 >= 0 AND upper95 <= 1)
           FROM (SELECT funnel_fit(r, n) AS m FROM units) f, funnel_limits(f.m, 1, 100000, 500)),
          'funnel_limits are nested and inside [0, 1] for a proportion');
SELECT is((SELECT count(*) FROM (SELECT funnel_fit(r, n) AS m FROM units) f, funnel_limits(f.m, 10, 20, 7)),
          7::bigint, 'funnel_limits returns the requested number of points');

SELECT * FROM finish();
ROLLBACK;
