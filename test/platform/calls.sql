-- test/platform/calls.sql -- one call of every user function of value_ext,
-- qualified with its schema `analytics`, run by test/platform/schema_smoke.sh
-- with search_path = '' (only pg_catalog is searched). Each call is a view in
-- schema `calls`, so the test finds through pg_depend exactly which function
-- (which overload) each one calls, and fails when a user function of
-- test/platform/user_objects.sql has no call here.
--
-- A call for a function that has not landed yet is wrapped in
--   SELECT to_regprocedure('analytics.f(argtypes)') IS NOT NULL AS present \gset
--   \if :present ... \endif
-- so it starts counting the moment the function exists with that signature.
CREATE SCHEMA calls;

-- 00_core
CREATE VIEW calls.value_ext_library_version AS
SELECT analytics.value_ext_library_version() AS v;

-- 50_nhs_number
CREATE VIEW calls.nhs_number_is_valid AS
SELECT analytics.nhs_number_is_valid('943 476 5919') AS v;
CREATE VIEW calls.nhs_number_normalize AS
SELECT analytics.nhs_number_normalize('943-476-5919') AS v;
