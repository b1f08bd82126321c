-- test/deprivation_postcode.sql -- pgTAP: postcode -> LSOA -> IMD over the
-- real NSPL November 2021 files for postcode areas SR and HR
-- (test/data/NSPL_NOV_2021_UK_SR.csv, test/data/NSPL_NOV_2021_UK_HR.csv;
-- test/data/SOURCES.md section 3). Each file states every postcode's LSOA
-- 2011 (lsoa11) and the IMD rank of that LSOA (imd: IoD2019 rank in England,
-- WIMD 2019 rank in Wales); the official decile of an English rank is
-- checked against imd_lsoa, not recomputed here.
\set QUIET 1
BEGIN;
SELECT plan(17);

-- the files, client side, once as raw lines (to hand them to the server
-- byte for byte) and once as columns (the expectations)
CREATE TEMP TABLE nspl (pcd text, pcd2 text, pcds text, dointr text, doterm text, usertype text,
    oseast1m text, osnrth1m text, osgrdind text, oa11 text, cty text, ced text, laua text,
    ward text, hlthau text, nhser text, ctry text, rgn text, pcon text, eer text, teclec text,
    ttwa text, pct text, itl text, park text, lsoa11 text, msoa11 text, wz11 text, ccg text,
    bua11 text, buasd11 text, ru11ind text, oac11 text, lat text, long text, lep1 text,
    lep2 text, pfa text, imd integer, calncv text, stp text, area text);
CREATE TEMP TABLE nspl_lines (area text, ord bigserial, line text);
\copy nspl (pcd, pcd2, pcds, dointr, doterm, usertype, oseast1m, osnrth1m, osgrdind, oa11, cty, ced, laua, ward, hlthau, nhser, ctry, rgn, pcon, eer, teclec, ttwa, pct, itl, park, lsoa11, msoa11, wz11, ccg, bua11, buasd11, ru11ind, oac11, lat, long, lep1, lep2, pfa, imd, calncv, stp) FROM 'test/data/NSPL_NOV_2021_UK_SR.csv' WITH (FORMAT csv, HEADER true)
UPDATE nspl SET area = 'SR';
\copy nspl (pcd, pcd2, pcds, dointr, doterm, usertype, oseast1m, osnrth1m, osgrdind, oa11, cty, ced, laua, ward, hlthau, nhser, ctry, rgn, pcon, eer, teclec, ttwa, pct, itl, park, lsoa11, msoa11, wz11, ccg, bua11, buasd11, ru11ind, oac11, lat, long, lep1, lep2, pfa, imd, calncv, stp) FROM 'test/data/NSPL_NOV_2021_UK_HR.csv' WITH (FORMAT csv, HEADER true)
UPDATE nspl SET area = 'HR' WHERE area IS NULL;
\copy nspl_lines (line) FROM 'test/data/NSPL_NOV_2021_UK_SR.csv'
UPDATE nspl_lines SET area = 'SR';
\copy nspl_lines (line) FROM 'test/data/NSPL_NOV_2021_UK_HR.csv'
UPDATE nspl_lines SET area = 'HR' WHERE area IS NULL;
DO $$
DECLARE
    a text;
    o oid;
BEGIN
    FOR a IN SELECT DISTINCT area FROM nspl_lines LOOP
        o := lo_from_bytea(0, convert_to((SELECT string_agg(line, E'\n' ORDER BY ord) || E'\n'
                                          FROM nspl_lines WHERE area = a), 'UTF8'));
        PERFORM lo_export(o, 'value_ext_test_nspl_' || a || '.csv');
        PERFORM lo_unlink(o);
    END LOOP;
END $$;

SELECT is((SELECT count(*) FROM nspl WHERE area = 'SR'), 8765::bigint, 'SR file: 8,765 postcodes');
SELECT is(load_postcode_lookup('value_ext_test_nspl_SR.csv'), 8765::bigint,
          'load_postcode_lookup loads every SR postcode');

-- every postcode resolves to the LSOA the file states, terminated ones included
SELECT is((SELECT count(*) FROM nspl WHERE area = 'SR'
           AND lsoa_for_postcode(pcds) IS NOT DISTINCT FROM nullif(lsoa11, '')), 8765::bigint,
          'SR: lsoa_for_postcode(pcds) = the file''s lsoa11 for all 8,765 postcodes');
SELECT is((SELECT count(*) FROM nspl WHERE area = 'SR' AND doterm <> ''
           AND lsoa_for_postcode(pcds) = lsoa11), 2143::bigint,
          'SR: all 2,143 terminated postcodes resolve');
-- and to the IMD decile of the rank the file states
SELECT is((SELECT count(*) FROM nspl WHERE area = 'SR' AND lsoa11 LIKE 'E01%'
           AND imd_decile_for_postcode(pcds) = imd_decile(imd)), 8688::bigint,
          'SR: imd_decile_for_postcode(pcds) = decile of the file''s IoD2019 rank for all 8,688 English postcodes');
SELECT is((SELECT count(*) FROM nspl n JOIN imd_lsoa l ON l.edition = 2019 AND l.lsoa_code = n.lsoa11
           WHERE n.area = 'SR' AND l.imd_rank = n.imd AND imd_decile_for_postcode(n.pcds) = l.imd_decile),
          8688::bigint, 'SR: the file''s rank is the official IoD2019 rank, and the decile the official one');
SELECT is((SELECT count(*) FROM nspl WHERE area = 'SR' AND lsoa11 = ''
           AND imd_decile_for_postcode(pcds) IS NULL AND lsoa_for_postcode(pcds) IS NULL), 77::bigint,
          'SR: the 77 postcodes without geography give NULL');
-- the other written forms of the same postcodes, dirtied
SELECT is((SELECT count(*) FROM nspl WHERE area = 'SR'
           AND imd_decile_for_postcode(pcd) IS NOT DISTINCT FROM imd_decile_for_postcode(pcds)
           AND imd_decile_for_postcode(pcd2) IS NOT DISTINCT FROM imd_decile_for_postcode(pcds)
           AND imd_decile_for_postcode(lower(replace(pcds, ' ', ''))) IS NOT DISTINCT FROM imd_decile_for_postcode(pcds)
           AND imd_decile_for_postcode(replace(pcds, ' ', U&'\00A0')) IS NOT DISTINCT FROM imd_decile_for_postcode(pcds)
           AND lsoa_for_postcode(E'\t' || lower(pcd2) || ' ') IS NOT DISTINCT FROM nullif(lsoa11, '')),
          8765::bigint, 'SR: pcd, pcd2, lower case without space, NBSP and tab forms resolve alike');
SELECT is((SELECT count(*) FROM nspl WHERE postcode_normalize(pcds) = pcds
           AND postcode_normalize(pcd) = pcds AND postcode_normalize(pcd2) = pcds), 16751::bigint,
          'all 16,751 SR and HR postcodes pass the grammar; pcd and pcd2 normalise to pcds');

-- IoD2025 through the LSOA 2011 -> 2021 lookup (the file has no lsoa21):
-- unchanged and merged LSOAs map to one 2021 LSOA; split ones only when the
-- parts share a decile
CREATE TEMP TABLE expect_2021 AS
SELECT m.lsoa11_code,
       CASE WHEN count(*) = 1 THEN min(m.lsoa21_code) END AS lsoa21,
       CASE WHEN count(DISTINCT l.imd_decile) = 1 AND count(l.imd_decile) = count(*)
            THEN min(l.imd_decile) END AS decile2025
FROM lsoa11_lsoa21 m LEFT JOIN imd_lsoa l ON l.edition = 2025 AND l.lsoa_code = m.lsoa21_code
GROUP BY m.lsoa11_code;
SELECT is((SELECT count(*) FROM nspl n JOIN expect_2021 e ON e.lsoa11_code = n.lsoa11
           WHERE n.area = 'SR'
             AND imd_decile_for_postcode(n.pcds, 2025) IS NOT DISTINCT FROM e.decile2025),
          8688::bigint, 'SR: 2025 deciles via lsoa11_lsoa21 (NULL when split parts differ)');
SELECT is((SELECT count(*) FROM nspl n JOIN expect_2021 e ON e.lsoa11_code = n.lsoa11
           WHERE n.area = 'SR'
             AND lsoa_for_postcode(n.pcds, 2021) IS NOT DISTINCT FROM e.lsoa21),
          8688::bigint, 'SR: LSOA 2021 via lsoa11_lsoa21 (NULL for split LSOAs)');

-- HR: English and Welsh postcodes; Welsh LSOAs have no English IMD decile,
-- and their rank in the file is the WIMD 2019 rank
SELECT is(load_postcode_lookup('value_ext_test_nspl_HR.csv'), 7986::bigint, 'HR file replaces the SR load');
SELECT is((SELECT count(*) FROM postcode_lookup WHERE postcode LIKE 'SR%'), 0::bigint,
          'the previous load is gone');
SELECT is((SELECT count(*) FROM nspl WHERE area = 'HR'
           AND lsoa_for_postcode(pcds) IS NOT DISTINCT FROM nullif(lsoa11, '')), 7986::bigint,
          'HR: lsoa_for_postcode = the file''s lsoa11 for all 7,986 postcodes');
SELECT is((SELECT count(*) FROM nspl WHERE area = 'HR' AND lsoa11 LIKE 'E01%'
           AND imd_decile_for_postcode(pcds) = imd_decile(imd)),
          (SELECT count(*) FROM nspl WHERE area = 'HR' AND lsoa11 LIKE 'E01%'),
          'HR: every English postcode gets the decile of the file''s IoD2019 rank');
SELECT is((SELECT count(*) FROM nspl n JOIN imd_other_nations w
             ON w.nation = 'Wales' AND w.area_code = n.lsoa11 AND w.imd_rank = n.imd
           WHERE n.area = 'HR' AND imd_decile_for_postcode(n.pcds) IS NULL), 272::bigint,
          'HR: the 272 Welsh postcodes carry their WIMD rank and get no English decile');

-- parallel workers build their own cache and agree (a regular table, as
-- temporary ones are never scanned in parallel; pgTAP's functions are
-- parallel unsafe, so the parallel query hands its result over via psql)
CREATE TABLE value_ext_test_hr_pc AS
SELECT pcds, imd FROM nspl WHERE area = 'HR' AND lsoa11 LIKE 'E01%';
ANALYZE value_ext_test_hr_pc;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT sum(imd_decile_for_postcode(pcds)) AS par_sum FROM value_ext_test_hr_pc \gset
SELECT is(:par_sum::bigint, (SELECT sum(imd_decile(imd)) FROM value_ext_test_hr_pc),
          'parallel workers: same deciles');

SELECT * FROM finish();
ROLLBACK;
