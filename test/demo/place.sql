-- test/demo/place.sql -- the demo place generator (run by test/demo/load.sh).
--
-- Builds schema `demo`: one synthetic "place" (Sunderland, sub-ICB 00P,
-- postcode area SR) from real public reference files, deterministically.
-- psql variables: seed (int), scale (activity multiplier, > 0), persons
-- (registered population). Every random draw is demo.u(seed, id, stream),
-- a hash of its arguments, so the result never depends on the plan, on
-- parallel workers or on the order rows are read. Set-based SQL only; the
-- one procedural step is the small list-size/LSOA balancing loop.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
-- JIT compiles these long expressions for seconds and gains nothing here.
SET jit = off;
DROP SCHEMA IF EXISTS demo CASCADE;
CREATE SCHEMA demo;
COMMENT ON SCHEMA demo IS 'value_ext demo place: deterministic synthetic Sunderland built by test/demo/load.sh';

SELECT :seed::int AS seed, :scale::float8 AS scale, :persons::int AS persons \gset g_
CREATE TABLE demo.parameters (seed int NOT NULL, scale float8 NOT NULL, persons int NOT NULL);
INSERT INTO demo.parameters VALUES (:g_seed, :g_scale, :g_persons);
COMMENT ON TABLE demo.parameters IS 'Demo place: the knobs it was built with (test/demo/load.sh SEED, SCALE, PERSONS)';

-- ---------------------------------------------------------------------------
-- Pseudo-random streams. u() is uniform on [0, 1) with 53 random bits from
-- hashint8extended (stable across platforms and PostgreSQL versions, as hash
-- partitioning relies on it); z() is standard normal (Box-Muller on two
-- streams); poisson() inverts the Poisson CDF at a given uniform.
-- ---------------------------------------------------------------------------
CREATE FUNCTION demo.u(seed int, id bigint, stream int) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$ SELECT ((pg_catalog.hashint8extended($2, $1::int8 * 1000003 + $3) >> 11)
           & 9007199254740991)::float8 / 9007199254740992.0 $$;
COMMENT ON FUNCTION demo.u(int, bigint, int) IS
'Demo generator: deterministic uniform [0,1) draw for (seed, id, stream)';

CREATE FUNCTION demo.z(seed int, id bigint, stream int) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$ SELECT sqrt(-2 * ln(1 - demo.u($1, $2, $3)))
          * cos(2 * pi() * demo.u($1, $2, $3 + 500)) $$;
COMMENT ON FUNCTION demo.z(int, bigint, int) IS
'Demo generator: deterministic standard normal draw (Box-Muller on streams s and s+500)';

CREATE FUNCTION demo.poisson(lambda float8, u float8, z float8) RETURNS int
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    k int := 0;
    p float8;
    c float8;
BEGIN
    IF lambda <= 0 THEN
        RETURN 0;
    END IF;
    IF lambda > 100 THEN
        -- Normal approximation (with continuity correction) from the
        -- caller's independent normal draw z: the walk below would take
        -- about lambda steps.
        RETURN greatest(0, floor(lambda + 0.5 + sqrt(lambda) * z))::int;
    END IF;
    p := exp(-lambda);
    c := p;
    WHILE u >= c AND k < 10 * lambda + 100 LOOP
        k := k + 1;
        p := p * lambda / k;
        c := c + p;
    END LOOP;
    RETURN k;
END $$;
COMMENT ON FUNCTION demo.poisson(float8, float8, float8) IS
'Demo generator: Poisson(lambda) draw: quantile at probability u, or from normal draw z when lambda > 100';

-- ---------------------------------------------------------------------------
-- Reference files (staging, session-local).
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE s_imd (lsoa11_code text, lsoa11_name text, lad19_code text, lad19_name text,
    imd_score float8, imd_rank int, imd_decile int, income_rank int, income_decile int,
    employment_rank int, employment_decile int, education_rank int, education_decile int,
    health_rank int, health_decile int, crime_rank int, crime_decile int, barriers_rank int,
    barriers_decile int, living_env_rank int, living_env_decile int, pop_total_mid2015 int,
    pop_age_0_15_mid2015 int, pop_age_16_59_mid2015 int, pop_age_60plus_mid2015 int,
    pop_working_age_mid2015 int);
\copy s_imd FROM 'src/data/imd2019_lsoa11_england.csv' CSV HEADER
ANALYZE s_imd;

CREATE TEMP TABLE s_nspl (pcd text, pcd2 text, pcds text, dointr text, doterm text, usertype text,
    oseast1m text, osnrth1m text, osgrdind text, oa11 text, cty text, ced text, laua text,
    ward text, hlthau text, nhser text, ctry text, rgn text, pcon text, eer text, teclec text,
    ttwa text, pct text, itl text, park text, lsoa11 text, msoa11 text, wz11 text, ccg text,
    bua11 text, buasd11 text, ru11ind text, oac11 text, lat float8, long float8, lep1 text,
    lep2 text, pfa text, imd int, calncv text, stp text);
\copy s_nspl FROM 'test/data/NSPL_NOV_2021_UK_SR.csv' CSV HEADER
ANALYZE s_nspl;

CREATE TEMP TABLE s_epraccur (organisation_code text, name text, national_grouping text,
    high_level_health_geography text, address_line_1 text, address_line_2 text,
    address_line_3 text, address_line_4 text, address_line_5 text, postcode text,
    open_date text, close_date text, status_code text, organisation_sub_type_code text,
    commissioner text, join_provider_purchaser_date text, left_provider_purchaser_date text,
    contact_telephone_number text, amended_record_indicator text, provider_purchaser text,
    prescribing_setting text);
\copy s_epraccur FROM 'test/data/epraccur_2023-12.csv' CSV HEADER
ANALYZE s_epraccur;

CREATE TEMP TABLE s_gpreg (publication text, extract_date text, type text, ccg_code text,
    ons_ccg_code text, code text, postcode text, sex text, age text, number_of_patients int);
\copy s_gpreg FROM 'test/data/gp-reg-pat-prac-all_2021-01.csv' CSV HEADER
ANALYZE s_gpreg;

CREATE TEMP TABLE s_ncc (department text, currency_code text, currency_desc text,
    activity float8, unit_cost float8, cost float8);
\copy s_ncc FROM 'test/data/ncc_national_schedule_2024_25.csv' CSV HEADER
ANALYZE s_ncc;

-- ---------------------------------------------------------------------------
-- Postcodes and practices.
-- ---------------------------------------------------------------------------
CREATE TABLE demo.postcode (
    postcode text PRIMARY KEY,
    lsoa11_code text,
    terminated boolean NOT NULL
);
INSERT INTO demo.postcode
SELECT pcds, nullif(lsoa11, ''), doterm <> '' FROM s_nspl;
COMMENT ON TABLE demo.postcode IS
'Demo place: every postcode of area SR in NSPL November 2021 (ONS, OGL v3) with its LSOA 2011';

-- Residential postcodes people can live at: live, small-user, in an
-- English LSOA with an IoD2019 decile. Numbered within their LSOA.
CREATE TEMP TABLE s_home AS
SELECT n.pcds AS postcode, n.lsoa11 AS lsoa11_code, n.lat, n.long,
       (row_number() OVER (PARTITION BY n.lsoa11 ORDER BY n.pcds) - 1)::int AS idx,
       count(*) OVER (PARTITION BY n.lsoa11)::int AS n_in_lsoa
FROM s_nspl n JOIN s_imd i ON i.lsoa11_code = n.lsoa11
WHERE n.doterm = '' AND n.usertype = '0' AND i.imd_decile BETWEEN 1 AND 10;
ANALYZE s_home;

CREATE TEMP TABLE s_lsoa AS
SELECT h.lsoa11_code, i.imd_decile, i.pop_total_mid2015::float8 AS pop,
       avg(h.lat) AS lat, avg(h.long) AS long, count(*)::int AS n_home
FROM s_home h JOIN s_imd i USING (lsoa11_code)
GROUP BY h.lsoa11_code, i.imd_decile, i.pop_total_mid2015;
ANALYZE s_lsoa;

-- Active GP practices of sub-ICB 00P; list sizes from January 2021 scaled
-- so they add up to :persons. Practice location: its postcode in NSPL SR,
-- else an approximate centre of its postcode district (DH4 Houghton-le-
-- Spring, DH5 Hetton-le-Hole, NE37/NE38 Washington; the SR extract does
-- not cover them). These four points are generator parameters.
CREATE TEMP TABLE s_practice AS
WITH p AS (
    SELECT e.organisation_code AS practice_code,
           rtrim(e.name, ', ') AS practice_name,
           e.postcode AS practice_postcode,
           coalesce(r.number_of_patients, 0) AS list_2021,
           coalesce(n.lat, d.lat) AS lat, coalesce(n.long, d.long) AS long
    FROM s_epraccur e
    LEFT JOIN s_gpreg r ON r.code = e.organisation_code
    LEFT JOIN s_nspl n ON n.pcds = e.postcode
    LEFT JOIN (VALUES ('DH4', 54.843, -1.470), ('DH5', 54.820, -1.445),
                      ('NE37', 54.912, -1.522), ('NE38', 54.896, -1.533))
              AS d(district, lat, long) ON d.district = split_part(e.postcode, ' ', 1)
    WHERE e.commissioner = '00P' AND e.status_code = 'A' AND e.prescribing_setting = '4'
)
SELECT p.*,
       (floor(sum(list_2021) OVER w * :g_persons / sum(list_2021) OVER ())
        - floor((sum(list_2021) OVER w - list_2021) * :g_persons / sum(list_2021) OVER ()))::float8
           AS target
FROM p
WINDOW w AS (ORDER BY practice_code);
ANALYZE s_practice;

-- Practice x LSOA registration flows: a distance kernel (1.5 km decay)
-- balanced (Sinkhorn / iterative proportional fitting) so that practice
-- totals match the scaled list sizes and LSOA totals are proportional to
-- the LSOA's mid-2015 population.
CREATE TEMP TABLE s_flow AS
SELECT p.practice_code, l.lsoa11_code,
       exp(-sqrt(power((p.lat - l.lat) * 111.2, 2)
                 + power((p.long - l.long) * 111.2 * cos(radians(54.9)), 2)) / 1.5) AS f
FROM s_practice p CROSS JOIN s_lsoa l;
ANALYZE s_flow;

CREATE TEMP TABLE s_pfac AS SELECT practice_code, target, 1::float8 AS a FROM s_practice;
CREATE TEMP TABLE s_lfac AS
SELECT lsoa11_code, pop * (SELECT sum(target) FROM s_practice) / (SELECT sum(pop) FROM s_lsoa) AS target,
       1::float8 AS b
FROM s_lsoa;
DO $$
BEGIN
    -- flow = kernel * a(practice) * b(lsoa); alternately fit the rows and
    -- the columns. 60 rounds leave both margins within 0.1%.
    FOR i IN 1..60 LOOP
        UPDATE s_pfac p SET a = p.target / r.s
        FROM (SELECT f.practice_code, sum(f.f * l.b) AS s
              FROM s_flow f JOIN s_lfac l USING (lsoa11_code) GROUP BY f.practice_code) r
        WHERE r.practice_code = p.practice_code AND r.s > 0;
        UPDATE s_lfac l SET b = l.target / c.s
        FROM (SELECT f.lsoa11_code, sum(f.f * p.a) AS s
              FROM s_flow f JOIN s_pfac p USING (practice_code) GROUP BY f.lsoa11_code) c
        WHERE c.lsoa11_code = l.lsoa11_code AND c.s > 0;
    END LOOP;
END $$;
UPDATE s_flow f SET f = f.f * p.a * l.b
FROM s_pfac p, s_lfac l
WHERE p.practice_code = f.practice_code AND l.lsoa11_code = f.lsoa11_code;

-- ---------------------------------------------------------------------------
-- Categorical draws by "slots": each mix is cut into n_slots equal slots,
-- each slot owned by one key in proportion to its weight (integer slot
-- boundaries from the running sum, the last key closes the range), so a
-- draw is an equi-join on floor(u * n_slots).
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE s_weight (mix text, key text, weight float8, n_slots int);

-- Age bands: rounded shape of the ONS mid-year population estimates for
-- England (around 2020), percent per ESP2013 band. Generator parameters.
INSERT INTO s_weight
SELECT 'age', band, w, 10000
FROM (VALUES ('0-4', 5.7), ('5-9', 6.1), ('10-14', 6.0), ('15-19', 5.5), ('20-24', 6.0),
             ('25-29', 6.6), ('30-34', 6.8), ('35-39', 6.6), ('40-44', 6.2), ('45-49', 6.6),
             ('50-54', 6.9), ('55-59', 6.6), ('60-64', 5.8), ('65-69', 5.1), ('70-74', 5.0),
             ('75-79', 3.7), ('80-84', 2.6), ('85-89', 1.6), ('90+', 0.9)) AS v(band, w);

INSERT INTO s_weight
SELECT 'flow', practice_code || '|' || lsoa11_code, f, 200000 FROM s_flow WHERE f > 0;

-- Unit costs: the NCC 2024/25 departments behind each setting, every
-- currency with a published unit cost, weighted by its national activity.
-- A currency whose description limits it to children (or adults) only
-- enters the child (adult) mix. The schedule has no general-practice
-- consultation currency, so "Primary care" is GP direct-access
-- diagnostics (pathology, imaging, audiology), which it does cost.
CREATE TABLE demo.unit_cost (
    department text NOT NULL,
    currency_code text NOT NULL,
    currency_desc text,
    unit_cost float8 NOT NULL,
    setting text NOT NULL,
    national_activity float8 NOT NULL,
    PRIMARY KEY (department, currency_code)
);
INSERT INTO demo.unit_cost
SELECT n.department, n.currency_code, n.currency_desc, n.unit_cost, m.setting, n.activity
FROM s_ncc n
JOIN (VALUES ('Elective Inpatients', 'Elective'), ('Daycase', 'Elective'),
             ('Non-Elective Inpatient - Long Stay', 'Non-elective'),
             ('Non-Elective Inpatient - Short Stay', 'Non-elective'),
             ('Outpatient Procedures', 'Outpatient'),
             ('Emergency Care', 'A&E'),
             ('Community Health Service', 'Community'),
             ('Mental Health Care Contact', 'Mental health'),
             ('Mental Health Provider Spell', 'Mental health'),
             ('NHS Talking Therapy Care Contact', 'Mental health'),
             ('Ambulance', 'Ambulance'),
             ('Directly Accessed Pathology Services', 'Primary care'),
             ('Directly Accessed Diagnostic Services', 'Primary care'),
             ('Directly Accessed Audiology', 'Primary care')) AS m(department, setting)
  ON m.department = n.department
WHERE n.unit_cost > 0 AND n.activity > 0;
COMMENT ON TABLE demo.unit_cost IS
'Demo place: NCC 2024/25 national schedule rows (NHS England, OGL v3) used to cost demo.activity';

INSERT INTO s_weight
SELECT setting || '|' || agegrp, department || '|' || currency_code, national_activity, 10000
FROM demo.unit_cost
CROSS JOIN (VALUES ('child'), ('adult')) AS g(agegrp)
WHERE NOT (agegrp = 'adult'
           AND currency_desc ~ 'years and under|between [0-9]+ and 1[78] years|up to and including|[Cc]hild')
  AND NOT (agegrp = 'child' AND currency_desc ~ '(19|18|16|13) years and over|[Aa]dult');

CREATE TEMP TABLE s_slot AS
WITH c AS MATERIALIZED (
    SELECT mix, key, n_slots,
           round(sum(weight) OVER (PARTITION BY mix ORDER BY key) * n_slots
                 / sum(weight) OVER (PARTITION BY mix))::int AS hi,
           row_number() OVER (PARTITION BY mix ORDER BY key) AS rn,
           count(*) OVER (PARTITION BY mix) AS n
    FROM s_weight
), b AS (
    SELECT mix, key, CASE WHEN rn = n THEN n_slots ELSE hi END AS hi,
           lag(CASE WHEN rn = n THEN n_slots ELSE hi END, 1, 0)
               OVER (PARTITION BY mix ORDER BY key) AS lo
    FROM c
)
SELECT mix, s AS slot, key FROM b, generate_series(lo, hi - 1) AS s;
CREATE UNIQUE INDEX ON s_slot (mix, slot);
ANALYZE s_slot;

-- Currency slots keyed by integers for the big activity join: setting
-- number (1..8, the order of the contract's list), child flag, slot.
CREATE TEMP TABLE s_setting (si int PRIMARY KEY, setting text NOT NULL);
INSERT INTO s_setting VALUES (1, 'Elective'), (2, 'Non-elective'), (3, 'Outpatient'), (4, 'A&E'),
    (5, 'Community'), (6, 'Mental health'), (7, 'Ambulance'), (8, 'Primary care');
CREATE TEMP TABLE s_cslot AS
SELECT st.si, split_part(sl.mix, '|', 2) = 'child' AS child, sl.slot,
       uc.currency_code, round(uc.unit_cost::numeric, 2)::numeric(12,2) AS cost
FROM s_slot sl
JOIN s_setting st ON st.setting = split_part(sl.mix, '|', 1)
JOIN demo.unit_cost uc ON uc.department = split_part(sl.key, '|', 1)
                      AND uc.currency_code = split_part(sl.key, '|', 2);
ANALYZE s_cslot;

-- ---------------------------------------------------------------------------
-- People. Streams (per person_id): 1 practice/LSOA, 2 postcode, 3 age band,
-- 4 age in band, 5 sex, 6 health latent (normal), 10-15 conditions,
-- 16 death, 17 frailty, 18 disability, 19 maternity, 20 use intensity
-- (normal), 21 activity count, 22 death day, 23 quality of life (normal),
-- 24 NHS number order.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE s_person AS
WITH base AS MATERIALIZED (
    SELECT g.person_id,
           split_part(f.key, '|', 1) AS practice_code,
           split_part(f.key, '|', 2) AS lsoa11_code,
           a.key AS age_band,
           demo.u(:g_seed, g.person_id, 4) AS u_age,
           demo.u(:g_seed, g.person_id, 2) AS u_pc,
           demo.u(:g_seed, g.person_id, 5) AS u_sex,
           demo.z(:g_seed, g.person_id, 6) AS z_health
    FROM generate_series(1, :g_persons) AS g(person_id)
    JOIN s_slot f ON f.mix = 'flow' AND f.slot = floor(demo.u(:g_seed, g.person_id, 1) * 200000)::int
    JOIN s_slot a ON a.mix = 'age' AND a.slot = floor(demo.u(:g_seed, g.person_id, 3) * 10000)::int
), aged AS MATERIALIZED (
    SELECT b.*,
           CASE WHEN b.age_band = '90+'
                THEN least(100, 90 + floor(-ln(1 - b.u_age) * 4))::int
                ELSE split_part(b.age_band, '-', 1)::int + floor(b.u_age * 5)::int
           END AS age
    FROM base b
)
SELECT a.person_id, a.practice_code, h.postcode, a.lsoa11_code, l.imd_decile, a.age, a.age_band,
       CASE WHEN a.u_sex < 0.49 + 0.2 / (1 + exp(-(a.age::float8 - 82) / 5)) THEN 'F' ELSE 'M' END AS sex,
       a.z_health
FROM aged a
JOIN s_lsoa l ON l.lsoa11_code = a.lsoa11_code
JOIN s_home h ON h.lsoa11_code = a.lsoa11_code AND h.idx = floor(a.u_pc * l.n_home)::int;
ANALYZE s_person;

-- Long-term conditions: logistic in age and deprivation (dd = 10 - decile,
-- 0 least .. 9 most deprived) plus a shared latent health factor, so
-- conditions cluster; other LTCs (hypertension, asthma, CKD, depression,
-- ...) are a Poisson count. Then death in the year, and the Bridges to
-- Health segment by hierarchy (the first that applies): End of life (died),
-- Frailty and dementia, Cancer, Disability, Maternity (pregnancy in the
-- year, or an infant), Long-term conditions, Healthy well.
CREATE TEMP TABLE s_health AS
WITH c AS MATERIALIZED (
    SELECT p.*,
           demo.u(:g_seed, p.person_id, 10) < 1 / (1 + exp(-(-6.3 + 0.058 * fa + 0.07 * fd + 0.5 * z_health))) AS diabetes,
           demo.u(:g_seed, p.person_id, 11) < 1 / (1 + exp(-(-10.2 + 0.09 * fa + 0.13 * fd + 0.5 * z_health))) AS copd,
           demo.u(:g_seed, p.person_id, 12) < 1 / (1 + exp(-(-9.6 + 0.09 * fa + 0.07 * fd + 0.5 * z_health + CASE WHEN sex = 'M' THEN 0.6 ELSE 0 END))) AS chd,
           demo.u(:g_seed, p.person_id, 13) < 1 / (1 + exp(-(-15.4 + 0.15 * fa + 0.03 * fd + 0.4 * z_health))) AS dementia,
           demo.u(:g_seed, p.person_id, 14) < 1 / (1 + exp(-(-7.6 + 0.07 * fa + 0.02 * fd + 0.3 * z_health))) AS cancer,
           demo.poisson(exp(-2.9 + 0.04 * fa + 0.05 * fd + 0.4 * z_health),
                        demo.u(:g_seed, p.person_id, 15), 0) AS other_ltc
    FROM (SELECT s_person.*, 10 - imd_decile AS dd, age::float8 AS fa,
                 (10 - imd_decile)::float8 AS fd
          FROM s_person) p
), d AS MATERIALIZED (
    SELECT c.*,
           diabetes::int + copd::int + chd::int + dementia::int + cancer::int + other_ltc AS ltc_count,
           demo.u(:g_seed, person_id, 16) < least(0.9,
               CASE WHEN age = 0 THEN 0.004 ELSE 0.000015 * exp(0.095 * fa) END
               * exp(0.04 * fd)
               * (1 + 2.5 * cancer::int + 1.5 * dementia::int + 0.8 * copd::int + 0.5 * chd::int)) AS died
    FROM c
)
SELECT d.*,
       CASE WHEN died THEN 'End of life'
            WHEN dementia OR (age >= 70 AND demo.u(:g_seed, person_id, 17)
                              < 1 / (1 + exp(-(-10.0 + 0.09 * fa + 0.35 * ltc_count::float8 + 0.3 * z_health))))
                 THEN 'Frailty and dementia'
            WHEN cancer THEN 'Cancer'
            WHEN demo.u(:g_seed, person_id, 18) < 0.015 + 0.003 * fd THEN 'Disability'
            WHEN age = 0 OR (sex = 'F' AND age BETWEEN 15 AND 45
                             AND demo.u(:g_seed, person_id, 19) < 0.11 * exp(-power((fa - 30) / 6, 2)))
                 THEN 'Maternity'
            WHEN ltc_count > 0 THEN 'Long-term conditions'
            ELSE 'Healthy well'
       END AS segment
FROM d;
ANALYZE s_health;

-- NHS numbers: 9-digit stems counted down from 999999999 (the 999 test
-- range first), those whose Modulus 11 check digit is 10 skipped, dealt to
-- people in a hashed order.
CREATE TEMP TABLE s_nhs AS
WITH cand AS (
    SELECT stem, (11 - ((stem / 100000000 % 10) * 10 + (stem / 10000000 % 10) * 9
                        + (stem / 1000000 % 10) * 8 + (stem / 100000 % 10) * 7
                        + (stem / 10000 % 10) * 6 + (stem / 1000 % 10) * 5
                        + (stem / 100 % 10) * 4 + (stem / 10 % 10) * 3
                        + (stem % 10) * 2) % 11) % 11 AS check_digit
    FROM generate_series(999999999::int8, greatest(0, 999999999 - ceil(:g_persons * 1.2)::int8 - 100), -1) AS stem
), ok AS (
    SELECT stem, check_digit, row_number() OVER (ORDER BY stem DESC) AS rn
    FROM cand WHERE check_digit <> 10
), who AS (
    SELECT person_id, row_number() OVER (ORDER BY demo.u(:g_seed, person_id, 24), person_id) AS rn
    FROM s_person
)
SELECT who.person_id, lpad((ok.stem * 10 + ok.check_digit)::text, 10, '0') AS nhs_number
FROM who JOIN ok USING (rn);
ANALYZE s_nhs;

CREATE TABLE demo.person (
    person_id int NOT NULL,
    nhs_number text NOT NULL,
    practice_code text NOT NULL,
    postcode text NOT NULL,
    lsoa11_code text NOT NULL,
    imd_decile int NOT NULL,
    age int NOT NULL,
    age_band text NOT NULL,
    sex text NOT NULL,
    segment text NOT NULL,
    ltc_count int NOT NULL,
    diabetes bool NOT NULL,
    copd bool NOT NULL,
    chd bool NOT NULL,
    dementia bool NOT NULL,
    cancer bool NOT NULL,
    died bool NOT NULL
);
INSERT INTO demo.person
SELECT h.person_id, n.nhs_number, h.practice_code, h.postcode, h.lsoa11_code, h.imd_decile,
       h.age, h.age_band, h.sex, h.segment, h.ltc_count, h.diabetes, h.copd, h.chd,
       h.dementia, h.cancer, h.died
FROM s_health h JOIN s_nhs n USING (person_id)
ORDER BY h.person_id;
ALTER TABLE demo.person ADD PRIMARY KEY (person_id);
ALTER TABLE demo.person ADD UNIQUE (nhs_number);
COMMENT ON TABLE demo.person IS
'Demo place: one row per registered person (synthetic; real practices, postcodes, LSOAs and IoD2019 deciles)';

CREATE TABLE demo.practice (
    practice_code text PRIMARY KEY,
    practice_name text NOT NULL,
    practice_postcode text NOT NULL,
    registered int NOT NULL
);
INSERT INTO demo.practice
SELECT p.practice_code, p.practice_name, p.practice_postcode,
       coalesce(r.n, 0)
FROM s_practice p
LEFT JOIN (SELECT practice_code, count(*)::int AS n FROM demo.person GROUP BY practice_code) r
  USING (practice_code)
ORDER BY p.practice_code;
COMMENT ON TABLE demo.practice IS
'Demo place: active GP practices of sub-ICB 00P (NHS ODS epraccur Dec 2023, OGL v3); registered = synthetic list size';

-- ---------------------------------------------------------------------------
-- Activity. Expected contacts a year per setting: an age curve, raised by
-- LTCs, segment and deprivation (most for emergency care), a practice
-- effect on emergency admissions and A&E (some practices genuinely
-- over-dispersed), and a heavy-tailed personal intensity (lognormal,
-- sigma 0.9, clipped at 3 sigma), each rate saturating towards a yearly
-- ceiling. The count is Poisson(scale * sum), each contact's setting
-- drawn in proportion (Poisson splitting), its currency from the setting's
-- national mix, its date uniform over the year (up to the death day for
-- people who died).
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE s_practice_effect AS
SELECT practice_code,
       exp(CASE WHEN rn % 7 = 3 THEN 0.30 WHEN rn % 7 = 5 THEN -0.25 ELSE 0 END
           + 0.08 * demo.z(:g_seed, rn, 90)) AS nel_effect
FROM (SELECT practice_code, row_number() OVER (ORDER BY practice_code) AS rn FROM s_practice) x;
ANALYZE s_practice_effect;

CREATE TEMP TABLE s_mult (segment text PRIMARY KEY, el float8, nel float8, op float8, ae float8,
                          com float8, mh float8, amb float8, pc float8);
INSERT INTO s_mult VALUES
    ('Healthy well',          1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0),
    ('Maternity',             1.5, 2.5, 2.5, 1.3, 4.0, 1.5, 1.5, 2.5),
    ('Long-term conditions',  1.3, 1.5, 1.5, 1.2, 1.5, 1.3, 1.5, 2.0),
    ('Disability',            1.5, 2.0, 1.5, 1.5, 3.0, 4.0, 2.0, 1.5),
    ('Cancer',                6.0, 2.5, 5.0, 1.3, 2.0, 1.2, 1.5, 3.0),
    ('Frailty and dementia',  1.2, 2.5, 1.2, 2.0, 5.0, 2.0, 4.0, 1.5),
    ('End of life',           2.0, 4.0, 2.0, 3.0, 6.0, 1.5, 6.0, 2.0);
ANALYZE s_mult;

CREATE TEMP TABLE s_lambda AS
WITH r AS MATERIALIZED (
    SELECT h.person_id, h.age, h.died,
           CASE WHEN h.age < 19 THEN 'child' ELSE 'adult' END AS agegrp,
           exp(0.2 * h.ltc_count::float8 + 0.9 * greatest(-3, least(3, demo.z(:g_seed, h.person_id, 20))) - 0.405) AS k,
           m.el * CASE WHEN h.age < 16 THEN 0.03 ELSE 0.06 * exp(0.025 * (h.fa - 40)) END AS el,
           m.nel * e.nel_effect * exp(0.055 * h.fd)
               * CASE WHEN h.age = 0 THEN 0.15 WHEN h.age < 16 THEN 0.03
                      ELSE 0.02 * exp(0.035 * (h.fa - 40)) END AS nel,
           m.op * CASE WHEN h.age < 16 THEN 0.2 ELSE 0.35 * exp(0.02 * (h.fa - 40)) END AS op,
           m.ae * sqrt(e.nel_effect) * exp(0.05 * h.fd) * 0.25
               * CASE WHEN h.age < 5 THEN 1.6 WHEN h.age BETWEEN 16 AND 30 THEN 1.3 ELSE 1 END
               * (1 + 0.02 * greatest(0, h.fa - 60)) AS ae,
           m.com * CASE WHEN h.age < 5 THEN 0.8 WHEN h.age < 16 THEN 0.15
                        ELSE 0.12 * exp(0.045 * greatest(0, h.fa - 50)) END AS com,
           m.mh * exp(0.07 * h.fd) * CASE WHEN h.age < 12 THEN 0.05 WHEN h.age < 18 THEN 0.2
                                           WHEN h.age < 65 THEN 0.25 ELSE 0.15 END AS mh,
           m.amb * exp(0.05 * h.fd) * 0.04 * exp(0.04 * (h.fa - 40)) AS amb,
           m.pc * CASE WHEN h.age < 16 THEN 0.15 ELSE 0.45 * exp(0.015 * (h.fa - 40)) END AS pc
    FROM s_health h
    JOIN s_mult m USING (segment)
    JOIN s_practice_effect e USING (practice_code)
), sat AS MATERIALIZED (
    -- Saturate each rate x towards a plausible yearly ceiling L,
    -- x L / (x + L): most people are untouched, the extreme tail (a
    -- hundred admissions a year) is not.
    SELECT person_id, agegrp, died,
           k * el * 6 / (k * el + 6) AS el, k * nel * 8 / (k * nel + 8) AS nel,
           k * op * 30 / (k * op + 30) AS op, k * ae * 15 / (k * ae + 15) AS ae,
           k * com * 150 / (k * com + 150) AS com, k * mh * 60 / (k * mh + 60) AS mh,
           k * amb * 15 / (k * amb + 15) AS amb, k * pc * 30 / (k * pc + 30) AS pc
    FROM r
), c AS MATERIALIZED (
    SELECT person_id, agegrp, died,
           el AS c1, el + nel AS c2, el + nel + op AS c3, el + nel + op + ae AS c4,
           el + nel + op + ae + com AS c5, el + nel + op + ae + com + mh AS c6,
           el + nel + op + ae + com + mh + amb AS c7,
           el + nel + op + ae + com + mh + amb + pc AS c8
    FROM sat
)
SELECT c.*,
       demo.poisson(:g_scale * c8, demo.u(:g_seed, person_id, 21),
                    demo.z(:g_seed, person_id, 25)) AS n,
       CASE WHEN died THEN floor(demo.u(:g_seed, person_id, 22) * 365)::int + 1 ELSE 365 END AS days
FROM c;
ANALYZE s_lambda;
-- Dense activity ids without sorting the activity: each person's first id.
CREATE TEMP TABLE s_events AS
SELECT person_id, agegrp = 'child' AS child, c1, c2, c3, c4, c5, c6, c7, c8, days, n,
       sum(n) OVER (ORDER BY person_id) - n AS first_id
FROM s_lambda WHERE n > 0;
ANALYZE s_events;

CREATE TABLE demo.activity (
    activity_id bigint NOT NULL,
    person_id int NOT NULL,
    setting text NOT NULL,
    activity_date date NOT NULL,
    currency_code text NOT NULL,
    cost numeric(12,2) NOT NULL
);
INSERT INTO demo.activity
SELECT x.activity_id, x.person_id,
       ('{Elective,Non-elective,Outpatient,A&E,Community,Mental health,Ambulance,Primary care}'::text[])[x.si],
       date '2024-04-01' + floor(demo.u(:g_seed, x.activity_id, 32) * x.days)::int,
       c.currency_code, c.cost
FROM (
    SELECT e.first_id + j AS activity_id, e.person_id, e.child,
           CASE WHEN v < e.c1 THEN 1 WHEN v < e.c2 THEN 2 WHEN v < e.c3 THEN 3
                WHEN v < e.c4 THEN 4 WHEN v < e.c5 THEN 5 WHEN v < e.c6 THEN 6
                WHEN v < e.c7 THEN 7 ELSE 8 END AS si,
           e.days
    FROM s_events e
    CROSS JOIN LATERAL generate_series(1, e.n) AS j
    CROSS JOIN LATERAL (SELECT demo.u(:g_seed, e.first_id + j, 30) * e.c8 AS v) AS d
) x
JOIN s_cslot c ON c.si = x.si AND c.child = x.child
              AND c.slot = floor(demo.u(:g_seed, x.activity_id, 31) * 10000)::int;
ALTER TABLE demo.activity ADD PRIMARY KEY (activity_id);
CREATE INDEX activity_person_id_idx ON demo.activity (person_id);
COMMENT ON TABLE demo.activity IS
'Demo place: one year (2024/25) of synthetic patient-level activity, costed at NCC 2024/25 national unit costs';

CREATE TABLE demo.person_cost (
    person_id int NOT NULL,
    total_cost float8 NOT NULL,
    elective float8 NOT NULL,
    non_elective float8 NOT NULL,
    outpatient float8 NOT NULL,
    ae float8 NOT NULL,
    community float8 NOT NULL,
    mental_health float8 NOT NULL,
    ambulance float8 NOT NULL,
    primary_care float8 NOT NULL
);
-- One pass over the activity, in integer pence (exact), shared with the
-- outcome table below.
CREATE TEMP TABLE s_pc AS
SELECT person_id, sum(p) AS total,
       sum(p) FILTER (WHERE setting = 'Elective') AS el,
       sum(p) FILTER (WHERE setting = 'Non-elective') AS nel,
       sum(p) FILTER (WHERE setting = 'Outpatient') AS op,
       sum(p) FILTER (WHERE setting = 'A&E') AS ae,
       sum(p) FILTER (WHERE setting = 'Community') AS com,
       sum(p) FILTER (WHERE setting = 'Mental health') AS mh,
       sum(p) FILTER (WHERE setting = 'Ambulance') AS amb,
       sum(p) FILTER (WHERE setting = 'Primary care') AS pc,
       count(*) FILTER (WHERE setting = 'Non-elective')::int AS n_nel
FROM (SELECT person_id, setting, (cost * 100)::int AS p FROM demo.activity) a
GROUP BY person_id;
ANALYZE s_pc;

INSERT INTO demo.person_cost
SELECT p.person_id, coalesce(a.total, 0) / 100.0, coalesce(a.el, 0) / 100.0,
       coalesce(a.nel, 0) / 100.0, coalesce(a.op, 0) / 100.0, coalesce(a.ae, 0) / 100.0,
       coalesce(a.com, 0) / 100.0, coalesce(a.mh, 0) / 100.0, coalesce(a.amb, 0) / 100.0,
       coalesce(a.pc, 0) / 100.0
FROM demo.person p
LEFT JOIN s_pc a USING (person_id)
ORDER BY p.person_id;
ALTER TABLE demo.person_cost ADD PRIMARY KEY (person_id);
COMMENT ON TABLE demo.person_cost IS
'Demo place: annual cost per person, total and by setting (sum of demo.activity.cost; 0 when none)';

-- Outcomes: an EQ-5D-like index falling with age, conditions, deprivation
-- and segment (capped at 1, floor -0.3), and the count of emergency
-- (non-elective) admissions in the year.
CREATE TABLE demo.outcome (
    person_id int NOT NULL,
    qol float8 NOT NULL CHECK (qol <= 1),
    emergency_admissions int NOT NULL
);
INSERT INTO demo.outcome
SELECT h.person_id,
       round(greatest(-0.3, least(1.0,
           0.97 - 0.0035 * greatest(0, h.fa - 25) - 0.04 * h.ltc_count::float8
           - 0.10 * h.dementia::int::float8 - 0.06 * h.copd::int::float8 - 0.008 * h.fd
           - CASE h.segment WHEN 'End of life' THEN 0.30 WHEN 'Disability' THEN 0.20
                            WHEN 'Frailty and dementia' THEN 0.15 WHEN 'Cancer' THEN 0.08
                            ELSE 0 END
           + 0.07 * demo.z(:g_seed, h.person_id, 23)))::numeric, 3)::float8,
       coalesce(a.n_nel, 0)
FROM s_health h
LEFT JOIN s_pc a USING (person_id)
ORDER BY h.person_id;
ALTER TABLE demo.outcome ADD PRIMARY KEY (person_id);
COMMENT ON TABLE demo.outcome IS
'Demo place: per-person outcomes: EQ-5D-like quality of life index and emergency admissions in the year';

ALTER TABLE demo.person ADD FOREIGN KEY (practice_code) REFERENCES demo.practice;
ALTER TABLE demo.person ADD FOREIGN KEY (postcode) REFERENCES demo.postcode;
ANALYZE demo.practice;
ANALYZE demo.postcode;
ANALYZE demo.person;
ANALYZE demo.activity;
ANALYZE demo.person_cost;
ANALYZE demo.outcome;
ANALYZE demo.unit_cost;

-- ---------------------------------------------------------------------------
-- The place among its like: the 106 sub-ICB locations of England (July 2022,
-- the boundaries 00P is named in), each described from the IoD2019 file
-- value_ext bundles, through the ONS LSOA 2011 -> sub-ICB 2022 lookup. The
-- RightCare "Similar 10" of 00P is found from these features (report
-- 35_similar_sub_icb.sql, view bi.similar_peers). Every LSOA is in exactly
-- one sub-ICB, so the populations add up to England's.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE s_sicbl (lsoa11_code text, lsoa11_name text, sicbl22_code text,
    sicbl22_ods_code text, sicbl22_name text, icb22_code text, icb22_ods_code text,
    icb22_name text, lad22_code text, lad22_name text);
\copy s_sicbl FROM 'test/data/lsoa11_sicbl22_icb22_lad22.csv' CSV HEADER

CREATE TABLE demo.sub_icb (
    sub_icb_code text PRIMARY KEY,
    sub_icb_ons_code text NOT NULL UNIQUE,
    sub_icb_name text NOT NULL,
    icb_code text NOT NULL,
    icb_name text NOT NULL,
    main_lad_name text NOT NULL,
    lsoas int NOT NULL,
    population bigint NOT NULL,
    imd_score float8 NOT NULL,
    pct_aged_0_15 float8 NOT NULL,
    pct_aged_16_59 float8 NOT NULL,
    pct_aged_60_plus float8 NOT NULL,
    health_rank float8 NOT NULL
);
-- Means over LSOAs weighted by their mid-2015 population (the IoD2019
-- denominators), as MHCLG summarises larger areas: the IMD score, and the
-- Health Deprivation and Disability domain's rank (the file has the 2019
-- domain ranks, not their scores; 1 = most deprived of 32,844). The
-- sub-ICB names say only the ICB, so main_lad_name gives the place: the
-- local authority district (2022) holding most of its population.
INSERT INTO demo.sub_icb
SELECT l.sicbl22_ods_code, l.sicbl22_code, l.sicbl22_name, l.icb22_ods_code, l.icb22_name,
       (SELECT x.lad22_name FROM s_sicbl x JOIN s_imd y USING (lsoa11_code)
        WHERE x.sicbl22_ods_code = l.sicbl22_ods_code
        GROUP BY x.lad22_name ORDER BY sum(y.pop_total_mid2015) DESC, x.lad22_name LIMIT 1),
       count(*), sum(i.pop_total_mid2015),
       sum(i.imd_score * i.pop_total_mid2015) / sum(i.pop_total_mid2015),
       100.0 * sum(i.pop_age_0_15_mid2015) / sum(i.pop_total_mid2015),
       100.0 * sum(i.pop_age_16_59_mid2015) / sum(i.pop_total_mid2015),
       100.0 * sum(i.pop_age_60plus_mid2015) / sum(i.pop_total_mid2015),
       sum(i.health_rank::float8 * i.pop_total_mid2015) / sum(i.pop_total_mid2015)
FROM s_sicbl l JOIN s_imd i USING (lsoa11_code)
GROUP BY l.sicbl22_ods_code, l.sicbl22_code, l.sicbl22_name, l.icb22_ods_code, l.icb22_name
ORDER BY 1;
ANALYZE demo.sub_icb;
COMMENT ON TABLE demo.sub_icb IS
'Demo place: the 106 sub-ICB locations of England (ONS LSOA11->SICBL22 lookup, July 2022) with population, age shares and deprivation from the IoD2019 file (MHCLG, OGL v3), population-weighted over their LSOAs';
