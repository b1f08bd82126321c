-- test/demo_place.sql -- invariants of the demo place (test/demo/load.sh,
-- default SEED, SCALE 1, PERSONS 300000), checked against the reference
-- files themselves: src/data/imd2019_lsoa11_england.csv (IoD2019 deciles),
-- src/data/esp2013_19_bands.csv (age bands), test/data/epraccur_2023-12.csv
-- (practices), test/data/NSPL_NOV_2021_UK_SR.csv (postcodes) and
-- test/data/ncc_national_schedule_2024_25.csv (unit costs).
BEGIN;
SELECT plan(35);

CREATE TEMP TABLE t_imd (lsoa11_code text, lsoa11_name text, lad19_code text, lad19_name text,
    imd_score float8, imd_rank int, imd_decile int, income_rank int, income_decile int,
    employment_rank int, employment_decile int, education_rank int, education_decile int,
    health_rank int, health_decile int, crime_rank int, crime_decile int, barriers_rank int,
    barriers_decile int, living_env_rank int, living_env_decile int, pop_total_mid2015 int,
    pop_age_0_15_mid2015 int, pop_age_16_59_mid2015 int, pop_age_60plus_mid2015 int,
    pop_working_age_mid2015 int);
\copy t_imd FROM 'src/data/imd2019_lsoa11_england.csv' CSV HEADER
CREATE TEMP TABLE t_esp (band_index int, age_band text, age_from int, age_to int, esp2013_population int);
\copy t_esp FROM 'src/data/esp2013_19_bands.csv' CSV HEADER
CREATE TEMP TABLE t_ncc (department text, currency_code text, currency_desc text,
    activity float8, unit_cost float8, cost float8);
\copy t_ncc FROM 'test/data/ncc_national_schedule_2024_25.csv' CSV HEADER
CREATE TEMP TABLE t_ep (organisation_code text, name text, national_grouping text,
    high_level_health_geography text, address_line_1 text, address_line_2 text,
    address_line_3 text, address_line_4 text, address_line_5 text, postcode text,
    open_date text, close_date text, status_code text, organisation_sub_type_code text,
    commissioner text, join_provider_purchaser_date text, left_provider_purchaser_date text,
    contact_telephone_number text, amended_record_indicator text, provider_purchaser text,
    prescribing_setting text);
\copy t_ep FROM 'test/data/epraccur_2023-12.csv' CSV HEADER

-- Shape --------------------------------------------------------------------
SELECT tables_are('demo', ARRAY['parameters', 'practice', 'postcode', 'person', 'activity', 'sub_icb',
                                'person_cost', 'outcome', 'unit_cost'],
                  'demo schema holds exactly the contract tables');
SELECT results_eq('SELECT seed, scale, persons FROM demo.parameters',
                  $$VALUES (20240401, 1::float8, 300000)$$,
                  'built with the default knobs (the checksum below is for these)');
SELECT ok((SELECT count(*) BETWEEN 290000 AND 310000 FROM demo.person),
          'population is 290k-310k');
SELECT ok((SELECT count(*) BETWEEN 1000000 AND 2000000 FROM demo.activity),
          'SCALE 1 gives 1M-2M activity rows');

-- Practices: exactly the active GP practices of sub-ICB 00P (39 in the file).
SELECT set_eq('SELECT practice_code FROM demo.practice',
              $$SELECT organisation_code FROM t_ep WHERE commissioner = '00P'
                AND status_code = 'A' AND prescribing_setting = '4'$$,
              'practices = epraccur commissioner 00P, status A, setting 4');
SELECT is((SELECT count(*)::int FROM demo.practice), 39, '39 practices');
SELECT is((SELECT count(*) FROM demo.person p
           WHERE NOT EXISTS (SELECT 1 FROM demo.practice x WHERE x.practice_code = p.practice_code)),
          0::bigint, 'every person''s practice_code is in demo.practice');
SELECT is((SELECT count(*) FROM demo.practice x
           LEFT JOIN (SELECT practice_code, count(*) AS n FROM demo.person GROUP BY 1) p USING (practice_code)
           WHERE x.registered <> coalesce(p.n, 0)),
          0::bigint, 'practice.registered is the practice''s count of people');

-- Geography -----------------------------------------------------------------
SELECT is((SELECT count(*) FROM demo.person p LEFT JOIN t_imd i USING (lsoa11_code)
           WHERE i.lsoa11_code IS NULL OR i.imd_decile IS DISTINCT FROM p.imd_decile
              OR p.imd_decile NOT BETWEEN 1 AND 10),
          0::bigint, 'every LSOA is in IoD2019 and imd_decile (1..10) equals the official decile');
SELECT is((SELECT count(*) FROM demo.person p LEFT JOIN demo.postcode c USING (postcode)
           WHERE c.postcode IS NULL OR c.terminated OR c.lsoa11_code IS DISTINCT FROM p.lsoa11_code
              OR p.postcode NOT LIKE 'SR%'),
          0::bigint, 'every person lives at a live SR postcode of their LSOA');
SELECT is((SELECT count(*)::int FROM demo.postcode), 8765, 'demo.postcode holds all 8765 NSPL SR postcodes');
SELECT is((SELECT count(*)::int FROM demo.postcode WHERE terminated), 2143, '2143 of them terminated (as SOURCES.md)');
SELECT ok((SELECT count(DISTINCT lsoa11_code) >= 150 AND min(n) >= 500 AND max(n) <= 5000
           FROM (SELECT lsoa11_code, count(*) AS n FROM demo.person GROUP BY 1) x),
          'people spread over 150+ LSOAs, 500-5000 each');
SELECT ok((SELECT count(*) FILTER (WHERE imd_decile <= 2) > count(*) FILTER (WHERE imd_decile >= 9)
           FROM demo.person),
          'Sunderland: more people in deciles 1-2 than 9-10');

-- People --------------------------------------------------------------------
SELECT is((SELECT count(*) FROM demo.person
           WHERE nhs_number !~ '^999[0-9]{7}$'
              OR (11 - (substr(nhs_number, 1, 1)::int * 10 + substr(nhs_number, 2, 1)::int * 9
                        + substr(nhs_number, 3, 1)::int * 8 + substr(nhs_number, 4, 1)::int * 7
                        + substr(nhs_number, 5, 1)::int * 6 + substr(nhs_number, 6, 1)::int * 5
                        + substr(nhs_number, 7, 1)::int * 4 + substr(nhs_number, 8, 1)::int * 3
                        + substr(nhs_number, 9, 1)::int * 2) % 11) % 11
                 <> substr(nhs_number, 10, 1)::int),
          0::bigint, 'every NHS number is 999xxxxxxx and passes Modulus 11 (methods.md 7.1)');
SELECT is((SELECT count(DISTINCT nhs_number) FROM demo.person), (SELECT count(*) FROM demo.person),
          'NHS numbers are unique');
SELECT is((SELECT count(*) FROM demo.person p LEFT JOIN t_esp e ON p.age BETWEEN e.age_from AND coalesce(e.age_to, 200)
           WHERE p.age NOT BETWEEN 0 AND 100 OR e.age_band IS DISTINCT FROM p.age_band),
          0::bigint, 'ages 0..100 and age_band is the ESP2013 band of the age');
SELECT is((SELECT count(DISTINCT age_band)::int FROM demo.person), 19, 'all 19 age bands occur');
SELECT ok((SELECT avg((sex = 'F')::int) BETWEEN 0.49 AND 0.53 AND bool_and(sex IN ('F', 'M'))
           FROM demo.person),
          'sex is F/M, 49-53% female');
SELECT set_eq('SELECT DISTINCT segment FROM demo.person',
              $$VALUES ('Healthy well'), ('Maternity'), ('Long-term conditions'), ('Disability'),
                       ('Cancer'), ('Frailty and dementia'), ('End of life')$$,
              'segments are exactly the seven of the contract');
SELECT is((SELECT count(*) FROM demo.person
           WHERE ltc_count < diabetes::int + copd::int + chd::int + dementia::int + cancer::int
              OR (segment = 'End of life') <> died
              OR (segment = 'Healthy well' AND ltc_count > 0)
              OR (segment = 'Long-term conditions' AND ltc_count = 0)
              OR (dementia AND segment NOT IN ('End of life', 'Frailty and dementia'))),
          0::bigint, 'ltc_count covers the named conditions; segments follow the hierarchy');
SELECT ok((SELECT avg(diabetes::int) FILTER (WHERE age >= 65) > 2 * avg(diabetes::int) FILTER (WHERE age BETWEEN 17 AND 64)
              AND avg(copd::int) FILTER (WHERE imd_decile <= 2) > avg(copd::int) FILTER (WHERE imd_decile >= 8)
           FROM demo.person),
          'LTC prevalence rises with age and deprivation');

-- Activity and cost ---------------------------------------------------------
SELECT is((SELECT count(*) FROM demo.activity
           WHERE setting NOT IN ('Elective', 'Non-elective', 'Outpatient', 'A&E', 'Community',
                                 'Mental health', 'Ambulance', 'Primary care')
              OR activity_date NOT BETWEEN '2024-04-01' AND '2025-03-31' OR cost <= 0),
          0::bigint, 'settings from the contract, dates in 2024/25, positive costs');
SELECT is((SELECT count(DISTINCT setting)::int FROM demo.activity), 8, 'all eight settings occur');
SELECT is((SELECT count(*) FROM demo.activity a
           WHERE NOT EXISTS (SELECT 1 FROM demo.unit_cost u
                             WHERE u.setting = a.setting AND u.currency_code = a.currency_code
                               AND round(u.unit_cost::numeric, 2) = a.cost)),
          0::bigint, 'every activity is costed at a unit cost of its setting''s currencies');
SELECT is((SELECT count(*) FROM demo.unit_cost u LEFT JOIN t_ncc n USING (department, currency_code)
           WHERE n.unit_cost IS DISTINCT FROM u.unit_cost),
          0::bigint, 'demo.unit_cost rows are NCC 2024/25 schedule rows, unit cost unchanged');
SELECT is((SELECT count(*) FROM demo.activity a WHERE NOT EXISTS
              (SELECT 1 FROM demo.person p WHERE p.person_id = a.person_id)),
          0::bigint, 'every activity belongs to a person');

SELECT is((SELECT count(*) FROM demo.person p FULL JOIN demo.person_cost c USING (person_id)
           WHERE p.person_id IS NULL OR c.person_id IS NULL),
          0::bigint, 'person_cost has exactly one row per person');
SELECT is((SELECT count(*) FROM demo.person_cost c
           LEFT JOIN (SELECT person_id, sum(cost) AS total,
                             coalesce(sum(cost) FILTER (WHERE setting = 'Elective'), 0) AS el,
                             coalesce(sum(cost) FILTER (WHERE setting = 'Non-elective'), 0) AS nel,
                             coalesce(sum(cost) FILTER (WHERE setting = 'Outpatient'), 0) AS op,
                             coalesce(sum(cost) FILTER (WHERE setting = 'A&E'), 0) AS ae,
                             coalesce(sum(cost) FILTER (WHERE setting = 'Community'), 0) AS com,
                             coalesce(sum(cost) FILTER (WHERE setting = 'Mental health'), 0) AS mh,
                             coalesce(sum(cost) FILTER (WHERE setting = 'Ambulance'), 0) AS amb,
                             coalesce(sum(cost) FILTER (WHERE setting = 'Primary care'), 0) AS pc
                      FROM demo.activity GROUP BY person_id) a USING (person_id)
           WHERE round(c.total_cost::numeric, 2) <> coalesce(a.total, 0)
              OR round(c.elective::numeric, 2) <> coalesce(a.el, 0)
              OR round(c.non_elective::numeric, 2) <> coalesce(a.nel, 0)
              OR round(c.outpatient::numeric, 2) <> coalesce(a.op, 0)
              OR round(c.ae::numeric, 2) <> coalesce(a.ae, 0)
              OR round(c.community::numeric, 2) <> coalesce(a.com, 0)
              OR round(c.mental_health::numeric, 2) <> coalesce(a.mh, 0)
              OR round(c.ambulance::numeric, 2) <> coalesce(a.amb, 0)
              OR round(c.primary_care::numeric, 2) <> coalesce(a.pc, 0)),
          0::bigint, 'person_cost equals sum(activity.cost) per person, total and each setting, to the penny');
SELECT is((SELECT sum(round(total_cost::numeric, 2)) FROM demo.person_cost),
          (SELECT sum(cost) FROM demo.activity),
          'person_cost total reconciles exactly with sum(activity.cost)');
SELECT ok((SELECT count(*) FILTER (WHERE total_cost = 0) > 0 FROM demo.person_cost),
          'zero-cost people are included');
SELECT ok((WITH r AS (SELECT total_cost, row_number() OVER (ORDER BY total_cost DESC) AS rn,
                             count(*) OVER () AS n FROM demo.person_cost)
           SELECT sum(total_cost) FILTER (WHERE rn <= 0.2 * n) / sum(total_cost) BETWEEN 0.70 AND 0.90
           FROM r),
          'the costliest 20% of people hold 70-90% of the cost');

-- Outcomes ------------------------------------------------------------------
SELECT is((SELECT count(*) FROM demo.person p FULL JOIN demo.outcome o USING (person_id)
           LEFT JOIN (SELECT person_id, count(*) AS n FROM demo.activity
                      WHERE setting = 'Non-elective' GROUP BY person_id) a USING (person_id)
           WHERE p.person_id IS NULL OR o.person_id IS NULL OR o.qol > 1 OR o.qol < -0.6
              OR o.emergency_admissions <> coalesce(a.n, 0)),
          0::bigint, 'one outcome per person, qol <= 1, emergency_admissions = non-elective activity count');
SELECT ok((SELECT sum(o.emergency_admissions) FILTER (WHERE imd_decile = 1)::float8
                  / count(*) FILTER (WHERE imd_decile = 1)
                > 1.5 * sum(o.emergency_admissions) FILTER (WHERE imd_decile = 10)::float8
                  / count(*) FILTER (WHERE imd_decile = 10)
           FROM demo.person p JOIN demo.outcome o USING (person_id)),
          'emergency admission rate in decile 1 is over 1.5x decile 10');

-- Determinism: a recorded checksum of the first 1000 people, their costs,
-- outcomes and activity. A change here must be a deliberate generator change.
SELECT is((SELECT md5(string_agg(concat_ws('|', p.person_id, p.nhs_number, p.practice_code, p.postcode,
                                           p.lsoa11_code, p.imd_decile, p.age, p.age_band, p.sex,
                                           p.segment, p.ltc_count, p.diabetes, p.copd, p.chd,
                                           p.dementia, p.cancer, p.died, c.total_cost, o.qol,
                                           o.emergency_admissions,
                                           (SELECT string_agg(concat_ws(',', a.activity_id, a.setting,
                                                                        a.activity_date, a.currency_code, a.cost),
                                                              ';' ORDER BY a.activity_id)
                                            FROM demo.activity a WHERE a.person_id = p.person_id)),
                                 E'\n' ORDER BY p.person_id))
           FROM demo.person p JOIN demo.person_cost c USING (person_id) JOIN demo.outcome o USING (person_id)
           WHERE p.person_id <= 1000),
          'fae6cb645a60b423f8507d737cd9a195',
          'checksum of the first 1000 people is the recorded one');

SELECT * FROM finish();
ROLLBACK;
