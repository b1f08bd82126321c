-- test/demo/report/10_deprivation.sql -- who lives where, deprivation-wise:
-- every registered person's postcode -> LSOA 2011 -> IMD decile, inside the
-- database (postcode_normalize, load_postcode_lookup,
-- imd_decile_for_postcode, is_core20), then population and cost by national
-- IMD decile and by Core20 status. The postcode lookup is the real ONS NSPL
-- (November 2021) for postcode area SR, loaded with load_postcode_lookup.
\pset null ''

\echo
\echo '== Deprivation: population and cost by national IMD decile (value_ext 10_deprivation)'
\echo

-- the server reads the lookup file: hand it the SR NSPL byte for byte
-- (written into the data directory, which the server resolves relative paths against)
CREATE TEMP TABLE demo_nspl_lines (ord bigserial, line text);
\copy demo_nspl_lines (line) FROM 'test/data/NSPL_NOV_2021_UK_SR.csv'
DO $$
DECLARE o oid;
BEGIN
    o := lo_from_bytea(0, convert_to((SELECT string_agg(line, E'\n' ORDER BY ord) || E'\n'
                                      FROM demo_nspl_lines), 'UTF8'));
    PERFORM lo_export(o, 'value_ext_demo_nspl_sr.csv');
    PERFORM lo_unlink(o);
END $$;
SELECT format('Loaded %s SR postcodes (NSPL November 2021, terminated ones included) with load_postcode_lookup.',
              to_char(load_postcode_lookup('value_ext_demo_nspl_sr.csv'), 'FM999,999')) AS postcode_lookup;

\echo
\echo 'Postcodes as they arrive, and what the database makes of them'
SELECT raw AS "as typed", postcode_normalize(raw) AS normalised,
       lsoa_for_postcode(raw) AS lsoa11, imd_decile_for_postcode(raw) AS imd2019_decile
FROM (VALUES ('sr1 1aa'), ('SR2  7JR'), (U&'SR8\00A01AA'), (U&'\FF33\FF32\FF13\3000\FF14\FF21\FF24'),
             ('SR1-1AA'), ('SR99 9ZZ')) v(raw);

CREATE TEMP TABLE demo_dep AS
SELECT p.person_id, imd_decile_for_postcode(p.postcode) AS decile,
       imd_decile_for_postcode(p.postcode, 2025) AS decile2025,
       p.imd_decile AS generator_decile, c.total_cost
FROM demo.person p JOIN demo.person_cost c USING (person_id);

\echo
\echo 'Coverage: every person resolved from their postcode, checked against the demo generator'
SELECT to_char(count(*), 'FM999,999') AS persons,
       to_char(count(decile), 'FM999,999') AS resolved,
       to_char(count(*) FILTER (WHERE decile = generator_decile), 'FM999,999') AS same_as_generator,
       to_char(count(decile2025), 'FM999,999') AS resolved_2025
FROM demo_dep;

\echo
\echo 'Population and cost by national IMD 2019 decile (1 = most deprived 10% of England)'
SELECT decile AS imd_decile, CASE WHEN is_core20(decile) THEN 'Core20' ELSE '' END AS core20,
       to_char(count(*), 'FM999,999') AS persons,
       to_char(100.0 * count(*) / sum(count(*)) OVER (), 'FM990.0') AS pct_persons,
       to_char(sum(total_cost), 'FM999,999,999') AS total_cost,
       to_char(100.0 * sum(total_cost) / sum(sum(total_cost)) OVER (), 'FM990.0') AS pct_cost,
       to_char(avg(total_cost), 'FM999,990') AS cost_per_person
FROM demo_dep WHERE decile IS NOT NULL
GROUP BY decile ORDER BY decile;

\echo
\echo 'Core20 (national IMD deciles 1-2) against everyone else'
WITH g AS (
    SELECT CASE WHEN is_core20(decile) THEN 'Core20' ELSE 'Rest' END AS grp,
           count(*) AS persons, sum(total_cost) AS cost
    FROM demo_dep WHERE decile IS NOT NULL GROUP BY 1
)
SELECT grp AS population, to_char(persons, 'FM999,999') AS persons,
       to_char(100.0 * persons / sum(persons) OVER (), 'FM990.0') AS pct_persons,
       to_char(cost, 'FM999,999,999') AS total_cost,
       to_char(100.0 * cost / sum(cost) OVER (), 'FM990.0') AS pct_cost,
       to_char(cost / persons, 'FM999,990') AS cost_per_person,
       to_char((cost / persons) / (sum(cost) OVER () / sum(persons) OVER ()), 'FM0.00') AS vs_average
FROM g ORDER BY grp;

\echo
\echo 'IMD 2019 against IMD 2025 (2025 through the ONS LSOA 2011 -> 2021 lookup; split LSOAs whose parts differ stay unassigned)'
SELECT CASE WHEN is_core20(decile) THEN 'Core20 in 2019' ELSE 'not Core20 in 2019' END AS imd2019,
       to_char(count(*) FILTER (WHERE is_core20(decile2025)), 'FM999,999') AS core20_in_2025,
       to_char(count(*) FILTER (WHERE NOT is_core20(decile2025)), 'FM999,999') AS not_core20_in_2025,
       to_char(count(*) FILTER (WHERE decile2025 IS NULL), 'FM999,999') AS unassigned_2025
FROM demo_dep WHERE decile IS NOT NULL
GROUP BY 1 ORDER BY 1;

DROP TABLE demo_dep, demo_nspl_lines;
