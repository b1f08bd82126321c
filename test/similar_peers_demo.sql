-- test/similar_peers_demo.sql -- the RightCare "Similar 10" on the demo:
-- the 106 sub-ICB locations of England (demo.sub_icb, test/demo/place.sql)
-- against the reference files themselves (test/data/lsoa11_sicbl22_icb22_lad22.csv,
-- ONS July 2022; src/data/imd2019_lsoa11_england.csv, IoD2019), 00P's similar
-- 10 against the method written out in plain SQL window functions, and the
-- BI views bi.similar_peers and bi.practice_opportunity (test/demo/bi_views.sql).
-- Tolerance: features to 1e-9 relative, distances to 1e-9 absolute (both
-- sides sum the same float8 terms in other orders).
BEGIN;
SELECT plan(14);

CREATE TEMP TABLE t_imd (lsoa11_code text, lsoa11_name text, lad19_code text, lad19_name text,
    imd_score float8, imd_rank int, imd_decile int, income_rank int, income_decile int,
    employment_rank int, employment_decile int, education_rank int, education_decile int,
    health_rank int, health_decile int, crime_rank int, crime_decile int, barriers_rank int,
    barriers_decile int, living_env_rank int, living_env_decile int, pop_total_mid2015 int,
    pop_age_0_15_mid2015 int, pop_age_16_59_mid2015 int, pop_age_60plus_mid2015 int,
    pop_working_age_mid2015 int);
\copy t_imd FROM 'src/data/imd2019_lsoa11_england.csv' CSV HEADER
CREATE TEMP TABLE t_lk (lsoa11_code text, lsoa11_name text, sicbl22_code text,
    sicbl22_ods_code text, sicbl22_name text, icb22_code text, icb22_ods_code text,
    icb22_name text, lad22_code text, lad22_name text);
\copy t_lk FROM 'test/data/lsoa11_sicbl22_icb22_lad22.csv' CSV HEADER

-- The units ------------------------------------------------------------------
SELECT is((SELECT count(*)::int FROM demo.sub_icb), 106,
          'demo.sub_icb holds the 106 sub-ICB locations of England');
SELECT set_eq('SELECT sub_icb_code FROM demo.sub_icb',
              'SELECT DISTINCT sicbl22_ods_code FROM t_lk',
              'they are the sub-ICB codes of the ONS LSOA11 -> SICBL22 lookup (106 there too)');
SELECT is((SELECT count(*) FROM t_lk l JOIN t_imd i USING (lsoa11_code)), 32844::bigint,
          'every one of the 32,844 IoD2019 LSOAs is in the lookup once');
SELECT is((SELECT sum(lsoas)::bigint || ' ' || sum(population) FROM demo.sub_icb),
          (SELECT count(*) || ' ' || sum(pop_total_mid2015) FROM t_imd),
          'the sub-ICBs'' LSOAs and populations add up to England''s');

-- The features, recomputed from the files: population-weighted means of the
-- IMD score and the health domain rank, age shares of the denominators.
CREATE TEMP TABLE t_feat AS
SELECT l.sicbl22_ods_code AS unit,
       ARRAY[sum(i.imd_score * i.pop_total_mid2015) / sum(i.pop_total_mid2015),
             sum(i.pop_total_mid2015),
             100.0 * sum(i.pop_age_0_15_mid2015) / sum(i.pop_total_mid2015),
             100.0 * sum(i.pop_age_60plus_mid2015) / sum(i.pop_total_mid2015),
             sum(i.health_rank::float8 * i.pop_total_mid2015) / sum(i.pop_total_mid2015)]::float8[] AS f
FROM t_lk l JOIN t_imd i USING (lsoa11_code) GROUP BY 1;
SELECT is((SELECT count(*) FROM t_feat t JOIN demo.sub_icb s ON s.sub_icb_code = t.unit,
                   unnest(t.f, ARRAY[s.imd_score, s.population, s.pct_aged_0_15,
                                     s.pct_aged_60_plus, s.health_rank]) AS x(a, b)
           WHERE abs(a - b) > 1e-9 * greatest(abs(a), 1)),
          0::bigint, 'demo.sub_icb features equal those recomputed from the files (1e-9 relative)');
SELECT is((SELECT main_lad_name FROM demo.sub_icb WHERE sub_icb_code = '00P'), 'Sunderland',
          '00P is Sunderland');

-- The method in plain SQL (RightCare 2021): per feature, cap at mean + 5
-- population SDs, square root, standardise by the population SD; squared
-- weighted distances (equal weights); rank() <= 10 keeps ties.
CREATE TEMP VIEW t_sql_00p AS
WITH v AS (SELECT t.unit, e.v, e.x FROM t_feat t, unnest(t.f) WITH ORDINALITY AS e(x, v)),
     c AS (SELECT unit, v, sqrt(least(x, avg(x) OVER w + 5 * stddev_pop(x) OVER w)) AS s
           FROM v WINDOW w AS (PARTITION BY v)),
     z AS (SELECT unit, v, (s - avg(s) OVER w) / nullif(stddev_pop(s) OVER w, 0) AS z
           FROM c WINDOW w AS (PARTITION BY v)),
     d AS (SELECT b.unit AS peer, sum(1.0::float8 * (a.z - b.z) ^ 2) AS distance
           FROM z a JOIN z b ON b.v = a.v AND b.unit <> a.unit
           WHERE a.unit = '00P' GROUP BY b.unit)
SELECT peer, rank() OVER (ORDER BY distance)::int AS peer_rank, distance FROM d;
CREATE TEMP TABLE t_ext_00p AS
SELECT n.* FROM (SELECT peer_space(sub_icb_code,
                                   ARRAY[imd_score, population, pct_aged_0_15, pct_aged_60_plus,
                                         health_rank], ARRAY[1, 1, 1, 1, 1]) AS space
                 FROM demo.sub_icb) s, nearest_peers(s.space, '00P', 10) n;
SELECT set_eq('SELECT peer, peer_rank FROM t_ext_00p',
              'SELECT peer, peer_rank FROM t_sql_00p WHERE peer_rank <= 10',
              '00P''s similar 10 (peers and ranks) equal the plain-SQL window-function computation');
SELECT is((SELECT count(*) FROM t_ext_00p e JOIN t_sql_00p s USING (peer)
           WHERE abs(e.distance - s.distance) > 1e-9), 0::bigint,
          '... and so do their distances (1e-9)');
SELECT set_eq('SELECT peer FROM t_ext_00p',
              $$VALUES ('00N'), ('02P'), ('01T'), ('01X'), ('12F'), ('84H'), ('03R'), ('13T'),
                       ('03L'), ('02H')$$,
              '00P''s similar 10 are those the README worked example shows');

-- The BI view: the same peers, and its tie columns tell the truth.
SELECT set_eq($$SELECT peer_code::text, peer_rank, distance FROM bi.similar_peers
                WHERE peer_set = 'sub-ICB location' AND unit_code = '00P'$$,
              'SELECT peer, peer_rank, distance FROM t_ext_00p',
              'bi.similar_peers gives 00P the same peers, ranks and distances');
SELECT is((SELECT count(DISTINCT unit_code)::int || ' ' || min(peer_count) FROM bi.similar_peers
           WHERE peer_set = 'sub-ICB location'), '106 10',
          'bi.similar_peers: every one of the 106 sub-ICBs has at least 10 peers');
SELECT is((SELECT count(DISTINCT unit_code)::int FROM bi.similar_peers WHERE peer_set = 'practice'),
          39, 'bi.similar_peers: all 39 practices of the place');
SELECT is((SELECT count(*) FROM (
               SELECT peer_count, tied, peer_rank, count(*) OVER (PARTITION BY peer_set, unit_code) AS n,
                      count(*) OVER (PARTITION BY peer_set, unit_code, peer_rank) AS at_rank,
                      max(peer_rank) OVER (PARTITION BY peer_set, unit_code) AS last_rank
               FROM bi.similar_peers) x
           WHERE peer_count <> n OR tied <> (at_rank > 1)::int OR peer_rank > 10
              OR (n > 10 AND peer_rank = last_rank AND tied = 0)),
          0::bigint, 'bi.similar_peers: peer_count is the unit''s rows (over 10 only through a tie at the last rank), tied marks shared ranks');

-- bi.practice_opportunity benchmarks each practice on the mean of the best
-- (cheapest) 5 of its similar 10, here by row_number() in plain SQL.
SELECT is((SELECT count(*) FROM bi.practice_opportunity o
           JOIN (SELECT unit_code, avg(cost) AS best5 FROM (
                     SELECT s.unit_code, c.cost,
                            row_number() OVER (PARTITION BY s.unit_code ORDER BY c.cost) AS r
                     FROM bi.similar_peers s
                     JOIN (SELECT practice_code, sum(total_cost) / count(*) AS cost
                           FROM demo.person JOIN demo.person_cost USING (person_id)
                           GROUP BY 1) c ON c.practice_code = s.peer_code
                     WHERE s.peer_set = 'practice') r
                 WHERE r <= 5 GROUP BY unit_code) b ON b.unit_code = o.practice_code
           WHERE o.benchmark_cost_per_head <> round(b.best5::numeric, 2)),
          0::bigint, 'bi.practice_opportunity: benchmark = mean of the cheapest 5 of the similar 10');

SELECT * FROM finish();
ROLLBACK;
