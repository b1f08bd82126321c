-- test/safe_outputs_nhs_number.sql -- NHS number Modulus 11 (docs/methods.md 7.1)
-- against an independent SQL implementation of the check, over every layout.
BEGIN;
SELECT plan(7);

-- An independent implementation in SQL: weights 10..2, c = 11 - S mod 11,
-- 11 -> 0, 10 -> invalid.
CREATE TEMP TABLE candidates AS
SELECT lpad(((i::bigint * 7919 * 104729 + 12345) % 10000000000)::text, 10, '0') AS n
FROM generate_series(1, 20000) i
UNION ALL SELECT '9434765919' UNION ALL SELECT '9876543210' UNION ALL SELECT '1234567890';

CREATE TEMP TABLE checked AS
SELECT n,
       (SELECT CASE WHEN c = 10 THEN false ELSE c = substr(n, 10, 1)::int END
        FROM (SELECT (11 - sum(substr(n, k, 1)::int * (11 - k)) % 11) % 11 AS c
              FROM generate_series(1, 9) k) s) AS expected
FROM candidates;

SELECT cmp_ok((SELECT count(*) FROM checked WHERE expected), '>', 1000::bigint,
              'the sample holds over a thousand valid numbers (about 1 in 11)');
SELECT is((SELECT count(*) FROM checked WHERE nhs_number_is_valid(n) IS DISTINCT FROM expected),
          0::bigint, 'nhs_number_is_valid agrees with the SQL Modulus 11 on 20,003 numbers');
SELECT is((SELECT count(*) FROM checked
           WHERE nhs_number_normalize(n) IS DISTINCT FROM CASE WHEN expected THEN n END),
          0::bigint, 'nhs_number_normalize returns the digits exactly when valid');
SELECT is((SELECT count(*) FROM checked
           WHERE nhs_number_normalize(substr(n, 1, 3) || ' ' || substr(n, 4, 3) || ' ' || substr(n, 7))
                 IS DISTINCT FROM CASE WHEN expected THEN n END),
          0::bigint, 'the spaced display form "DDD DDD DDDD" normalises to the same digits');
SELECT is((SELECT count(*) FROM checked
           WHERE nhs_number_normalize(' ' || substr(n, 1, 3) || '-' || substr(n, 4, 3) || '-' || substr(n, 7) || E'\n')
                 IS DISTINCT FROM CASE WHEN expected THEN n END),
          0::bigint, 'the hyphenated form with surrounding whitespace normalises to the same digits');
SELECT is((SELECT count(*) FROM checked
           WHERE nhs_number_is_valid(substr(n, 1, 3) || ' ' || substr(n, 4, 3) || '-' || substr(n, 7))),
          0::bigint, 'mixed separators are never accepted');
SELECT is(nhs_number_normalize('943 476 5919'), '9434765919', 'methods.md 7.1 example');

SELECT * FROM finish();
ROLLBACK;
