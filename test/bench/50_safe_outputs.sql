-- test/bench/50_safe_outputs.sql -- safe outputs at extract scale.
--
-- 1. pseudonymise_nhs_number (explicit key) over 1,000,000 NHS numbers in
--    display form, against pgcrypto's encode(hmac(...), 'hex') on the ten
--    digits (the same HMAC-SHA256, no NHS-number parsing) as the baseline.
-- 2. nhs_number_is_valid over the same numbers, against a regular
--    expression that checks the layout only (no check digit).
-- 3. sdc_label over 1,000,000 counts, against the rule written as a plain
--    SQL CASE expression.
-- Target: pseudonyms within 1.5x of pgcrypto; validation and disclosure
-- control no slower than their plain-SQL baselines.
SET max_parallel_workers_per_gather = 0;   -- single core
CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- valid numbers only: a 9-digit stem and its Modulus 11 check digit
CREATE UNLOGGED TABLE bench_nhs AS
SELECT n, substr(n, 1, 3) || ' ' || substr(n, 4, 3) || ' ' || substr(n, 7) AS display
FROM (SELECT lpad(stem::text, 9, '0') || c::text AS n
      FROM (SELECT stem, (11 - (SELECT sum((stem / (10::bigint ^ (9 - k))::bigint) % 10 * (11 - k))
                                 FROM generate_series(1, 9) k) % 11) % 11 AS c
            FROM (SELECT (i::bigint * 7919 * 104729) % 1000000000 AS stem
                  FROM generate_series(1, 1100000) i) s) t
      WHERE c <> 10) u
LIMIT 1000000;
CREATE UNLOGGED TABLE bench_key AS SELECT sha256('value_ext bench key'::bytea) AS key;
ANALYZE bench_nhs;

\echo pseudonyms and NHS numbers: 1,000,000 rows (ms, best of 3)
SELECT * FROM bench_compare(
    'pseudonymise_nhs_number(display, key)',
    'SELECT pseudonymise_nhs_number(display, key) FROM bench_nhs, bench_key',
    'pgcrypto encode(hmac(n, key, sha256), hex)',
    'SELECT encode(hmac(n::bytea, key, ''sha256''), ''hex'') FROM bench_nhs, bench_key');
SELECT * FROM bench_compare(
    'nhs_number_is_valid(display)',
    'SELECT nhs_number_is_valid(display) FROM bench_nhs',
    'display ~ layout regex (no check digit)',
    'SELECT display ~ ''^[0-9]{3} [0-9]{3} [0-9]{4}$'' FROM bench_nhs');

\echo disclosure control: 1,000,000 counts (ms, best of 3)
SELECT * FROM bench_compare(
    'sdc_label(c)',
    'SELECT sdc_label(c) FROM generate_series(0::bigint, 999999) c',
    'SQL CASE statement of the rule',
    'SELECT CASE WHEN c = 0 THEN ''0'' WHEN c <= 7 THEN ''*'' ELSE ((c + 2) / 5 * 5)::text END
     FROM generate_series(0::bigint, 999999) c');
SELECT * FROM bench_compare(
    'sdc_percentage(c, c + 1000)',
    'SELECT sdc_percentage(c, c + 1000) FROM generate_series(0::bigint, 999999) c',
    'round(100.0 * c / (c + 1000), 1)',
    'SELECT round(100.0 * c / (c + 1000), 1) FROM generate_series(0::bigint, 999999) c');

DROP TABLE bench_nhs, bench_key;
