-- src/sql/02_refdata.sql
-- Reference data (C in src/refdata.c): the loader of the CSV files bundled
-- with value_ext, which the install-script pieces after this one call to
-- fill their tables at CREATE EXTENSION, and the trigger that keeps the
-- lookups' backend caches in step with the tables they read.

-- Copies one bundled CSV file (by its file name, nothing else is readable
-- through it) into a table. Used by install scripts only: no PUBLIC execute.
-- PARALLEL RESTRICTED rather than UNSAFE (the catalogue rule): it writes, but
-- only ever runs alone in the leader, and PostgreSQL refuses the COPY with an
-- error, never silently, if it were called inside a parallel plan.
CREATE FUNCTION @extschema@.value_ext_load_refdata(target regclass, file text)
RETURNS bigint
AS 'MODULE_PATHNAME', 'value_ext_load_refdata'
LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;

REVOKE ALL ON FUNCTION @extschema@.value_ext_load_refdata(regclass, text) FROM PUBLIC;

COMMENT ON FUNCTION @extschema@.value_ext_load_refdata(regclass, text) IS
'Internal: copy a CSV file bundled with value_ext (by file name) into a table; used by the install script';

-- Statement trigger on the cached tables: whatever changes them (a superuser
-- editing a reference table, load_postcode_lookup, a restore) makes every
-- backend drop its cached copy at commit.
CREATE FUNCTION @extschema@.value_ext_refdata_changed()
RETURNS trigger
AS 'MODULE_PATHNAME', 'value_ext_refdata_changed'
LANGUAGE C PARALLEL RESTRICTED;

COMMENT ON FUNCTION @extschema@.value_ext_refdata_changed() IS
'Internal trigger: invalidates the backend caches of value_ext lookup tables when their rows change';
