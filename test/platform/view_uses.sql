-- test/platform/view_uses.sql -- what each view and materialised view uses,
-- from the dependencies of its rewrite rule (pg_depend), as the TEMP VIEW
--   view_uses (view oid, classid oid, objid oid)
-- one row per object used: functions (classid pg_proc), relations
-- (pg_class; the view itself left out), types, ... Shared by the coverage
-- checks of test/platform/mv_restore.sh (materialised views) and
-- schema_smoke.sh (the views of schema calls, and what they read).
CREATE OR REPLACE TEMP VIEW view_uses AS
SELECT r.ev_class AS view, d.refclassid AS classid, d.refobjid AS objid
FROM pg_catalog.pg_rewrite r
JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = r.oid
WHERE NOT (d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = r.ev_class);
