-- Similar peers (src/peer_space.c; NHS RightCare "10 Similar CCGs", 2021):
-- a three-unit and a four-unit case derived by hand in the comments (a tie
-- at the n-th distance, an exact twin, a feature with no spread, weights),
-- a capped outlier (it needs at least 27 units: with population SDs no
-- value among n lies more than sqrt(n - 1) SDs above the mean, so the cap
-- mu + 5 sigma cannot bite with fewer), 100 units against an independent
-- plain-SQL computation (window functions, a self-join and rank()), NULL,
-- empty and error cases, the type's text form, forced parallel plans.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;
SET extra_float_digits = 0;

-- Three units, one feature x = 1, 4, 9 (and a constant second feature).
-- mu = 14/3, sigma^2 = (121 + 4 + 169)/27 = 10.89, sigma = 3.30: cap
-- 4.67 + 16.5 = 21.2, nothing capped. s = 1, 2, 3; mean 2; population SD
-- sqrt(2/3); z = -sqrt(1.5), 0, sqrt(1.5). d(A,B) = d(B,C) = 1.5,
-- d(A,C) = 6. n = 1: A -> B; B -> A and C tied at 1.5 (both rank 1, two
-- peers for n = 1); C -> B. The constant feature (sigma = 0) has z = 0 for
-- every unit and adds nothing.
CREATE TABLE three (unit text, features float8[]);
INSERT INTO three VALUES ('C', '{9,5}'), ('A', '{1,5}'), ('B', '{4,5}');
SELECT * FROM nearest_peers((SELECT peer_space(unit, features) FROM three), 1);
SELECT * FROM nearest_peers((SELECT peer_space(unit, features) FROM three), 'B', 1);
SELECT * FROM nearest_peers((SELECT peer_space(unit, features) FROM three));  -- n 10: everyone
SELECT peer_space(unit, features) FROM three;                                  -- units in name order

-- Four units, two features: A (1,4), B (1,4) an exact twin of A, C (4,1),
-- D (9,9). No cap (feature 1: mu 3.75, sigma 3.27; feature 2: mu 4.5,
-- sigma 2.87). s1 = 1,1,2,3 (mean 1.75, variance 11/16), s2 = 2,2,1,3
-- (mean 2, variance 1/2); a difference of 1 in s adds 1/variance to d:
-- 16/11 for feature 1, 2 for feature 2.
--   d(A,B) = 0                         (a twin is a peer: rank 1)
--   d(A,C) = 16/11 + 2       = 38/11  = 3.454545...
--   d(A,D) = 4*16/11 + 2     = 86/11  = 7.818181...
--   d(C,D) = 16/11 + 4*2     = 104/11 = 9.454545...
-- n = 1: A -> B, B -> A, C -> A and B tied (38/11), D -> A and B tied
-- (86/11). With weights (1, 2): d(A,C) = 16/11 + 4 = 60/11, d(A,D) =
-- 64/11 + 4 = 108/11, d(C,D) = 16/11 + 16 = 192/11.
CREATE TABLE four (unit text, features float8[]);
INSERT INTO four VALUES ('A', '{1,4}'), ('B', '{1,4}'), ('C', '{4,1}'), ('D', '{9,9}');
SELECT unit, peer, peer_rank, round(distance::numeric, 6) AS distance, tied,
       round((distance * 11)::numeric, 9) AS distance_x11
FROM nearest_peers((SELECT peer_space(unit, features) FROM four), 1);
SELECT unit, peer, peer_rank, round((distance * 11)::numeric, 9) AS distance_x11, tied
FROM nearest_peers((SELECT peer_space(unit, features, '{1,2}') FROM four), 2);
SELECT unit, peer, peer_rank, round((distance * 11)::numeric, 9) AS distance_x11, tied
FROM nearest_peers((SELECT peer_space(unit, features, '{1,2}') FROM four), 'D', 3);
-- NULL weights are equal weights
SELECT (SELECT peer_space(unit, features, NULL) FROM four)::text
     = (SELECT peer_space(unit, features) FROM four)::text AS null_weights_equal;

-- A capped outlier: 25 units at 0, "one" at 1, "big" at 1000 (27 units).
-- mu = 1001/27 = 37.0741; sigma^2 = 1000001/27 - mu^2 = 37037.07 - 1374.49
-- = 35662.58, sigma = 188.845; cap = 37.074 + 5 * 188.845 = 981.301 < 1000,
-- so x'(big) = 981.301. s = 0 (x25), 1, 31.3257; mean s = 32.3257/27 =
-- 1.19725; SD of s = 5.91169; z(one) = (1 - 1.19725)/5.91169 = -0.033366,
-- z(big) = (31.3257 - 1.19725)/5.91169 = 5.09642, z(zeros) = -0.202522.
-- d(big, one) = 5.12979^2 = 26.3147 (uncapped, s(big) = sqrt(1000), it
-- would be 26.3309); d(big, zero) = 5.29894^2 = 28.0788.
CREATE TABLE capped (unit text, features float8[]);
INSERT INTO capped SELECT 'z' || lpad(i::text, 2, '0'), '{0}' FROM generate_series(1, 25) i;
INSERT INTO capped VALUES ('one', '{1}'), ('big', '{1000}');
SELECT unit, peer, peer_rank, round(distance::numeric, 4) AS distance, tied
FROM nearest_peers((SELECT peer_space(unit, features) FROM capped), 'big', 1);
SELECT count(*) AS peers, min(peer_rank), max(peer_rank), bool_and(tied),
       round(max(distance)::numeric, 4) AS distance
FROM nearest_peers((SELECT peer_space(unit, features) FROM capped), 'big', 2)
WHERE peer <> 'one';                                  -- the 25 zeros, all rank 2
SELECT count(*) AS peers, bool_and(distance = 0) AS twins, bool_and(tied)
FROM nearest_peers((SELECT peer_space(unit, features) FROM capped), 'z07', 3);  -- 24 twins

-- 100 units, 4 features (one far outlier, capped), weights (1, 2, 0.5, 1),
-- against plain SQL: per feature avg and stddev_pop over windows, the cap,
-- sqrt, the z-scores, a self-join for the distances and rank() <= 10.
CREATE TABLE hundred AS
SELECT 'P' || lpad(u::text, 3, '0') AS unit,
       ARRAY[CASE WHEN u = 37 THEN 5000 ELSE (u * 7919 % 1009) / 10.0 END,
             (u * 104729 % 997) / 3.0 + 1,
             ((u * 31337 % 1013) / 100.0) ^ 2,
             20 + (u * 613 % 101)]::float8[] AS features
FROM generate_series(1, 100) u;
CREATE VIEW hundred_sql AS
WITH f AS (SELECT h.unit, v, x, (ARRAY[1, 2, 0.5, 1]::float8[])[v] AS w
           FROM hundred h, unnest(h.features) WITH ORDINALITY AS e(x, v)),
     c AS (SELECT unit, v, w, x, avg(x) OVER (PARTITION BY v) AS mu,
                  stddev_pop(x) OVER (PARTITION BY v) AS sigma FROM f),
     s AS (SELECT unit, v, w, sqrt(least(x, mu + 5 * sigma)) AS s, x > mu + 5 * sigma AS capped FROM c),
     z AS (SELECT unit, v, w, capped, (s - avg(s) OVER (PARTITION BY v))
                  / nullif(stddev_pop(s) OVER (PARTITION BY v), 0) AS z FROM s),
     d AS (SELECT a.unit, b.unit AS peer, sum(a.w * (a.z - b.z) ^ 2) AS distance
           FROM z a JOIN z b ON a.v = b.v AND a.unit <> b.unit GROUP BY a.unit, b.unit)
SELECT * FROM (SELECT d.*, rank() OVER (PARTITION BY unit ORDER BY distance) AS peer_rank FROM d) r
WHERE peer_rank <= 10;
SELECT count(*) FILTER (WHERE c.capped) AS capped_values FROM (
  SELECT x > avg(x) OVER (PARTITION BY v) + 5 * stddev_pop(x) OVER (PARTITION BY v) AS capped
  FROM hundred, unnest(features) WITH ORDINALITY e(x, v)) c;
CREATE TABLE hundred_ext AS
SELECT * FROM nearest_peers((SELECT peer_space(unit, features, '{1,2,0.5,1}') FROM hundred), 10);
SELECT count(*) AS rows, count(e.unit) AS ext_rows, count(s.unit) AS sql_rows,
       count(*) FILTER (WHERE e.peer_rank IS DISTINCT FROM s.peer_rank) AS rank_differs,
       max(abs(e.distance - s.distance)) < 1e-9 AS distances_agree
FROM hundred_ext e FULL JOIN hundred_sql s USING (unit, peer);
SELECT count(DISTINCT unit) AS units, min(n), max(n) FROM
  (SELECT unit, count(*) AS n FROM hundred_ext GROUP BY unit) x;
-- sorted by unit, distance, then peer name, as returned
SELECT count(*) AS out_of_order FROM (
  SELECT unit, peer, distance, lag(unit) OVER () AS pu, lag(peer) OVER () AS pp,
         lag(distance) OVER () AS pd FROM hundred_ext) x
WHERE pu > unit COLLATE "C"
   OR (pu = unit AND (pd > distance OR (pd = distance AND pp >= peer COLLATE "C")));
-- the one-unit form gives the same rows as the all-units form
SELECT count(*) AS differ FROM (
  (SELECT * FROM hundred_ext WHERE unit = 'P037')
  EXCEPT ALL
  SELECT * FROM nearest_peers((SELECT peer_space(unit, features, '{1,2,0.5,1}') FROM hundred), 'P037')) x;

-- NULL and empty
SELECT peer_space(unit, features) IS NULL AS no_rows FROM three WHERE false;
SELECT count(*) AS no_peers FROM nearest_peers(NULL::peer_space);
SELECT count(*) AS one_unit FROM nearest_peers((SELECT peer_space('A', '{1}')), 5);
SELECT count(*) AS null_n FROM nearest_peers((SELECT peer_space(unit, features) FROM three), NULL);
SELECT count(*) AS null_unit FROM nearest_peers((SELECT peer_space(unit, features) FROM three), NULL, 1);
SELECT peer, distance FROM nearest_peers((SELECT peer_space(u, '{0,0}') FROM unnest('{x,y}'::text[]) u), 1);

-- errors: 22004 for a NULL unit or feature array, 22023 naming the unit
SELECT peer_space(u, f) FROM (VALUES (NULL, '{1}'::float8[])) t(u, f);
SELECT peer_space(u, f) FROM (VALUES ('A', NULL::float8[])) t(u, f);
SELECT peer_space(u, f) FROM (VALUES ('A', '{1,NULL}'::float8[])) t(u, f);
SELECT peer_space(u, f) FROM (VALUES ('A', '{1,NaN}'::float8[])) t(u, f);
SELECT peer_space(u, f) FROM (VALUES ('A', '{Infinity}'::float8[])) t(u, f);
SELECT peer_space(u, f) FROM (VALUES ('A', '{1,-2}'::float8[])) t(u, f);
SELECT peer_space(u, f) FROM (VALUES ('A', '{}'::float8[])) t(u, f);
SELECT peer_space(u, f) FROM (VALUES ('A', '{{1,2},{3,4}}'::float8[])) t(u, f);
SELECT peer_space(u, f) FROM (VALUES ('A', '{1,2}'::float8[]), ('B', '{1}')) t(u, f);
SELECT peer_space(u, f) FROM (VALUES ('A', '{1,2}'::float8[]), ('A', '{3,4}')) t(u, f);
SELECT peer_space(u, f, '{1}') FROM (VALUES ('A', '{1,2}'::float8[])) t(u, f);
SELECT peer_space(u, f, '{1,-1}') FROM (VALUES ('A', '{1,2}'::float8[])) t(u, f);
SELECT peer_space(u, f, '{0,0}') FROM (VALUES ('A', '{1,2}'::float8[])) t(u, f);
SELECT peer_space(u, f, w) FROM (VALUES ('A', '{1,2}'::float8[], '{1,1}'::float8[]),
                                        ('B', '{1,2}', '{1,2}')) t(u, f, w);
SELECT peer_space(repeat('x', 1001), '{1}');
SELECT length(peer_space(repeat('x', 1000), '{1}')::text) AS longest_name_accepted;
SELECT * FROM nearest_peers((SELECT peer_space(unit, features) FROM three), 0);
SELECT * FROM nearest_peers((SELECT peer_space(unit, features) FROM three), 'Z', 1);
SELECT peer_space(unit, features) FROM (VALUES ('A', '{1e308}'::float8[]), ('B', '{0}')) t(unit, features);
SELECT * FROM nearest_peers((SELECT peer_space(unit, features, '{1e308,1e308}') FROM four), 'D', 1);

-- the type: text form round trip, input checked, states in any order
SELECT '1:2:2:1,1:"A",1,2;"B ""b""",3,4'::peer_space;
SELECT '1:2:2:1,1:"A",1,2;"B ""b""",3,4'::peer_space::text::peer_space;
SELECT * FROM nearest_peers('1:1:3:1:"C",9;"A",1;"B",4', 1);   -- unsorted: as the three-unit case
SELECT ('1:1:1:1:"' || repeat('x', 1001) || '",1')::peer_space;
-- binary form: through COPY (FORMAT binary) and back, the same space
CREATE TABLE bin_in AS SELECT peer_space(unit, features, '{1,2}') AS s FROM four;
CREATE TABLE bin_out (s peer_space);
COPY bin_in TO PROGRAM 'cat > /tmp/value_ext_62_peer_space.bin' (FORMAT binary);
COPY bin_out FROM PROGRAM 'cat /tmp/value_ext_62_peer_space.bin && rm -f /tmp/value_ext_62_peer_space.bin' (FORMAT binary);
SELECT (SELECT s::text FROM bin_in) = (SELECT s::text FROM bin_out) AS binary_round_trip,
       (SELECT s::text FROM bin_out);
SELECT '1:1:0:1:'::peer_space;
SELECT '2:1:1:1:"A",1'::peer_space;
SELECT '1:0:1:1:"A",1'::peer_space;
SELECT '1:1:2:1:"A",1'::peer_space;
SELECT '1:1:1:0:"A",1'::peer_space;
SELECT '1:1:1:1:"A",-1'::peer_space;
SELECT '1:1:1:1:"A",nan'::peer_space;
SELECT '1:1:1:1:"A,1'::peer_space;
SELECT '1:1:1:1:A,1'::peer_space;
SELECT '1:1:1:1:"A",1;'::peer_space;
SELECT '1:2:1:1,1:"A",1'::peer_space;
SELECT '1:1:1:1:"A",1x'::peer_space;
SELECT '1:1:99999999:1:"A",1'::peer_space;
SELECT * FROM nearest_peers('1:1:2:1:"A",1;"A",2', 1);           -- a repeated unit
SELECT peer_space_final('1:1:2:1:"B",1;"A",2');
SELECT peer_space_combine('1:1:1:1:"A",1', '1:2:1:1,1:"B",1,2');
SELECT peer_space_combine('1:1:1:1:"A",1', '1:1:1:2:"B",1');
SELECT peer_space_combine('1:1:1:1:"A",1', '1:1:1:1:"B",2');
SELECT peer_space_combine(NULL, '1:1:1:1:"B",2');

-- Parallel: 2000 units, 3 features, aggregated serially and under forced
-- parallel plans: the same space (the final function sorts by unit) and
-- the same peers.
CREATE TABLE many AS
SELECT 'U' || lpad(u::text, 4, '0') AS unit,
       ARRAY[(u * 7919 % 1009) / 10.0, (u * 104729 % 997) / 3.0 + 1, 20 + (u * 613 % 101)]::float8[] AS features
FROM generate_series(1, 2000) u;
ALTER TABLE many SET (parallel_workers = 2);
ANALYZE many;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE many_serial AS
SELECT (SELECT peer_space(unit, features) FROM many)::text AS space, p.*
FROM nearest_peers((SELECT peer_space(unit, features) FROM many), 5) p;
SET max_parallel_workers_per_gather = 2;
SET force_parallel_mode = on;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF) SELECT peer_space(unit, features) FROM many;
CREATE TABLE many_parallel AS
SELECT (SELECT peer_space(unit, features) FROM many)::text AS space, p.*
FROM nearest_peers((SELECT peer_space(unit, features) FROM many), 5) p;
RESET force_parallel_mode;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT (SELECT count(*) FROM many_serial) AS rows,
       (SELECT count(*) FROM (TABLE many_serial EXCEPT ALL TABLE many_parallel) d) AS serial_only,
       (SELECT count(*) FROM (TABLE many_parallel EXCEPT ALL TABLE many_serial) d) AS parallel_only;
-- partial states through their text form (the Citus path), combined in
-- either order, give the same space
CREATE AGGREGATE peer_space_test_state(text, float8[]) (
    SFUNC = peer_space_trans, STYPE = peer_space, COMBINEFUNC = peer_space_combine);
SELECT peer_space_final(peer_space_combine(a::text::peer_space, b::text::peer_space))::text
       = (SELECT peer_space(unit, features)::text FROM many) AS text_states_ab,
       peer_space_final(peer_space_combine(b::text::peer_space, a::text::peer_space))::text
       = (SELECT peer_space(unit, features)::text FROM many) AS text_states_ba
FROM (SELECT peer_space_test_state(unit, features) AS a FROM many WHERE unit >= 'U1000') x,
     (SELECT peer_space_test_state(unit, features) AS b FROM many WHERE unit < 'U1000') y;
-- called directly (outside an aggregate) the support functions copy
SELECT peer_space_trans(peer_space_trans(NULL, 'B', '{2}'), 'A', '{1}');
