-- NHS numbers: Modulus 11 (docs/methods.md 7.1) and the accepted layouts.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;
-- Check digits worked by hand (weights 10..2 on digits 1..9):
--   9434765919: S = 299, 299 mod 11 = 2, c = 9 = digit 10      -> valid
--   9876543210: S = 330, 330 mod 11 = 0, c = 11 -> 0 = digit 10 -> valid
--   1111111111: S = 54, 54 mod 11 = 10, c = 1 = digit 10        -> valid
--   4010232137: S = 92, 92 mod 11 = 4, c = 7 = digit 10         -> valid
--   0000000000: S = 0, c = 11 -> 0 (Modulus 11 only, no range)  -> valid
--   1234567890: S = 210, 210 mod 11 = 1, c = 10 (no valid number) -> invalid
--   9434765918, 9434765910: wrong check digit                    -> invalid
SELECT n, nhs_number_is_valid(n) AS valid, nhs_number_normalize(n) AS normalized
FROM (VALUES ('9434765919'), ('9876543210'), ('1111111111'), ('4010232137'),
             ('0000000000'), ('1234567890'), ('9434765918'), ('9434765910')) v(n);
-- accepted layouts: 3-3-4 with one space or one hyphen, surrounding whitespace
SELECT '"' || replace(replace(replace(replace(n, E'\t', '<TAB>'), E'\r', '<CR>'),
       E'\n', '<LF>'), E'\f', '<FF>') || '"' AS input, nhs_number_is_valid(n) AS valid,
       nhs_number_normalize(n) AS normalized
FROM (VALUES ('943 476 5919'), ('943-476-5919'), ('  9434765919 '),
             (E'\t943 476 5919\r\n'), (' 943-476-5919 '), ('987 654 3210')) v(n);
-- refused layouts (all of them are 9434765919 in some other shape) and junk
SELECT '"' || replace(replace(replace(replace(n, E'\t', '<TAB>'), E'\r', '<CR>'),
       E'\n', '<LF>'), E'\f', '<FF>') || '"' AS input, nhs_number_is_valid(n) AS valid,
       nhs_number_normalize(n) AS normalized
FROM (VALUES ('943-476 5919'), ('943 476-5919'), ('943  476 5919'),
             ('94 3476 5919'), ('9434 765 919'), ('943.476.5919'),
             ('943/476/5919'), ('943 4765919'), ('9434765 919'),
             ('943 476 591 9'), ('943_476_5919'), ('94347659190'),
             ('943476591'), ('943476591X'), ('+449434765919'),
             ('９４３４７６５９１９'), ('943 476 59l9'), (''), (' '),
             ('-943-476-5919'), ('943-476-5919-'), (E'9434765919\f'),
             (E'943\t476\t5919'), ('1234567890'), ('123 456 7890')) v(n);
-- NULL in, NULL out (STRICT)
SELECT nhs_number_is_valid(NULL) IS NULL AS null_valid,
       nhs_number_normalize(NULL) IS NULL AS null_normalized;
-- properties: IMMUTABLE STRICT PARALLEL SAFE
SELECT p.proname, p.provolatile, p.proisstrict, p.proparallel
FROM pg_proc p WHERE p.proname IN ('nhs_number_is_valid', 'nhs_number_normalize')
ORDER BY 1;
