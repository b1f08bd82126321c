-- test/platform/user_objects.sql -- the objects of value_ext that users call or
-- read, one row each: kind, name, signature, oid, as the TEMP VIEW
-- user_objects (psql -f this file, then read the view). Shared by the checks
-- that must cover all of them (README lockstep, the non-default-schema smoke
-- test). Built on the members of the extension, test/lib/extension_members.sql.
--
-- The rule for what is NOT a user object (documented in the README,
-- "Power BI, materialised views and restore"): a type's I/O and typmod
-- functions, an aggregate's support functions (transition, final, combine,
-- serial, deserial, moving-aggregate), and functions returning trigger or
-- event_trigger are called by the server, not by users; functions and tables
-- whose COMMENT begins "Internal" are used only by the install script (and
-- are not granted to PUBLIC). Array types and the row types of tables are
-- not listed separately.
\ir ../lib/extension_members.sql
CREATE OR REPLACE TEMP VIEW user_objects AS
WITH support AS (
    SELECT unnest(ARRAY[typinput, typoutput, typreceive, typsend, typmodin, typmodout,
                        typanalyze, typsubscript])::oid AS oid FROM pg_type
    UNION
    SELECT unnest(ARRAY[aggtransfn, aggfinalfn, aggcombinefn, aggserialfn, aggdeserialfn,
                        aggmtransfn, aggminvtransfn, aggmfinalfn])::oid FROM pg_aggregate
)
SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window function'
                      WHEN 'p' THEN 'procedure' ELSE 'function' END AS kind,
       p.proname::text AS name, p.oid::regprocedure::text AS signature, p.oid
FROM extension_members ext JOIN pg_proc p ON ext.classid = 'pg_proc'::regclass AND p.oid = ext.objid
WHERE p.oid NOT IN (SELECT oid FROM support WHERE oid <> 0)
  AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
  AND coalesce(obj_description(p.oid, 'pg_proc'), '') NOT LIKE 'Internal%'
UNION ALL
SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                      WHEN 'c' THEN 'type' ELSE 'relation' END,
       c.relname::text, c.oid::regclass::text, c.oid
FROM extension_members ext JOIN pg_class c ON ext.classid = 'pg_class'::regclass AND c.oid = ext.objid
WHERE c.relkind IN ('r', 'v', 'm', 'c', 'p', 'f')
  AND coalesce(obj_description(c.oid, 'pg_class'), '') NOT LIKE 'Internal%'
UNION ALL
SELECT 'type', t.typname::text, t.oid::regtype::text, t.oid
FROM extension_members ext JOIN pg_type t ON ext.classid = 'pg_type'::regclass AND t.oid = ext.objid
WHERE t.typtype IN ('b', 'd', 'e', 'r', 'm', 'c');
