-- test/safe_outputs_demo.sql -- the safe outputs on the demo place (schema
-- demo, test/demo/load.sh): every NHS number the generator made is valid, the
-- published segment x IMD decile table (test/demo/report/50_safe_outputs.sql)
-- obeys the rule cell by cell, and pseudonyms link one-to-one.
BEGIN;
SELECT plan(7);

SELECT cmp_ok((SELECT count(*) FROM demo.person), '>', 0::bigint, 'the demo place has people');
SELECT is((SELECT count(*) FROM demo.person WHERE NOT nhs_number_is_valid(nhs_number)),
          0::bigint, 'every demo NHS number passes Modulus 11 (DEMO_SCHEMA.md contract)');
SELECT is((SELECT count(*) FROM demo.person WHERE nhs_number_normalize(nhs_number) <> nhs_number),
          0::bigint, 'demo NHS numbers are already in the normalised ten-digit form');

CREATE TEMP TABLE cells AS
SELECT segment, imd_decile, count(*) AS people, sdc_label(count(*)) AS published
FROM demo.person GROUP BY segment, imd_decile;
SELECT is((SELECT count(*) FROM cells WHERE (people BETWEEN 1 AND 7) <> (published = '*')),
          0::bigint, 'exactly the segment x decile cells of 1..7 people are published as *');
SELECT is((SELECT count(*) FROM cells
           WHERE published <> '*' AND (published::bigint % 5 <> 0 OR abs(published::bigint - people) > 2)),
          0::bigint, 'every other cell is published as a multiple of 5 within 2 of the true count');
-- one person, one pseudonym (demo key: sha256 of a public sentence)
CREATE TEMP TABLE pseudonyms AS
SELECT person_id, pseudonymise_nhs_number(nhs_number,
           sha256(convert_to('value_ext demo key - public, never use for real data', 'UTF8'))) AS pseudonym
FROM demo.person;
SELECT is((SELECT count(DISTINCT pseudonym) FROM pseudonyms),
          (SELECT count(DISTINCT nhs_number) FROM demo.person),
          'distinct NHS numbers give distinct pseudonyms');
SET LOCAL force_parallel_mode = on;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SELECT is((SELECT md5(string_agg(pseudonymise_nhs_number(nhs_number,
                  sha256(convert_to('value_ext demo key - public, never use for real data', 'UTF8'))),
                  ',' ORDER BY person_id)) FROM demo.person),
          (SELECT md5(string_agg(pseudonym, ',' ORDER BY person_id)) FROM pseudonyms),
          'pseudonyms are the same with parallel workers');

SELECT * FROM finish();
ROLLBACK;
