-- test/safe_outputs_disclosure.sql -- disclosure control (docs/methods.md 6)
-- against an independent SQL statement of the rule, and every error's SQLSTATE.
BEGIN;
SELECT plan(19);

-- The rule restated in SQL numeric arithmetic: 0 -> 0, 1..t -> NULL,
-- else floor(c / b + 1/2) * b (nearest multiple, halves up).
CREATE TEMP TABLE rule_cases AS
SELECT c::bigint AS c, t, b,
       CASE WHEN c = 0 THEN 0::bigint WHEN c <= t THEN NULL
            ELSE (floor(c::numeric / b + 0.5) * b)::bigint END AS expected
FROM generate_series(0, 2000) c,
     (VALUES (7, 5), (10, 10), (5, 1), (0, 5), (0, 2), (3, 4), (0, 1), (20, 100)) r(t, b);

SELECT is((SELECT count(*) FROM rule_cases
           WHERE sdc_round(c, t, b) IS DISTINCT FROM expected),
          0::bigint, 'sdc_round agrees with the SQL statement of the rule on 16,008 (count, threshold, base) cases');
SELECT is((SELECT count(*) FROM rule_cases
           WHERE sdc_label(c, t, b) IS DISTINCT FROM coalesce(expected::text, '*')),
          0::bigint, 'sdc_label is sdc_round as text with * for suppressed');
SELECT is((SELECT count(*) FROM generate_series(0, 2000) c
           WHERE sdc_round(c) IS DISTINCT FROM sdc_round(c, 7, 5)),
          0::bigint, 'the defaults are threshold 7, base 5');

-- percentages: round(100 * rn / rd, digits) with numeric ROUND (half away from zero)
SELECT is((SELECT count(*)
           FROM generate_series(0, 120, 7) n, generate_series(0, 300, 11) d, generate_series(0, 3) k
           WHERE sdc_percentage(n, d, 7, 5, k) IS DISTINCT FROM
                 CASE WHEN sdc_round(n) IS NULL OR sdc_round(d) IS NULL OR sdc_round(d) = 0 THEN NULL
                      ELSE round(100.0 * sdc_round(n) / sdc_round(d), k) END),
          0::bigint, 'sdc_percentage = round(100 * rounded n / rounded d, digits), NULL when suppressed or 0');
SELECT is(sdc_percentage(13, 38), 37.5, '13 of 38 publishes as 15 of 40 = 37.5%');
SELECT is(scale(sdc_percentage(1, 4, 0, 1, 3)), 3, 'the result carries exactly digits decimal places');
SELECT is(sdc_percentage(1, 8, 0, 1, 0), 13::numeric, '12.5% to 0 places rounds half up to 13');

-- every error path with its SQLSTATE
SELECT throws_ok('SELECT sdc_round(-1)', '22023', NULL, 'negative count -> 22023');
SELECT throws_ok('SELECT sdc_label(-1)', '22023', NULL, 'sdc_label: negative count -> 22023');
SELECT throws_ok('SELECT sdc_round(1, -1)', '22023', NULL, 'negative threshold -> 22023');
SELECT throws_ok('SELECT sdc_round(1, 7, 0)', '22023', NULL, 'base 0 -> 22023');
SELECT throws_ok('SELECT sdc_label(1, 7, -1)', '22023', NULL, 'sdc_label: negative base -> 22023');
SELECT throws_ok('SELECT sdc_percentage(-1, 1)', '22023', NULL, 'negative numerator -> 22023');
SELECT throws_ok('SELECT sdc_percentage(1, -1)', '22023', NULL, 'negative denominator -> 22023');
SELECT throws_ok('SELECT sdc_percentage(1, 1, -1)', '22023', NULL, 'sdc_percentage: negative threshold -> 22023');
SELECT throws_ok('SELECT sdc_percentage(1, 1, 7, 0)', '22023', NULL, 'sdc_percentage: base 0 -> 22023');
SELECT throws_ok('SELECT sdc_percentage(1, 1, 7, 5, -1)', '22023', NULL, 'digits -1 -> 22023');
SELECT throws_ok('SELECT sdc_percentage(1, 1, 7, 5, 11)', '22023', NULL, 'digits 11 -> 22023');
SELECT throws_ok('SELECT sdc_round(9223372036854775807, 0, 2)', '22003', NULL,
                 'a count that rounds past the largest bigint -> 22003');

SELECT * FROM finish();
ROLLBACK;
