-- test/bench/62_peer_space.sql -- similar peers: 7,000 units (practices)
-- x 12 features, every unit's 10 nearest peers, against the plain-SQL
-- formulation an analyst writes (test/bench/lib.sql): per feature the mean
-- and population SD over windows, the cap, the square root and the
-- z-score (12 columns), a self-join of all 49M ordered pairs computing the
-- weighted squared distance, rank() per unit, rank <= 10. Both return
-- every peer row (filtered on a non-NULL column so the planner computes
-- them). The baseline takes minutes: it is timed once, ours three times;
-- times_faster is baseline / ours (the issue aims for 20).
\set units 7000
\echo == data: :units units x 12 features
CREATE TABLE bench_units AS
SELECT 'U' || lpad(u::text, 5, '0') AS unit,
       ARRAY(SELECT ((u * (7919 + 104 * v) + v * 104729) % 10007) / 100.0 + v
             FROM generate_series(1, 12) v)::float8[] AS features
FROM generate_series(1, :units) u;
VACUUM ANALYZE bench_units;

\echo == nearest_peers (all units, n 10) vs plain SQL (windows, self-join, rank)
SELECT *, round((baseline_ms / ms)::numeric, 1) AS times_faster FROM bench_compare(
  'peer_space + nearest_peers, 7000 x 12, n 10',
  'SELECT p.distance FROM nearest_peers((SELECT peer_space(unit, features) FROM bench_units), 10) p
   WHERE p.distance IS NOT NULL',
  'plain SQL: window z-scores, self-join distances, rank() <= 10',
  'WITH f AS (SELECT b.unit, v, x FROM bench_units b, unnest(b.features) WITH ORDINALITY e(x, v)),
        c AS (SELECT unit, v, sqrt(least(x, avg(x) OVER w + 5 * stddev_pop(x) OVER w)) AS s
              FROM f WINDOW w AS (PARTITION BY v)),
        z AS (SELECT unit, array_agg(coalesce((s - m) / nullif(sd, 0), 0) ORDER BY v) AS z
              FROM (SELECT unit, v, s, avg(s) OVER w AS m, stddev_pop(s) OVER w AS sd
                    FROM c WINDOW w AS (PARTITION BY v)) y GROUP BY unit),
        zc AS MATERIALIZED (SELECT unit, z[1] z1, z[2] z2, z[3] z3, z[4] z4, z[5] z5, z[6] z6, z[7] z7,
                                   z[8] z8, z[9] z9, z[10] z10, z[11] z11, z[12] z12 FROM z),
        d AS (SELECT a.unit, b.unit AS peer,
                     (a.z1 - b.z1) ^ 2 + (a.z2 - b.z2) ^ 2 + (a.z3 - b.z3) ^ 2 + (a.z4 - b.z4) ^ 2
                     + (a.z5 - b.z5) ^ 2 + (a.z6 - b.z6) ^ 2 + (a.z7 - b.z7) ^ 2 + (a.z8 - b.z8) ^ 2
                     + (a.z9 - b.z9) ^ 2 + (a.z10 - b.z10) ^ 2 + (a.z11 - b.z11) ^ 2
                     + (a.z12 - b.z12) ^ 2 AS distance
              FROM zc a JOIN zc b ON a.unit <> b.unit)
   SELECT distance FROM (SELECT distance, rank() OVER (PARTITION BY unit ORDER BY distance) AS r FROM d) r
   WHERE r <= 10',
  3, false, 1);
