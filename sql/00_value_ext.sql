-- Installing value_ext: non-relocatable, into a schema the user picks.
SET client_min_messages = warning;
CREATE SCHEMA analytics;
CREATE EXTENSION value_ext SCHEMA analytics;
SELECT e.extname, e.extversion, n.nspname, e.extrelocatable
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname = 'value_ext';
-- relocating is refused: objects reference each other through @extschema@
ALTER EXTENSION value_ext SET SCHEMA public;
DROP EXTENSION value_ext;
DROP SCHEMA analytics;
-- the remaining tests use the extension in public
CREATE EXTENSION value_ext;
SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname = 'value_ext';
-- the SQL objects and the loaded library agree on the version
SELECT value_ext_library_version() = extversion AS versions_agree
FROM pg_extension WHERE extname = 'value_ext';
