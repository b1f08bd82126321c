-- test/bench/10_deprivation.sql -- the deprivation lookups on 10M person
-- rows against the equivalent hash joins, timed in the same run:
--   imd_decile(lsoa_code)            vs  LEFT JOIN imd_lsoa
--   imd_decile_for_postcode(postcode) vs  LEFT JOIN postcode_lookup, LEFT JOIN imd_lsoa
--   the same on dirty postcodes      vs  the joins on postcode_normalize(postcode)
-- Target: function / join <= 1.5. Ratios are function / join.
--
-- The postcode lookup is full-size: 2.6M postcodes (as many as the whole
-- NSPL), synthetic but grammatical, each given a real IoD2019 LSOA, so the
-- backend cache is as big as in production. People pick postcodes spread
-- over the whole table (no cache-friendly order). Rows: psql variable
-- rows (default 10,000,000): psql -v rows=1000000 ... for a quick run.
\set ON_ERROR_STOP 1
\if :{?rows}
\else
\set rows 10000000
\endif
SET max_parallel_workers_per_gather = 2;

-- 2.6M postcodes AA99 9AA (in postcode order, runs of 80 sharing an LSOA,
-- as in the NSPL): outward letters from the 10 x 10 allowed below,
-- districts 10..99, inward digit 0..9 and letters from the 20 allowed
TRUNCATE postcode_lookup;
INSERT INTO postcode_lookup (postcode, lsoa11_code, terminated)
SELECT o.outward || ' ' || i.inward, l.lsoa_code, (o.n + i.n) % 7 = 0
FROM (SELECT row_number() OVER () AS n, a || b || d AS outward
      FROM unnest(string_to_array('A,B,C,D,E,F,G,H,K,L', ',')) a,
           unnest(string_to_array('A,B,C,D,E,F,G,H,K,L', ',')) b,
           generate_series(10, 99) d) o
CROSS JOIN LATERAL (
      SELECT row_number() OVER () AS n, d || x || y AS inward
      FROM generate_series(0, 9) d,
           unnest(string_to_array('A,B,D,E,F,G,H,J,L,N,P,Q,R,S,T,U,W,X,Y,Z', ',')) x,
           unnest(string_to_array('A,B,D,E,F,G,H,J,L,N,P,Q,R,S,T,U,W,X,Y,Z', ',')) y
      LIMIT 290) i
JOIN (SELECT lsoa_code, row_number() OVER (ORDER BY lsoa_code) - 1 AS k
      FROM imd_lsoa WHERE edition = 2019) l ON l.k = ((o.n * 290 + i.n) / 80) % 32844
ORDER BY 1;
VACUUM ANALYZE postcode_lookup;
SELECT count(*) AS lookup_postcodes FROM postcode_lookup;

CREATE UNLOGGED TABLE dep_bench AS
SELECT p.id, pc.postcode, pc.lsoa11_code AS lsoa_code,
       -- the same postcode as it arrives: lower case, no space
       lower(replace(pc.postcode, ' ', '')) AS postcode_dirty
FROM (SELECT id, (id * 2654435761) % 2600000 AS k FROM generate_series(1, :rows) id) p
JOIN (SELECT postcode, lsoa11_code, row_number() OVER (ORDER BY postcode) - 1 AS k
      FROM postcode_lookup) pc ON pc.k = p.k;
VACUUM ANALYZE dep_bench;
SELECT count(*) AS person_rows FROM dep_bench;

-- equal answers first (NULLs would be counted by both sides alike)
SELECT (SELECT sum(imd_decile(lsoa_code)) FROM dep_bench)
     = (SELECT sum(l.imd_decile) FROM dep_bench p
        LEFT JOIN imd_lsoa l ON l.edition = 2019 AND l.lsoa_code = p.lsoa_code) AS lsoa_same,
       (SELECT sum(imd_decile_for_postcode(postcode_dirty)) FROM dep_bench)
     = (SELECT sum(l.imd_decile) FROM dep_bench p
        LEFT JOIN postcode_lookup pc ON pc.postcode = p.postcode
        LEFT JOIN imd_lsoa l ON l.edition = 2019 AND l.lsoa_code = pc.lsoa11_code) AS postcode_same;

-- the lookups and their plain-SQL joins; run with parallel workers, then
-- the first two without
CREATE TEMP TABLE dep_cases (ord int, label text, query text, baseline_label text, baseline_query text);
INSERT INTO dep_cases VALUES
(1, 'imd_decile(lsoa_code)',
    $q$ SELECT 1 FROM (SELECT sum(imd_decile(lsoa_code)) AS v FROM dep_bench) s WHERE v IS NOT NULL $q$,
    'hash join imd_lsoa',
    $q$ SELECT 1 FROM (SELECT sum(l.imd_decile) AS v FROM dep_bench p
        LEFT JOIN imd_lsoa l ON l.edition = 2019 AND l.lsoa_code = p.lsoa_code) s WHERE v IS NOT NULL $q$),
(2, 'imd_decile_for_postcode(postcode)',
    $q$ SELECT 1 FROM (SELECT sum(imd_decile_for_postcode(postcode)) AS v FROM dep_bench) s WHERE v IS NOT NULL $q$,
    'hash joins postcode_lookup, imd_lsoa',
    $q$ SELECT 1 FROM (SELECT sum(l.imd_decile) AS v FROM dep_bench p
        LEFT JOIN postcode_lookup pc ON pc.postcode = p.postcode
        LEFT JOIN imd_lsoa l ON l.edition = 2019 AND l.lsoa_code = pc.lsoa11_code) s WHERE v IS NOT NULL $q$),
(3, 'imd_decile_for_postcode(dirty)',
    $q$ SELECT 1 FROM (SELECT sum(imd_decile_for_postcode(postcode_dirty)) AS v FROM dep_bench) s WHERE v IS NOT NULL $q$,
    'joins on postcode_normalize(dirty)',
    $q$ SELECT 1 FROM (SELECT sum(l.imd_decile) AS v FROM dep_bench p
        LEFT JOIN postcode_lookup pc ON pc.postcode = postcode_normalize(p.postcode_dirty)
        LEFT JOIN imd_lsoa l ON l.edition = 2019 AND l.lsoa_code = pc.lsoa11_code) s WHERE v IS NOT NULL $q$);

SELECT b.* FROM dep_cases c
CROSS JOIN LATERAL bench_compare(c.label, c.query, c.baseline_label, c.baseline_query) b
ORDER BY c.ord;

-- without parallel workers (each worker builds its own cache, see README)
SET max_parallel_workers_per_gather = 0;
SELECT b.* FROM dep_cases c
CROSS JOIN LATERAL bench_compare(c.label || ', serial', c.query, c.baseline_label || ', serial', c.baseline_query) b
WHERE c.ord <= 2
ORDER BY c.ord;
RESET max_parallel_workers_per_gather;

-- what the first call in a fresh backend pays: reading 2.6M postcodes into the cache
\c
\timing on
SELECT imd_decile_for_postcode('AA10 0AA') AS first_call_builds_cache;
SELECT imd_decile_for_postcode('AA10 0AB') AS second_call;
\timing off
TRUNCATE postcode_lookup;
DROP TABLE dep_bench;
