-- Statistical disclosure control (docs/methods.md 6): sdc_round, sdc_label,
-- sdc_percentage. Every expected value below was worked by hand from the rule:
-- 0 stays 0; 1..threshold suppressed; else nearest multiple of base, halves up.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS value_ext;
-- NHS Digital defaults (threshold 7, base 5). methods.md: 8 -> 10, 12 -> 10,
-- 13 -> 15; the brief adds 17 -> 15, 18 -> 20.
SELECT c, sdc_round(c) AS rounded, sdc_label(c) AS label,
       sdc_round(c) IS NOT DISTINCT FROM expected AS ok
FROM (VALUES (0, 0), (1, NULL), (2, NULL), (6, NULL), (7, NULL), (8, 10), (9, 10),
             (10, 10), (11, 10), (12, 10), (13, 15), (14, 15), (15, 15), (17, 15),
             (18, 20), (22, 20), (23, 25), (100, 100), (102, 100), (103, 105),
             (123456789, 123456790)) v(c, expected);
-- threshold 10, base 10: the halfway case exists for even bases and rounds up
-- (15 -> 20, 25 -> 30); 10 is suppressed, 11 -> 10, 14 -> 10, 24 -> 20
SELECT c, sdc_round(c, 10, 10) AS rounded, sdc_label(c, 10, 10) AS label
FROM unnest('{0,1,10,11,14,15,16,24,25,26,35,45}'::bigint[]) c;
-- base 2 and 4 halves: 9 -> 10 (base 2), 6 -> 8 and 5 -> 4 (base 4)
SELECT sdc_round(9, 0, 2) AS b2_9, sdc_round(7, 0, 2) AS b2_7,
       sdc_round(6, 0, 4) AS b4_6, sdc_round(5, 0, 4) AS b4_5, sdc_round(7, 0, 4) AS b4_7;
-- suppress only (base 1): "suppress 1..5" local policy
SELECT c, sdc_round(c, 5, 1) AS rounded, sdc_label(c, 5, 1) AS label
FROM unnest('{0,1,5,6,7,99}'::bigint[]) c;
-- round only (threshold 0): small counts can round to 0 -- a documented
-- consequence of choosing a threshold below base / 2
SELECT c, sdc_round(c, 0, 5) AS rounded, sdc_label(c, 0, 5) AS label
FROM unnest('{0,1,2,3,4}'::bigint[]) c;
-- threshold 0, base 1: no disclosure control at all
SELECT sdc_round(1, 0, 1) AS one, sdc_round(7, 0, 1) AS seven;
-- named arguments
SELECT sdc_round(count => 12, base => 10) AS b10, sdc_label(count => 4, threshold => 3) AS t3;
-- bigint edges: largest values that still fit, and one that does not
SELECT sdc_round(9223372036854775807) AS max_down, sdc_round(9223372036854775806, 7, 2) AS max_even;
SELECT sdc_round(9223372036854775807, 7, 2);
-- NULL in, NULL out (STRICT)
SELECT sdc_round(NULL) IS NULL AS a, sdc_round(5, NULL) IS NULL AS b,
       sdc_label(NULL) IS NULL AS c, sdc_percentage(1, NULL) IS NULL AS d;

-- Percentages from the rounded counts:
--   (13, 38)  -> 15 / 40   = 37.5
--   (12, 38)  -> 10 / 40   = 25.0
--   (7, 38)   -> suppressed numerator -> NULL
--   (13, 5)   -> suppressed denominator -> NULL
--   (0, 38)   -> 0 / 40    = 0.0
--   (0, 0)    -> rounded denominator 0 -> NULL
--   (8, 8)    -> 10 / 10   = 100.0
--   (23, 18)  -> 25 / 20   = 125.0 (the numerator need not be a subset)
--   (1234, 4321) -> 1235 / 4320 = 28.5879... -> 28.6
SELECT n, d, sdc_percentage(n, d) AS pct
FROM (VALUES (13, 38), (12, 38), (7, 38), (13, 5), (0, 38), (0, 0), (8, 8),
             (23, 18), (1234, 4321)) v(n, d);
-- digits and halves: (1, 8, 0, 1, 0) = 12.5 -> 13; 1/3 and 2/3 to 2 places
SELECT sdc_percentage(1, 8, 0, 1, 0) AS half_up, sdc_percentage(1, 3, 0, 1, 2) AS third,
       sdc_percentage(2, 3, 0, 1, 2) AS two_thirds, sdc_percentage(2, 3, 0, 1, 10) AS ten_places,
       sdc_percentage(1234, 4321, digits => 0) AS whole, sdc_percentage(1234, 4321, digits => 3) AS three;
-- threshold 0: 2 of 2 rounds to 0 of 0 -> NULL (rounded denominator 0); 1 of 3 -> 0 of 5 = 0.0
SELECT sdc_percentage(2, 2, 0, 5) AS zero_denominator, sdc_percentage(1, 3, 0, 5) AS zero_numerator;
-- largest counts: exact arithmetic in numeric when int64 would overflow
-- (9223372036854775800 / 3 = 3074457345618258600 exactly: 33.333...)
SELECT sdc_percentage(9223372036854775800, 9223372036854775800, 7, 5, 10) AS all_of_max,
       sdc_percentage(3074457345618258600, 9223372036854775800, 7, 5, 10) AS third_of_max,
       sdc_percentage(6148914691236517200, 9223372036854775800, 7, 5, 0) AS two_thirds_of_max;

-- Errors (SQLSTATEs are checked in test/safe_outputs_disclosure.sql)
SELECT sdc_round(-1);
SELECT sdc_label(-8);
SELECT sdc_round(10, -1);
SELECT sdc_round(10, 7, 0);
SELECT sdc_label(10, 7, -5);
SELECT sdc_percentage(-1, 10);
SELECT sdc_percentage(10, -1);
SELECT sdc_percentage(10, 10, -3);
SELECT sdc_percentage(10, 10, 7, 0);
SELECT sdc_percentage(10, 10, 7, 5, -1);
SELECT sdc_percentage(10, 10, 7, 5, 11);

-- The worked example of the README: totals are rounded from the unrounded
-- sum, so published rows need not add up to the published total.
WITH t(area, people) AS (VALUES ('A', 3), ('B', 12), ('C', 148), ('D', 0), ('E', 27))
SELECT area, people AS unrounded, sdc_label(people) AS published,
       sdc_percentage(people, (SELECT sum(people) FROM t)::bigint) AS pct_of_total
FROM t
UNION ALL
SELECT 'Total', sum(people), sdc_label(sum(people)::bigint),
       sdc_percentage(sum(people)::bigint, sum(people)::bigint)
FROM t
ORDER BY 1;

SELECT p.proname, p.provolatile, p.proisstrict, p.proparallel, pronargdefaults
FROM pg_proc p WHERE p.proname LIKE 'sdc\_%' ORDER BY 1;
