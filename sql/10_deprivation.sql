-- Deprivation: IMD decile rules and the cached LSOA lookups.
-- Expected values: src/data/imd_decile_boundaries.csv (decile boundaries) and
-- src/data/imd2019_lsoa11_england.csv / imd2025_lsoa21_england.csv (rows
-- E01000001, E01000186, E01000827 read from the files by hand).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;
SET extra_float_digits = 0;

-- the rule ceil(rank * 10 / N) at both ends of every IoD2019 decile (N = 32,844)
SELECT decile, min_rank, imd_decile(min_rank) AS at_min,
       max_rank, imd_decile(max_rank) AS at_max
FROM imd_decile_boundaries WHERE index_name = 'IMD2019_England' ORDER BY decile;
-- and IoD2025 (N = 33,755)
SELECT decile, min_rank, imd_decile(min_rank, 33755) AS at_min,
       max_rank, imd_decile(max_rank, 33755) AS at_max
FROM imd_decile_boundaries WHERE index_name = 'IMD2025_England' ORDER BY decile;
-- quintiles pair the deciles: 6568 is the last rank of decile 2, 6569 the first of decile 3
SELECT imd_quintile(1) AS q1, imd_quintile(6568) AS q6568, imd_quintile(6569) AS q6569,
       imd_quintile(32844) AS q_last, imd_quintile(6751, 33755) AS q6751_2025,
       imd_quintile(6752, 33755) AS q6752_2025;
-- smallest index allowed: 10 areas, one per decile
SELECT r, imd_decile(r, 10) FROM generate_series(1, 10) AS r WHERE r IN (1, 5, 10);
-- ranks near the integer limit do not overflow
SELECT imd_decile(2147483647, 2147483647) AS top, imd_decile(1, 2147483647) AS bottom;

-- devolved nations use floor((rank - 1) * 10 / N) + 1: Wales rank 191 of 1,909
-- is decile 1 (the English rule would say 2); Scotland 698/699 of 6,976
SELECT imd_decile_nation(191, 1909, 'Wales') AS wales_191,
       imd_decile_nation(192, 1909, 'Wales') AS wales_192,
       imd_decile(191, 1909) AS english_rule_191,
       imd_decile_nation(698, 6976, 'Scotland') AS scot_698,
       imd_decile_nation(699, 6976, 'Scotland') AS scot_699,
       imd_decile_nation(89, 890, 'Northern Ireland') AS ni_89,
       imd_decile_nation(90, 890, 'Northern Ireland') AS ni_90,
       imd_decile_nation(3285, 32844, 'England') AS eng_3285;

SELECT d, is_core20(d) FROM generate_series(1, 10) AS d;

-- errors
SELECT imd_decile(0);
SELECT imd_decile(32845);
SELECT imd_decile(-5, 100);
SELECT imd_decile(5, 9);
SELECT imd_quintile(0, 0);
SELECT imd_quintile(33756, 33755);
SELECT imd_decile_nation(1, 1909, 'wales');
SELECT imd_decile_nation(2000, 1909, 'Wales');
SELECT is_core20(0);
SELECT is_core20(11);
-- NULL in, NULL out (STRICT)
SELECT imd_decile(NULL::integer) IS NULL AS n1, imd_decile(5, NULL) IS NULL AS n2,
       is_core20(NULL) IS NULL AS n3, imd_decile_nation(5, 100, NULL) IS NULL AS n4;

-- LSOA lookups (values from the bundled files)
SELECT imd_decile('E01000001') AS dec2019, imd_rank('E01000001') AS rank2019,
       imd_score('E01000001') AS score2019,
       imd_decile('E01000001', 2025) AS dec2025, imd_rank('E01000001', 2025) AS rank2025,
       imd_score('E01000001', 2025) AS score2025;
-- a tied pair in IoD2019: both LSOAs have rank 30326
SELECT imd_rank('E01000186') AS r186, imd_rank('E01000827') AS r827,
       imd_decile('E01000186') AS d186;
-- codes are trimmed and upper-cased; unknown codes give NULL
SELECT imd_decile(' e01000001 ') AS trimmed, imd_decile('E01999999') AS unknown,
       imd_decile('') AS empty, imd_decile('E01000001E01000001') AS too_long,
       imd_decile('W01000001') AS welsh_code,
       imd_decile('E01035637', 2019) AS code_2021_in_2019,
       imd_decile('E01035637', 2025) AS code_2021_in_2025;
SELECT imd_decile('E01000001', 2020);
SELECT imd_rank('E01000001', 0);
SELECT imd_score('E01000001', NULL) IS NULL AS null_edition;

-- overload resolution between imd_decile(integer, integer) and imd_decile(text, integer)
SELECT imd_decile(5) AS int_literal,                 -- rank 5 of 32,844
       imd_decile('E01000001') AS unknown_literal,    -- an unknown-typed literal is text
       imd_decile('5') AS quoted_five,                -- text: no LSOA called '5'
       imd_decile(5, 2019) AS rank_5_of_2019_areas,   -- integers: rank and areas
       imd_decile('E01000001', 2025) AS text_2025,
       imd_decile('E01000001'::varchar) AS varchar_arg,
       imd_decile(5::smallint) AS smallint_arg,
       imd_decile(rank => 3285) AS named_rank,
       imd_decile(lsoa_code => 'E01000001', edition => 2025) AS named_code;
SELECT imd_decile(NULL) IS NULL AS untyped_null;
SELECT imd_decile(5::bigint);
SELECT imd_decile(5.0);

-- parallel workers build their own cache and agree with the table
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT sum(imd_decile(lsoa_code, edition)), sum(imd_rank(lsoa_code, edition)) FROM imd_lsoa;
SELECT sum(imd_decile(lsoa_code, edition)) = sum(imd_decile) AS deciles_agree,
       sum(imd_rank(lsoa_code, edition)) = sum(imd_rank) AS ranks_agree,
       count(*) FILTER (WHERE imd_score(lsoa_code, edition) = imd_score) AS scores_agree
FROM imd_lsoa;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- volatility and parallel safety as declared
SELECT p.oid::regprocedure, p.provolatile, p.proparallel, p.proisstrict
FROM pg_proc p
WHERE p.proname IN ('imd_decile', 'imd_quintile', 'imd_decile_nation', 'is_core20',
                    'imd_rank', 'imd_score')
ORDER BY p.oid::regprocedure::text;
-- the bundled reference tables are not dumped (CREATE EXTENSION reloads them)
SELECT c.relname, c.relname = ANY (SELECT unnest(e.extconfig)::regclass::text) AS dumped
FROM pg_extension e, pg_class c
WHERE e.extname = 'value_ext'
  AND c.relname IN ('imd_lsoa', 'imd_other_nations', 'imd_decile_boundaries', 'lsoa11_lsoa21')
ORDER BY 1;
