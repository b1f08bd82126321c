-- test/odbc/probe.sql -- one column of each PostgreSQL type in the README's
-- ODBC table ("Power BI, materialised views and restore"), so that
-- test/odbc/run.sh checks what psqlODBC reports for each, BI-plain or not,
-- against test/odbc/probe.tsv. Created and dropped by run.sh.
CREATE SCHEMA odbc_probe;
CREATE TYPE odbc_probe.pair AS (a int, b text);
CREATE VIEW odbc_probe.types AS
SELECT 1.5::numeric(18,2) AS money, 1.5::numeric AS numeric_plain, 1.5::float8 AS float8,
       1.5::real AS real, 1::int AS int4, 1::bigint AS int8, 1::smallint AS int2,
       'A89001'::varchar(10) AS varchar10, 'x'::varchar(255) AS varchar255,
       'x'::varchar(300) AS varchar300, 'x'::varchar AS varchar_plain, 'x'::text AS text,
       true AS boolean, date '2024-04-01' AS date, timestamp '2024-04-01 12:00' AS timestamp,
       interval '1 day' AS interval, ARRAY[1.5::float8] AS float8_array,
       ROW(1, 'x')::odbc_probe.pair AS composite, '{"a": 1}'::json AS json, '{"a": 1}'::jsonb AS jsonb;
