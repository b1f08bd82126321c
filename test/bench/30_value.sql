-- test/bench/30_value.sql -- value ratios, funnels and peer z-scores against
-- plain-SQL baselines timed in the same run (test/bench/lib.sql).
-- Targets (issue 5): value_ratio_ci within 2x of sum(outcome)/sum(cost);
-- peer_zscore at least 5x faster than the best plain-SQL formulation.
-- Every query filters on its result (WHERE x IS NOT NULL): bench_ms wraps
-- queries in count(*), and the planner drops subquery outputs nobody reads,
-- so an unfiltered aggregate would never be computed.
\set rows 10000000
\set peer_rows 1000000
\echo == data: :rows patient rows, 10,000 funnel units, :peer_rows peer rows
CREATE TABLE bench_patients AS
SELECT (((i * 7919) % 1000) / 1000.0)::float8 AS outcome,
       (10 + ((i * 104729) % 50000) / 10.0)::float8 AS cost
FROM generate_series(1::bigint, :rows) i;
CREATE TABLE bench_units AS
SELECT i AS unit, (200 + (i * 7919) % 20000)::float8 AS n,
       floor((200 + (i * 7919) % 20000) * (0.1 + ((i * 104729) % 1000) / 20000.0))::float8 AS r
FROM generate_series(1, 10000) i;
-- peer groups of 20 (a practice and its similar 19), stored in peer-group order
CREATE TABLE bench_peers AS
SELECT i / 20 AS peer_group, (((i * 7919) % 100003) / 7.0)::float8 AS v
FROM generate_series(0::bigint, :peer_rows - 1) i;
-- and a few large peer groups (1,000 rows each)
CREATE TABLE bench_peers_large AS
SELECT i / 1000 AS peer_group, (((i * 7919) % 100003) / 7.0)::float8 AS v
FROM generate_series(0::bigint, :peer_rows - 1) i;
CREATE INDEX ON bench_peers (peer_group);
VACUUM ANALYZE bench_patients, bench_units, bench_peers, bench_peers_large;

\echo == value_ratio_ci over the patient rows (target ratio <= 2)
SELECT * FROM bench_compare(
  'value_ratio_ci(outcome, cost)', 'SELECT x FROM (SELECT value_ratio_ci(outcome, cost) AS x FROM bench_patients) s WHERE x IS NOT NULL',
  'sum(outcome) / sum(cost)', 'SELECT x FROM (SELECT sum(outcome) / sum(cost) AS x FROM bench_patients) s WHERE x IS NOT NULL');
SELECT * FROM bench_compare(
  'value_ratio(outcome, cost)', 'SELECT x FROM (SELECT value_ratio(outcome, cost) AS x FROM bench_patients) s WHERE x IS NOT NULL',
  'sum(outcome) / sum(cost)', 'SELECT x FROM (SELECT sum(outcome) / sum(cost) AS x FROM bench_patients) s WHERE x IS NOT NULL');

\echo == funnel_fit + funnel_z over 10,000 units
SELECT * FROM bench_compare(
  'funnel_fit + funnel_z (additive, winsorised)',
  'SELECT z FROM (SELECT funnel_z(r, n, f.m) AS z FROM bench_units, (SELECT funnel_fit(r, n) AS m FROM bench_units) f) s WHERE z IS NOT NULL',
  'unadjusted arcsine z in plain SQL',
  'SELECT z FROM (SELECT (asin(sqrt(r / n)) - asin(sqrt(t))) * 2 * sqrt(n) AS z FROM bench_units, (SELECT sum(r) / sum(n) AS t FROM bench_units) f) s WHERE z IS NOT NULL',
  5);

-- peer_zscore(v) and its plain-SQL baseline (leave-one-out from partition
-- sums, window sum/count) over a table of peer groups (%s)
SELECT format(z, 'bench_peers') AS zscore_20, format(z, 'bench_peers_large') AS zscore_1000,
       format(loo, 'bench_peers') AS loo_20, format(loo, 'bench_peers_large') AS loo_1000
FROM (VALUES ('SELECT z FROM (SELECT peer_zscore(v) OVER (PARTITION BY peer_group) AS z FROM %s) s WHERE z IS NOT NULL',
              $q$SELECT z FROM (
       SELECT (v - (s - v) / (c - 1)) / sqrt(((q - v * v) - (s - v) ^ 2 / (c - 1)) / (c - 2)) AS z
       FROM (SELECT v, sum(v) OVER p AS s, sum(v * v) OVER p AS q, count(v) OVER p AS c
             FROM %s WINDOW p AS (PARTITION BY peer_group)) w) s WHERE z IS NOT NULL$q$)) t(z, loo) \gset

\echo == peer_zscore over :peer_rows rows, peer groups of 20 (target ratio <= 0.2)
SELECT * FROM bench_compare(
  'peer_zscore(v) standard', :'zscore_20',
  'leave-one-out from partition sums (window sum/count)', :'loo_20');
SELECT * FROM bench_compare(
  'peer_zscore(v, ''robust'')',
  'SELECT z FROM (SELECT peer_zscore(v, ''robust'') OVER (PARTITION BY peer_group) AS z FROM bench_peers) s WHERE z IS NOT NULL',
  'leave-one-out median and MAD by percentile_cont (lateral)',
  $q$SELECT z FROM (SELECT (a.v - m.med) / (1.4826 * (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(b.v - m.med))
                                       FROM bench_peers b
                                       WHERE b.peer_group = a.peer_group AND b.ctid <> a.ctid)) AS z
     FROM bench_peers a,
     LATERAL (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY b.v) AS med FROM bench_peers b
              WHERE b.peer_group = a.peer_group AND b.ctid <> a.ctid) m
     WHERE a.peer_group < 2500) s WHERE z IS NOT NULL$q$, 1);
-- the floor: the sort and window machinery alone, with no computation
SELECT * FROM bench_compare(
  'peer_zscore(v) standard', :'zscore_20',
  'floor: row_number() over the same partitions',
  'SELECT z FROM (SELECT row_number() OVER (PARTITION BY peer_group) AS z FROM bench_peers) s WHERE z IS NOT NULL');
\echo (the robust baseline runs on 1/20 of the rows, through an index on peer_group:
\echo  for the whole table divide its ratio by 20)
\echo == peer_zscore over :peer_rows rows, peer groups of 1,000
SELECT * FROM bench_compare(
  'peer_zscore(v) standard', :'zscore_1000',
  'leave-one-out from partition sums (window sum/count)', :'loo_1000');
DROP TABLE bench_patients, bench_units, bench_peers, bench_peers_large;
