-- test/deprivation.sql -- pgTAP: the bundled indices and the decile rules over
-- every area. Expected values are the official deciles in the bundled files
-- (src/data/imd2019_lsoa11_england.csv, imd2025_lsoa21_england.csv,
-- wimd2019_lsoa11_wales.csv, simd2020v2_dz11_scotland.csv,
-- nimdm2017_soa01_northern_ireland.csv) and the boundaries file
-- src/data/imd_decile_boundaries.csv; documented in test/data/SOURCES.md.
BEGIN;
SELECT plan(30);

-- row counts of the bundled files
SELECT is((SELECT count(*) FROM imd_lsoa WHERE edition = 2019), 32844::bigint, 'IoD2019: 32,844 LSOA 2011');
SELECT is((SELECT count(*) FROM imd_lsoa WHERE edition = 2025), 33755::bigint, 'IoD2025: 33,755 LSOA 2021');
SELECT is((SELECT count(*) FROM imd_other_nations WHERE nation = 'Wales'), 1909::bigint, 'WIMD 2019: 1,909 LSOA');
SELECT is((SELECT count(*) FROM imd_other_nations WHERE nation = 'Scotland'), 6976::bigint, 'SIMD 2020v2: 6,976 data zones');
SELECT is((SELECT count(*) FROM imd_other_nations WHERE nation = 'Northern Ireland'), 890::bigint, 'NIMDM 2017: 890 SOA');
SELECT is((SELECT count(*) FROM lsoa11_lsoa21), 35795::bigint, 'LSOA 2011 -> 2021 lookup: 35,795 rows');
SELECT is((SELECT count(*) FROM imd_decile_boundaries), 50::bigint, 'boundaries: 5 indices x 10 deciles');
-- the 26 tied pairs of IoD2019 ranks are kept as published
SELECT is((SELECT count(*) FROM (SELECT imd_rank FROM imd_lsoa WHERE edition = 2019
                                 GROUP BY imd_rank HAVING count(*) = 2) t), 26::bigint,
          'IoD2019 ranks keep their 26 tied pairs');

-- imd_decile(rank, N) equals the official decile for every English area
SELECT is((SELECT count(*) FROM imd_lsoa WHERE edition = 2019 AND imd_decile(imd_rank) = imd_decile),
          32844::bigint, 'imd_decile(rank) = official decile for all 32,844 IoD2019 LSOAs');
SELECT is((SELECT count(*) FROM imd_lsoa WHERE edition = 2025 AND imd_decile(imd_rank, 33755) = imd_decile),
          33755::bigint, 'imd_decile(rank, 33755) = official decile for all 33,755 IoD2025 LSOAs');
SELECT is((SELECT count(*) FROM imd_lsoa
           WHERE imd_quintile(imd_rank, CASE edition WHEN 2019 THEN 32844 ELSE 33755 END)
                 = (imd_decile + 1) / 2),
          66599::bigint, 'imd_quintile pairs the official deciles for every English area');
-- the domain deciles follow the same rule
SELECT is((SELECT count(*) FROM imd_lsoa, LATERAL (VALUES
              (income_rank, income_decile), (employment_rank, employment_decile),
              (education_rank, education_decile), (health_rank, health_decile),
              (crime_rank, crime_decile), (barriers_rank, barriers_decile),
              (living_env_rank, living_env_decile)) AS d(r, dec)
           WHERE imd_decile(d.r, CASE edition WHEN 2019 THEN 32844 ELSE 33755 END) <> d.dec),
          0::bigint, 'imd_decile(rank, N) = official decile for all 7 domains of both editions');
-- the English rule is not the devolved one: it would get 8 (2019) and 5 (2025) areas wrong
SELECT is((SELECT count(*) FROM imd_lsoa WHERE edition = 2019
           AND imd_decile_nation(imd_rank, 32844, 'Wales') <> imd_decile), 8::bigint,
          'IoD2019: the floor rule misplaces 8 LSOAs (as the boundaries file reports)');
SELECT is((SELECT count(*) FROM imd_lsoa WHERE edition = 2025
           AND imd_decile_nation(imd_rank, 33755, 'Wales') <> imd_decile), 5::bigint,
          'IoD2025: the floor rule misplaces 5 LSOAs');

-- devolved nations: their own rule for every area
SELECT is((SELECT count(*) FROM imd_other_nations
           WHERE imd_decile_nation(imd_rank, n_areas, nation) <> imd_decile), 0::bigint,
          'imd_decile_nation = official decile for every Welsh, Scottish and NI area');
SELECT is((SELECT count(*) FROM imd_other_nations WHERE nation = 'Wales'
           AND imd_decile(imd_rank, n_areas) <> imd_decile), 9::bigint,
          'WIMD: the English ceil rule would misplace 9 LSOAs');
SELECT is((SELECT count(*) FROM imd_other_nations WHERE nation = 'Scotland'
           AND imd_decile(imd_rank, n_areas) <> imd_decile), 8::bigint,
          'SIMD: the English ceil rule would misplace 8 data zones');

-- the boundaries file: both ends of each decile, and the count of areas in each
SELECT is((SELECT count(*) FROM imd_decile_boundaries b
           WHERE imd_decile_nation(b.min_rank, b.n_areas, CASE
                     WHEN b.index_name LIKE '%England' THEN 'England'
                     WHEN b.index_name LIKE '%Wales' THEN 'Wales'
                     WHEN b.index_name LIKE '%Scotland' THEN 'Scotland'
                     ELSE 'Northern Ireland' END) = b.decile
             AND imd_decile_nation(b.max_rank, b.n_areas, CASE
                     WHEN b.index_name LIKE '%England' THEN 'England'
                     WHEN b.index_name LIKE '%Wales' THEN 'Wales'
                     WHEN b.index_name LIKE '%Scotland' THEN 'Scotland'
                     ELSE 'Northern Ireland' END) = b.decile),
          50::bigint, 'every boundary rank of every index falls in its decile');
SELECT is((SELECT count(*) FROM imd_decile_boundaries b
           WHERE b.index_name IN ('IMD2019_England', 'IMD2025_England')
             AND b.n_in_decile = (SELECT count(*) FROM imd_lsoa l
                                  WHERE l.edition = substr(b.index_name, 4, 4)::int
                                    AND imd_decile(l.imd_rank, b.n_areas) = b.decile)),
          20::bigint, 'areas per decile computed by imd_decile = the boundaries file, England');
SELECT is((SELECT count(*) FROM imd_decile_boundaries b
           WHERE b.index_name NOT LIKE '%England'
             AND b.n_in_decile = (SELECT count(*) FROM imd_other_nations o
                                  WHERE o.n_areas = b.n_areas
                                    AND imd_decile_nation(o.imd_rank, o.n_areas, o.nation) = b.decile)),
          30::bigint, 'areas per decile computed by imd_decile_nation = the boundaries file, devolved');

-- cached lookups agree with the table for every LSOA of both editions
SELECT is((SELECT count(*) FROM imd_lsoa
           WHERE imd_decile(lsoa_code, edition) = imd_decile
             AND imd_rank(lsoa_code, edition) = imd_rank
             AND imd_score(lsoa_code, edition) = imd_score), 66599::bigint,
          'imd_decile/imd_rank/imd_score(lsoa, edition) = the table for all 66,599 rows');
SELECT is((SELECT count(*) FROM imd_lsoa WHERE edition = 2019
           AND imd_decile(lsoa_code, 2025) IS DISTINCT FROM
               (SELECT l.imd_decile FROM imd_lsoa l WHERE l.edition = 2025 AND l.lsoa_code = imd_lsoa.lsoa_code)),
          0::bigint, 'a 2011 code looked up in 2025 gives the 2025 decile of that code or NULL');
SELECT is(imd_decile('E01999999'), NULL, 'unknown LSOA code gives NULL');
SELECT throws_ok($$SELECT imd_decile('E01000001', 2015)$$, '22023',
                 'edition of imd_decile must be one of 2019, 2025', 'unknown edition raises 22023');
SELECT throws_ok($$SELECT imd_decile(0)$$, '22023', 'rank of imd_decile must be between 1 and 32844',
                 'rank 0 raises 22023 naming the range');
SELECT throws_ok($$SELECT imd_decile(10, 9)$$, '22023', 'areas of imd_decile must be at least 10',
                 'fewer than 10 areas raises 22023');

-- Core20: IMD deciles 1-2 are exactly the most deprived 20% of LSOAs (by rank)
SELECT is((SELECT count(*) FROM imd_lsoa WHERE edition = 2019 AND is_core20(imd_decile)),
          (SELECT count(*) FROM imd_lsoa WHERE edition = 2019 AND imd_rank <= 6568),
          'Core20 (2019) = ranks 1..6568');
SELECT is((SELECT count(*) FROM imd_lsoa WHERE edition = 2025 AND is_core20(imd_decile)),
          6751::bigint, 'Core20 (2025) = 6,751 LSOAs (ranks 1..6751)');

-- with parallel workers the lookups give the same answers. pgTAP's own
-- functions are parallel unsafe, so the parallel query runs on its own and
-- hands its result over through psql variables.
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT sum(imd_decile(lsoa_code, edition)) AS par_deciles,
       count(*) FILTER (WHERE imd_rank(lsoa_code, edition) <> imd_rank) AS par_rank_diff
FROM imd_lsoa \gset
SELECT is(:par_deciles::bigint, (SELECT sum(imd_decile) FROM imd_lsoa), 'parallel workers: same deciles');
SELECT is(:par_rank_diff::bigint, 0::bigint, 'parallel workers: same ranks');
SELECT * FROM finish();
ROLLBACK;
