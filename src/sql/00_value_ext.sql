-- src/sql/00_value_ext.sql
-- The install script is the concatenation of src/sql/NN_*.sql in order
-- (see Makefile). Each file owns one concept; every reference to another
-- value_ext object is written @extschema@.name, every built-in
-- pg_catalog.name, so the objects work with any search_path (pg_restore
-- refreshes materialised views with an empty one).

CREATE FUNCTION @extschema@.value_ext_library_version()
RETURNS text
AS 'MODULE_PATHNAME', 'value_ext_library_version'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.value_ext_library_version() IS
'Version of the loaded value_ext shared library; compare with pg_extension.extversion after an upgrade';
