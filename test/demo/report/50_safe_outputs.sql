-- test/demo/report/50_safe_outputs.sql -- safe outputs for sharing across
-- organisations (README "Safe outputs"): the segment x IMD decile table of the
-- demo place as it would be published, and a pseudonymised extract.
SET search_path = public;

\echo
\echo '== Safe outputs: registered people by segment and IMD 2019 decile, as published'
\echo '   NHS Digital rule (sdc_label): 0 stays 0, 1-7 -> *, others to the nearest 5;'
\echo '   totals are rounded from the unrounded sums, so rows need not add up.'
WITH segments(segment, ord) AS (
    SELECT s, o FROM unnest(ARRAY['Healthy well', 'Maternity', 'Long-term conditions',
                                  'Disability', 'Cancer', 'Frailty and dementia',
                                  'End of life']) WITH ORDINALITY t(s, o)
), counts AS (
    -- every (segment, decile) cell, empty ones included, plus the margins
    SELECT s.segment, s.ord, d.imd_decile, count(p.person_id) AS people
    FROM segments s CROSS JOIN generate_series(1, 10) d(imd_decile)
    LEFT JOIN demo.person p ON p.segment = s.segment AND p.imd_decile = d.imd_decile
    GROUP BY GROUPING SETS ((s.segment, s.ord, d.imd_decile), (s.segment, s.ord),
                            (d.imd_decile), ())
)
SELECT coalesce(segment, 'All segments') AS segment,
       max(sdc_label(people)) FILTER (WHERE imd_decile = 1) AS "1 most deprived",
       max(sdc_label(people)) FILTER (WHERE imd_decile = 2) AS "2",
       max(sdc_label(people)) FILTER (WHERE imd_decile = 3) AS "3",
       max(sdc_label(people)) FILTER (WHERE imd_decile = 4) AS "4",
       max(sdc_label(people)) FILTER (WHERE imd_decile = 5) AS "5",
       max(sdc_label(people)) FILTER (WHERE imd_decile = 6) AS "6",
       max(sdc_label(people)) FILTER (WHERE imd_decile = 7) AS "7",
       max(sdc_label(people)) FILTER (WHERE imd_decile = 8) AS "8",
       max(sdc_label(people)) FILTER (WHERE imd_decile = 9) AS "9",
       max(sdc_label(people)) FILTER (WHERE imd_decile = 10) AS "10 least deprived",
       max(sdc_label(people)) FILTER (WHERE imd_decile IS NULL) AS "all deciles"
FROM counts
GROUP BY segment, ord
ORDER BY ord NULLS LAST;

\echo
\echo '== Share of each segment living in the two most deprived deciles (sdc_percentage:'
\echo '   from the rounded counts; 1 decimal place only when the rounded denominator >= 4,000)'
SELECT p.segment,
       sdc_label(count(*)) AS people,
       sdc_label(count(*) FILTER (WHERE p.imd_decile <= 2)) AS "in deciles 1-2",
       sdc_percentage(count(*) FILTER (WHERE p.imd_decile <= 2), count(*),
                      digits => CASE WHEN sdc_round(count(*)) >= 4000 THEN 1 ELSE 0 END)
           AS "% in deciles 1-2"
FROM demo.person p
GROUP BY p.segment
ORDER BY array_position(ARRAY['Healthy well', 'Maternity', 'Long-term conditions', 'Disability',
                              'Cancer', 'Frailty and dementia', 'End of life'], p.segment);

\echo
\echo '== The same rule where numbers are small: people by segment in the 8 smallest practices'
SELECT p.practice_code,
       sdc_label(count(*) FILTER (WHERE p.segment = 'Healthy well')) AS "Healthy well",
       sdc_label(count(*) FILTER (WHERE p.segment = 'Maternity')) AS "Maternity",
       sdc_label(count(*) FILTER (WHERE p.segment = 'Long-term conditions')) AS "Long-term conditions",
       sdc_label(count(*) FILTER (WHERE p.segment = 'Disability')) AS "Disability",
       sdc_label(count(*) FILTER (WHERE p.segment = 'Cancer')) AS "Cancer",
       sdc_label(count(*) FILTER (WHERE p.segment = 'Frailty and dementia')) AS "Frailty and dementia",
       sdc_label(count(*) FILTER (WHERE p.segment = 'End of life')) AS "End of life",
       sdc_label(count(*)) AS "all segments"
FROM demo.person p
WHERE p.practice_code IN (SELECT practice_code FROM demo.person
                          GROUP BY practice_code ORDER BY count(*), practice_code LIMIT 8)
GROUP BY p.practice_code
ORDER BY count(*), p.practice_code;

\echo
\echo '== What the rule did, by level of detail'
WITH cells AS (
    SELECT 'segment x IMD decile' AS level, count(*) AS people
    FROM demo.person GROUP BY segment, imd_decile
    UNION ALL
    SELECT 'practice x segment', count(*)
    FROM demo.person GROUP BY practice_code, segment
    UNION ALL
    SELECT 'practice x segment x IMD decile', count(*)
    FROM demo.person GROUP BY practice_code, segment, imd_decile
)
SELECT level, count(*) AS non_empty_cells,
       count(*) FILTER (WHERE sdc_round(people) IS NULL) AS suppressed,
       sum(people) AS true_total,
       sdc_round(sum(people)::bigint) AS published_total,
       sum(sdc_round(people)) AS sum_of_published_cells,
       max(abs(sdc_round(people) - people)) AS largest_rounding_change
FROM cells
GROUP BY level
ORDER BY count(*);

\echo
\echo '== A pseudonymised extract (5 rows) for linking with another provider'
\echo '   DEMO KEY ONLY: sha256 of a public sentence -- anyone can recompute it.'
\echo '   Real extracts use the server key file: pseudonymise_nhs_number(nhs_number).'
SELECT p.nhs_number AS "nhs_number (stays here)",
       pseudonymise_nhs_number(p.nhs_number,
           sha256(convert_to('value_ext demo key - public, never use for real data', 'UTF8')))
           AS "pseudonym (shared)",
       pseudonymise_nhs_number(substr(p.nhs_number, 1, 3) || ' ' || substr(p.nhs_number, 4, 3)
                               || ' ' || substr(p.nhs_number, 7),
           sha256(convert_to('value_ext demo key - public, never use for real data', 'UTF8')))
       = pseudonymise_nhs_number(p.nhs_number,
           sha256(convert_to('value_ext demo key - public, never use for real data', 'UTF8')))
           AS "same from 'DDD DDD DDDD'",
       p.practice_code, p.age_band, p.sex, p.segment, p.imd_decile
FROM demo.person p
ORDER BY p.person_id
LIMIT 5;
