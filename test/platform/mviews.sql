-- test/platform/mviews.sql -- materialised views over test/platform/fixture.sql
-- that use every aggregate, window function and set-returning function of
-- value_ext (test/platform/mv_restore.sh fails when one is not used here),
-- each with a unique index on plain columns so REFRESH ... CONCURRENTLY works.
-- The extension lives in schema analytics, off the search_path: every call
-- is qualified, as a DBA's views would be.
CREATE SCHEMA mv;

-- Identifiers (50_nhs_number): valid and normalised NHS numbers per practice.
CREATE MATERIALIZED VIEW mv.practice_identifiers AS
SELECT p.practice_code,
       count(*) AS people,
       count(*) FILTER (WHERE analytics.nhs_number_is_valid(p.nhs_number)) AS valid_numbers,
       count(DISTINCT analytics.nhs_number_normalize(
           substr(p.nhs_number, 1, 3) || ' ' || substr(p.nhs_number, 4, 3) || ' '
           || substr(p.nhs_number, 7))) AS distinct_numbers
FROM fixture.person p
GROUP BY p.practice_code
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.practice_identifiers (practice_code);
