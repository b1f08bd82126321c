-- Postcodes: ICU normalisation, load_postcode_lookup and the cached lookups.
-- Expected values: the grammar in src/postcode.c's header (normalisation
-- corpus written by hand, one expectation per input); postcode -> LSOA and
-- IMD rank from test/data/NSPL_NOV_2021_UK_SR.csv (lines read by hand:
-- SR1 1AA E01008703 imd 3277 doterm 199912; SR2 7JR E01008831 imd 8279;
-- SR43 2AA no LSOA; SR5 3HN E01008850, split in 2021 into E01034515 and
-- E01034516, IoD2025 deciles 8 and 10) and src/data/lsoa11_lsoa21_lad22.csv.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;

-- 1. normalisation corpus: label, input, expected (NULL = not a postcode)
CREATE TEMP TABLE corpus (n serial, label text, input text, expected text);
INSERT INTO corpus (label, input, expected) VALUES
-- the six outward forms and GIR 0AA, clean
('A9 9AA', 'M1 1AE', 'M1 1AE'),
('A99 9AA', 'B33 8TH', 'B33 8TH'),
('AA9 9AA', 'CR2 6XH', 'CR2 6XH'),
('AA99 9AA', 'DN55 1PT', 'DN55 1PT'),
('A9A 9AA', 'W1A 0AX', 'W1A 0AX'),
('AA9A 9AA', 'EC1A 1BB', 'EC1A 1BB'),
('GIR 0AA', 'GIR 0AA', 'GIR 0AA'),
('SR 8-character', 'SR43 2AA', 'SR43 2AA'),
-- case and spacing
('lower case', 'sr1 1aa', 'SR1 1AA'),
('mixed case', 'sR1 1Aa', 'SR1 1AA'),
('no space A9', 'm11ae', 'M1 1AE'),
('no space A99', 'b338th', 'B33 8TH'),
('no space AA9', 'cr26xh', 'CR2 6XH'),
('no space AA99', 'dn551pt', 'DN55 1PT'),
('no space A9A', 'w1a0ax', 'W1A 0AX'),
('no space AA9A', 'ec1a1bb', 'EC1A 1BB'),
('no space GIR', 'gir0aa', 'GIR 0AA'),
('double space', 'SR1  1AA', 'SR1 1AA'),
('many spaces', 'SR1      1AA', 'SR1 1AA'),
('leading and trailing', '   SR1 1AA   ', 'SR1 1AA'),
('space in outward', 'S R1 1AA', 'SR1 1AA'),
('space everywhere', 'S R 1 1 A A', 'SR1 1AA'),
('wrong split', 'SR11 AA', 'SR1 1AA'),
('7-char pcd form', 'DN551PT', 'DN55 1PT'),
('8-char pcd2 form', 'M1   1AE', 'M1 1AE'),
-- ASCII controls
('tab', E'SR1\t1AA', 'SR1 1AA'),
('leading tab', E'\tSR1 1AA', 'SR1 1AA'),
('newline', E'SR1\n1AA', 'SR1 1AA'),
('CRLF at end', E'SR1 1AA\r\n', 'SR1 1AA'),
('vertical tab', E'SR1\x0b1AA', 'SR1 1AA'),
('form feed', E'SR1\x0c1AA', 'SR1 1AA'),
-- Unicode spaces and separators
('NBSP U+00A0 (Excel)', U&'SR1\00A01AA', 'SR1 1AA'),
('NBSP doubled', U&'SR1\00A0\00A01AA', 'SR1 1AA'),
('NBSP trailing', U&'SR1 1AA\00A0', 'SR1 1AA'),
('en quad U+2000', U&'SR1\20001AA', 'SR1 1AA'),
('em space U+2003', U&'SR1\20031AA', 'SR1 1AA'),
('figure space U+2007', U&'SR1\20071AA', 'SR1 1AA'),
('thin space U+2009', U&'SR1\20091AA', 'SR1 1AA'),
('hair space U+200A', U&'SR1\200A1AA', 'SR1 1AA'),
('narrow NBSP U+202F', U&'SR1\202F1AA', 'SR1 1AA'),
('medium math space U+205F', U&'SR1\205F1AA', 'SR1 1AA'),
('ideographic space U+3000', U&'SR1\30001AA', 'SR1 1AA'),
('ogham space U+1680', U&'SR1\16801AA', 'SR1 1AA'),
('line separator U+2028', U&'SR1\20281AA', 'SR1 1AA'),
('paragraph separator U+2029', U&'SR1\20291AA', 'SR1 1AA'),
('next line U+0085', U&'SR1\00851AA', 'SR1 1AA'),
-- zero-width and other format characters
('zero-width space U+200B', U&'SR1\200B1AA', 'SR1 1AA'),
('zero-width non-joiner U+200C', U&'SR\200C1 1AA', 'SR1 1AA'),
('zero-width joiner U+200D', U&'S\200DR1 1AA', 'SR1 1AA'),
('word joiner U+2060', U&'SR1\20601AA', 'SR1 1AA'),
('byte-order mark U+FEFF', U&'\FEFFSR1 1AA', 'SR1 1AA'),
('soft hyphen U+00AD', U&'SR1\00AD1AA', 'SR1 1AA'),
('Mongolian vowel separator U+180E', U&'SR1\180E1AA', 'SR1 1AA'),
('left-to-right mark U+200E', U&'\200ESR1 1AA', 'SR1 1AA'),
-- compatibility forms (NFKC)
('full-width upper', U&'\FF33\FF32\FF11 \FF11\FF21\FF21', 'SR1 1AA'),
('full-width lower', U&'\FF53\FF52\FF11\FF11\FF41\FF41', 'SR1 1AA'),
('full-width with ideographic space', U&'\FF25\FF23\FF11\FF21\3000\FF11\FF22\FF22', 'EC1A 1BB'),
('full-width mixed with ASCII', U&'SR\FF11 1\FF41a', 'SR1 1AA'),
('full-width GIR', U&'\FF27\FF29\FF32\FF10\FF21\FF21', 'GIR 0AA'),
('circled digit one', U&'SR\2460 1AA', 'SR1 1AA'),
('superscript one', U&'SR\00B9 1AA', 'SR1 1AA'),
('mathematical bold S', U&'\+01D412R1 1AA', 'SR1 1AA'),
('dotless i upper-cases to I', U&'\0131P1 1AA', 'IP1 1AA'),
-- valid position letters
('A9A third letter B', 'W1B 1AA', 'W1B 1AA'),
('A9A third letter W', 'E1W 1AA', 'E1W 1AA'),
('AA9A fourth letter M', 'EC2M 1AA', 'EC2M 1AA'),
('AA9A fourth letter W', 'NW1W 1AA', 'NW1W 1AA'),
('inward letters Z Z', 'SR1 1ZZ', 'SR1 1ZZ'),
-- empty and too short
('empty', '', NULL),
('space only', '   ', NULL),
('NBSP only', U&'\00A0', NULL),
('tab only', E'\t', NULL),
('outward only', 'SR1', NULL),
('outward only A9', 'M1', NULL),
('inward only', '1AA', NULL),
('four characters', 'SR11', NULL),
('short inward', 'SR1 1A', NULL),
-- too long
('inward of four', 'SR1 1AAA', NULL),
('outward of five', 'SR111 1AA', NULL),
('two postcodes', 'SR1 1AA SR1 1AB', NULL),
('postcode and text', 'SR1 1AA UK', NULL),
-- bad inward code
('inward letter first', 'SR1 AAA', NULL),
('inward two digits', 'SR1 11A', NULL),
('inward ends in digit', 'SR1 1A1', NULL),
('inward all digits', 'SR1 111', NULL),
('inward letter C', 'SR1 1CA', NULL),
('inward letter I', 'SR1 1AI', NULL),
('inward letter K', 'SR1 1KA', NULL),
('inward letter M', 'SR1 1AM', NULL),
('inward letter O (zero typed as O)', 'SR1 1OA', NULL),
('inward letter V', 'SR1 1VA', NULL),
('O for zero in GIR', 'GIR OAA', NULL),
-- bad outward code
('first letter Q', 'QA1 1AA', NULL),
('first letter V', 'V1 1AA', NULL),
('first letter X', 'XA1 1AA', NULL),
('second letter I', 'AI1 1AA', NULL),
('second letter J', 'AJ1 1AA', NULL),
('second letter Z', 'AZ1 1AA', NULL),
('A9A third letter I', 'W1I 1AA', NULL),
('A9A third letter L', 'W1L 1AA', NULL),
('A9A third letter Z', 'W1Z 1AA', NULL),
('AA9A fourth letter C', 'EC1C 1AA', NULL),
('AA9A fourth letter D', 'EC1D 1AA', NULL),
('AA9A fourth letter Z', 'SW1Z 1AA', NULL),
('starts with a digit', '1SR 1AA', NULL),
('digits only outward', '11 1AA', NULL),
('three letters', 'SRR 1AA', NULL),
('letters only outward', 'SR 1AA', NULL),
('A9A9 outward', 'S1R1 1AA', NULL),
('AA99A outward', 'SR11A 1AA', NULL),
('GIR with other inward', 'GIR 1AA', NULL),
('all digits', '12345', NULL),
-- characters that are not letters, digits or spaces
('hyphen', 'SR1-1AA', NULL),
('non-breaking hyphen U+2011', U&'SR1\20111AA', NULL),
('underscore', 'SR1_1AA', NULL),
('full stop', 'SR1.1AA', NULL),
('comma', 'SR1,1AA', NULL),
('slash', 'SR1/1AA', NULL),
('quoted', '"SR1 1AA"', NULL),
('exclamation mark', 'SR1 1AA!', NULL),
('A with diaeresis', U&'SR1 1\00C4A', NULL),
('combining acute accent', U&'SR1 1A\0301A', NULL),
('Cyrillic Es looks like C', U&'\0421R1 1AA', NULL),
('Greek Alpha looks like A', U&'SR1 1\0391A', NULL),
('fraction one half', U&'SR\00BD 1AA', NULL),
('emoji', U&'SR1 1AA\+01F600', NULL);

SELECT count(*) AS inputs, count(*) FILTER (WHERE expected IS NULL) AS invalid,
       count(*) FILTER (WHERE postcode_normalize(input) IS NOT DISTINCT FROM expected) AS as_expected
FROM corpus;
SELECT n, label, postcode_normalize(input) AS result,
       postcode_normalize(input) IS NOT DISTINCT FROM expected AS ok
FROM corpus ORDER BY n;
-- the canonical form is a fixed point
SELECT count(*) AS fixed_points FROM corpus
WHERE expected IS NOT NULL AND postcode_normalize(expected) = expected;

-- strict => true raises 22P02 with the reason
SELECT postcode_normalize('SR1 1AA', strict => true) AS strict_ok;
SELECT postcode_normalize('', strict => true);
SELECT postcode_normalize('SR1-1AA', true);
SELECT postcode_normalize('SR1 1A', true);
SELECT postcode_normalize('SR1 AAA', true);
SELECT postcode_normalize('SR1 1CA', true);
SELECT postcode_normalize('11 1AA', true);
SELECT postcode_normalize('QA1 1AA', true);
SELECT postcode_normalize('AZ1 1AA', true);
SELECT postcode_normalize('W1L 1AA', true);
SELECT postcode_normalize('EC1C 1AA', true);
SELECT postcode_normalize(U&'SR1\00A01\00C4A', true);
SELECT postcode_normalize(repeat('SR1 1AA ', 20), true);
SELECT postcode_normalize(NULL) IS NULL AS null_in, postcode_normalize('SR1 1AA', NULL) IS NULL AS null_strict;

-- 2. load_postcode_lookup. Test files are written into the cluster's data
-- directory (COPY TO needs an absolute path; the server reads relative ones
-- from there), so their names in the messages below are stable.
SELECT count(*) AS empty_after_install FROM postcode_lookup;
CREATE TEMP TABLE nspl_lines (line text);
\copy nspl_lines FROM 'test/data/NSPL_NOV_2021_UK_SR.csv'
CREATE TEMP TABLE fixture (file text, n int, line text);
INSERT INTO fixture VALUES
-- only lsoa21 (no lsoa11): the 2011 side comes from lsoa11_lsoa21
('lsoa21_only.csv', 1, 'pcds,lsoa21'),
('lsoa21_only.csv', 2, 'SR1 1AA,E01034479'),     -- merged from E01000048 (decile 1) and E01033588 (2)
('lsoa21_only.csv', 3, 'SR1 1AB,E01035711'),     -- merged from E01000852 and E01000854 (both 6)
('lsoa21_only.csv', 4, 'SR1 1AD,E01000001'),     -- unchanged
-- ONSPD-style names, reordered, quoted header, CRLF, no doterm column
('onspd_style.csv', 1, E'"pcd","lsoa11cd","lsoa21cd"\r'),
('onspd_style.csv', 2, E'"SR1 1AA","E01000023",""\r'),   -- split, both parts decile 3 in 2025
('onspd_style.csv', 3, E'"SR11AB","E01008850",""\r'),    -- split, parts differ (8 and 10)
('onspd_style.csv', 4, E'"sr1 1ad","E01008703","E01008703"\r'),
-- broken files
('extra_field.csv', 1, 'pcds,lsoa11,doterm'),
('extra_field.csv', 2, 'SR1 1AA,E01008703,199912'),
('extra_field.csv', 3, 'SR1 1AB,E01008703,,oops'),
('missing_field.csv', 1, 'pcds,lsoa11,doterm'),
('missing_field.csv', 2, 'SR1 1AA,E01008703'),
('bad_postcode.csv', 1, 'pcds,lsoa11,doterm'),
('bad_postcode.csv', 2, 'SR1 1AA,E01008703,199912'),
('bad_postcode.csv', 3, 'SR2 7JR,E01008831,'),
('bad_postcode.csv', 4, 'SR1-1AB,E01008703,'),
('empty_postcode.csv', 1, 'pcds,lsoa11'),
('empty_postcode.csv', 2, ',E01008703'),
('bad_lsoa.csv', 1, 'pcds,lsoa11'),
('bad_lsoa.csv', 2, 'SR1 1AA,E01008703'),
('bad_lsoa.csv', 3, 'SR1 1AB,E01-008703'),
('bad_doterm.csv', 1, 'pcds,lsoa11,doterm'),
('bad_doterm.csv', 2, 'SR1 1AA,E01008703,Dec-99'),
('duplicate.csv', 1, 'pcds,lsoa11'),
('duplicate.csv', 2, 'SR1 1AA,E01008703'),
('duplicate.csv', 3, 'SR2 7JR,E01008831'),
('duplicate.csv', 4, 'sr11aa,E01008703'),
('no_postcode_column.csv', 1, 'pc,lsoa11'),
('no_postcode_column.csv', 2, 'SR1 1AA,E01008703'),
('no_lsoa_column.csv', 1, 'pcds,oa11'),
('no_lsoa_column.csv', 2, 'SR1 1AA,E00170202'),
('empty.csv', 1, '');
-- written byte for byte (lo_export), so the CRLF file really has CRLF
DO $$
DECLARE
    f record;
    o oid;
BEGIN
    FOR f IN SELECT file, string_agg(line, E'\n' ORDER BY n) || E'\n' AS content
             FROM fixture GROUP BY file
             UNION ALL
             SELECT 'nspl_sr.csv', string_agg(line, E'\n' ORDER BY ord) || E'\n'
             FROM (SELECT line, row_number() OVER () AS ord FROM nspl_lines) l
    LOOP
        o := lo_from_bytea(0, convert_to(f.content, 'UTF8'));
        PERFORM lo_export(o, f.file);
        PERFORM lo_unlink(o);
    END LOOP;
END $$;

-- the real NSPL file for area SR: 8,765 postcodes, 2,143 terminated, 77 without an LSOA
SELECT load_postcode_lookup('nspl_sr.csv') AS loaded;
SELECT count(*) AS postcodes, count(*) FILTER (WHERE terminated) AS terminated,
       count(*) FILTER (WHERE lsoa11_code IS NULL) AS no_lsoa, count(lsoa21_code) AS lsoa21
FROM postcode_lookup;

-- lookups: normalised first; terminated postcodes resolve; unknown -> NULL
SELECT pc, lsoa_for_postcode(pc) AS lsoa11, imd_decile_for_postcode(pc) AS imd2019,
       lsoa_for_postcode(pc, 2021) AS lsoa21, imd_decile_for_postcode(pc, 2025) AS imd2025
FROM (VALUES ('SR1 1AA'), ('sr11aa'), (U&'\FF33\FF32\FF11\3000\FF11\FF21\FF21'), ('SR2 7JR'),
             ('SR5 3HN'), ('SR43 2AA'), ('SR99 9ZZ'), ('HR1 1AA'), ('not a postcode'), ('')) v(pc);
-- SR1 1AA (terminated 1999) has IMD rank 3277 in the file: decile 1
SELECT imd_decile(3277) AS decile_of_rank_3277;
SELECT lsoa_for_postcode('SR1 1AA', 2001);
SELECT imd_decile_for_postcode('SR1 1AA', 2015);
SELECT lsoa_for_postcode(NULL) IS NULL AS n1, imd_decile_for_postcode('SR1 1AA', NULL) IS NULL AS n2;

-- a file with lsoa21 only
SELECT load_postcode_lookup('lsoa21_only.csv') AS loaded;
SELECT pc, lsoa_for_postcode(pc, 2021) AS lsoa21, imd_decile_for_postcode(pc, 2025) AS imd2025,
       lsoa_for_postcode(pc, 2011) AS lsoa11, imd_decile_for_postcode(pc, 2019) AS imd2019
FROM (VALUES ('SR1 1AA'), ('SR1 1AB'), ('SR1 1AD'), ('SR2 7JR')) v(pc);
-- ONSPD-style header names, quoting and CRLF
SELECT load_postcode_lookup('onspd_style.csv') AS loaded;
SELECT * FROM postcode_lookup ORDER BY postcode;
SELECT pc, lsoa_for_postcode(pc, 2021) AS lsoa21, imd_decile_for_postcode(pc, 2025) AS imd2025
FROM (VALUES ('SR1 1AA'), ('SR1 1AB'), ('SR1 1AD')) v(pc);

-- every broken file is refused, naming the line, and the previous load stays
SELECT load_postcode_lookup('extra_field.csv');
SELECT load_postcode_lookup('missing_field.csv');
SELECT load_postcode_lookup('bad_postcode.csv');
SELECT load_postcode_lookup('empty_postcode.csv');
SELECT load_postcode_lookup('bad_lsoa.csv');
SELECT load_postcode_lookup('bad_doterm.csv');
SELECT load_postcode_lookup('duplicate.csv');
SELECT load_postcode_lookup('no_postcode_column.csv');
SELECT load_postcode_lookup('no_lsoa_column.csv');
SELECT load_postcode_lookup('empty.csv');
SELECT load_postcode_lookup('no_such_file.csv');
SELECT count(*) AS still_loaded, imd_decile_for_postcode('SR1 1AD') AS still_resolves FROM postcode_lookup;

-- only superusers and members of pg_read_server_files may load
CREATE ROLE regress_value_ext_analyst;
CREATE ROLE regress_value_ext_loader IN ROLE pg_read_server_files;
SET ROLE regress_value_ext_analyst;
SELECT load_postcode_lookup('nspl_sr.csv');
SELECT imd_decile_for_postcode('SR1 1AD') AS analysts_can_look_up;
RESET ROLE;
SET ROLE regress_value_ext_loader;
SELECT load_postcode_lookup('nspl_sr.csv') AS loaded_by_member;
RESET ROLE;
DROP ROLE regress_value_ext_analyst;
DROP ROLE regress_value_ext_loader;

-- 3. the cache follows changes: in this backend at once, after a rollback,
-- and from another session after its commit
SELECT imd_decile_for_postcode('SR2 7JR') AS before;
BEGIN;
UPDATE postcode_lookup SET lsoa11_code = 'E01008703' WHERE postcode = 'SR2 7JR';
SELECT imd_decile_for_postcode('SR2 7JR') AS inside_transaction;
ROLLBACK;
SELECT imd_decile_for_postcode('SR2 7JR') AS after_rollback;
\! psql -X -q -d contrib_regression -c "UPDATE postcode_lookup SET lsoa11_code = 'E01008703' WHERE postcode = 'SR2 7JR'"
SELECT imd_decile_for_postcode('SR2 7JR') AS after_other_session;
\! psql -X -q -d contrib_regression -c "UPDATE postcode_lookup SET lsoa11_code = 'E01008831' WHERE postcode = 'SR2 7JR'"
SELECT imd_decile_for_postcode('SR2 7JR') AS restored;

-- parallel workers build their own copy of the cache with the query's
-- snapshot (new snapshots are not allowed in parallel mode) and agree
CREATE TABLE pc_people AS
SELECT postcode, lower(replace(postcode, ' ', '')) AS dirty FROM postcode_lookup;
ANALYZE pc_people;
SELECT sum(imd_decile_for_postcode(dirty)) AS decile_sum, count(lsoa_for_postcode(dirty, 2021)) AS lsoa21s
FROM pc_people;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT sum(imd_decile_for_postcode(dirty)), count(lsoa_for_postcode(dirty, 2021)) FROM pc_people;
SELECT sum(imd_decile_for_postcode(dirty)) AS decile_sum, count(lsoa_for_postcode(dirty, 2021)) AS lsoa21s
FROM pc_people;
-- a fresh session whose first lookup runs in a parallel plan (the leader builds in parallel mode)
\c
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT sum(imd_decile_for_postcode(dirty)) AS decile_sum, count(lsoa_for_postcode(dirty, 2021)) AS lsoa21s
FROM pc_people;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
-- and the leader's copy is then reused by a serial query
SELECT imd_decile_for_postcode('SR1 1AA') AS serial_after_parallel;
DROP TABLE pc_people;

-- the postcode table is user data: pg_dump keeps what was loaded
SELECT c.relname FROM pg_extension e, unnest(e.extconfig) AS t(oid) JOIN pg_class c ON c.oid = t.oid
WHERE e.extname = 'value_ext' ORDER BY 1;
SELECT p.oid::regprocedure, p.provolatile, p.proparallel, p.proisstrict
FROM pg_proc p
WHERE p.proname IN ('postcode_normalize', 'load_postcode_lookup', 'lsoa_for_postcode',
                    'imd_decile_for_postcode')
ORDER BY p.oid::regprocedure::text;
