-- test/platform/fixture.sql -- small deterministic data for the materialised
-- view, refresh and dump/restore test (test/platform/mv_restore.sh).
-- A few thousand people at 12 practices: big enough for parallel plans when
-- forced, small enough to dump and restore in a second. Values come from
-- hashint4 (same data every run), not random().
CREATE SCHEMA fixture;

CREATE TABLE fixture.person (
    person_id int PRIMARY KEY,
    nhs_number text,
    practice_code text NOT NULL,
    segment text NOT NULL,
    imd_decile int NOT NULL,
    age int NOT NULL,
    age_band text NOT NULL,
    sex text NOT NULL,
    total_cost float8 NOT NULL,
    qol float8 NOT NULL,
    emergency_admissions int NOT NULL,
    died boolean NOT NULL
);

INSERT INTO fixture.person
SELECT g AS person_id,
       -- nine digits and their Modulus 11 check digit (none when it is 10)
       CASE WHEN c.check_digit = 10 THEN NULL ELSE c.nine || c.check_digit END,
       'P' || lpad((1 + (h.a % 12))::text, 5, '0'),
       (ARRAY['Healthy well', 'Maternity', 'Long-term conditions', 'Disability',
              'Cancer', 'Frailty and dementia', 'End of life'])[1 + h.b % 7],
       1 + h.c % 10,
       h.d % 101,
       CASE WHEN h.d % 101 >= 90 THEN '90+'
            ELSE ((h.d % 101) / 5 * 5)::text || '-' || ((h.d % 101) / 5 * 5 + 4)::text END,
       CASE WHEN h.e % 2 = 0 THEN 'F' ELSE 'M' END,
       -- skewed costs: most people cheap, a few expensive, some zero
       CASE WHEN h.f % 5 = 0 THEN 0
            ELSE round((power(1 + h.f % 1000, 2) / 37.0)::numeric, 2)::float8 END,
       round((1 - (h.a % 400) / 1000.0)::numeric, 3)::float8,
       (h.b % 17) / 8,
       h.c % 97 = 0
FROM generate_series(1, 6000) g
CROSS JOIN LATERAL (
    SELECT abs(hashint4(g)) AS a, abs(hashint4(g + 100000)) AS b,
           abs(hashint4(g + 200000)) AS c, abs(hashint4(g + 300000)) AS d,
           abs(hashint4(g + 400000)) AS e, abs(hashint4(g + 500000)) AS f) h
CROSS JOIN LATERAL (
    SELECT n.nine,
           (11 - (SELECT sum(substr(n.nine, k, 1)::int * (11 - k))
                  FROM generate_series(1, 9) k)::int % 11) % 11 AS check_digit
    FROM (SELECT lpad((100000000 + g * 7919 % 800000000)::text, 9, '0') AS nine) n) c;

-- people whose nine digits give check value 10 have no valid number: give
-- them a fixed valid one
UPDATE fixture.person SET nhs_number = '9434765919' WHERE nhs_number IS NULL;
ALTER TABLE fixture.person ALTER nhs_number SET NOT NULL;

CREATE TABLE fixture.practice (
    practice_code text PRIMARY KEY,
    registered int NOT NULL
);
INSERT INTO fixture.practice
SELECT practice_code, count(*) FROM fixture.person GROUP BY practice_code;

ANALYZE fixture.person;
ANALYZE fixture.practice;

-- Homes: a postcode of area SR for every person, from the ONS postcode
-- directory loaded into value_ext's postcode_lookup (dumped with the
-- database: pg_extension_config_dump), path given by mv_restore.sh as :nspl.
SELECT analytics.load_postcode_lookup(:'nspl') > 0 AS loaded;
CREATE TABLE fixture.home (
    person_id int PRIMARY KEY REFERENCES fixture.person,
    postcode text NOT NULL
);
INSERT INTO fixture.home
SELECT p.person_id, lower(replace(l.postcode, ' ', ''))   -- written as people type them
FROM fixture.person p
JOIN (SELECT postcode, row_number() OVER (ORDER BY postcode) - 1 AS i,
             count(*) OVER () AS n
      FROM analytics.postcode_lookup) l ON l.i = abs(hashint4(p.person_id + 600000)) % l.n;
ANALYZE fixture.home;
