-- test/lib/extension_members.sql -- the one catalogue query for "the objects
-- of the extension value_ext": every object that belongs to it (pg_depend,
-- deptype 'e', on pg_extension value_ext), as the TEMP VIEW
--   extension_members (classid oid, objid oid)
-- Shared by every test that lists the extension's members: pgTAP
-- (test/catalogue.sql), the platform checks (test/platform/user_objects.sql,
-- catalogue_snapshot.sql, mv_restore.sh, schema_smoke.sh), the adversarial
-- stage (test/adversarial/setup.sql, generate.sql) and the cancel bench.
-- Include it in the session: \ir from a psql script (e.g. \ir lib/extension_members.sql
-- in test/*.sql, \ir ../lib/extension_members.sql one level down), or
-- psql -f test/lib/extension_members.sql -f ... from a shell script. Join:
--   JOIN extension_members m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
-- A temporary view lasts as long as the session; a permanent view cannot
-- read it (copy what you need into a table instead).
CREATE OR REPLACE TEMP VIEW extension_members AS
SELECT d.classid, d.objid
FROM pg_catalog.pg_depend d
JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'value_ext'
WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.deptype = 'e';
