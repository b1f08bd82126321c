-- test/platform/catalogue_snapshot.sql -- value_ext's catalogue as text, one
-- line per fact, sorted, for comparing two installs (test/platform/upgrade.sh:
-- a database updated from an earlier release must equal a fresh install).
-- Covers every member object of the extension: functions and aggregates
-- (full definition, privileges, comment), types (I/O functions, storage,
-- composite columns), tables and views (columns, defaults, constraints,
-- indexes, triggers, privileges, comment, row count) and the comment of
-- anything else. OIDs and the order of creation are left out. The members
-- are those of test/lib/extension_members.sql.
\ir ../lib/extension_members.sql
WITH ext AS (
    SELECT classid, objid FROM extension_members
), funcs AS (
    SELECT p.* FROM ext JOIN pg_proc p ON ext.classid = 'pg_proc'::regclass AND p.oid = ext.objid
), rels AS (
    SELECT c.* FROM ext JOIN pg_class c ON ext.classid = 'pg_class'::regclass AND c.oid = ext.objid
), types AS (
    SELECT t.* FROM ext JOIN pg_type t ON ext.classid = 'pg_type'::regclass AND t.oid = ext.objid
)
SELECT line FROM (
    -- plain and window functions: the whole CREATE statement
    SELECT format('function %s: %s', p.oid::regprocedure, pg_get_functiondef(p.oid)) AS line
    FROM funcs p WHERE p.prokind IN ('f', 'w', 'p')
    UNION ALL
    SELECT format('aggregate %s: returns %s; trans %s; combine %s; final %s (extra %s, modify %s); '
                  'serial %s; deserial %s; stype %s; initcond %s; strict %s; parallel %s; kind %s',
                  p.oid::regprocedure, pg_get_function_result(p.oid),
                  a.aggtransfn::regprocedure, a.aggcombinefn, a.aggfinalfn, a.aggfinalextra,
                  a.aggfinalmodify, a.aggserialfn, a.aggdeserialfn, a.aggtranstype::regtype,
                  a.agginitval, p.proisstrict, p.proparallel, a.aggkind)
    FROM funcs p JOIN pg_aggregate a ON a.aggfnoid = p.oid
    UNION ALL
    SELECT format('privileges %s: %s', p.oid::regprocedure, coalesce(p.proacl::text, 'default'))
    FROM funcs p
    UNION ALL
    SELECT format('type %s: kind %s, len %s, align %s, storage %s, in %s, out %s, recv %s, send %s, '
                  'category %s', t.oid::regtype, t.typtype, t.typlen, t.typalign, t.typstorage,
                  t.typinput, t.typoutput, t.typreceive, t.typsend, t.typcategory)
    FROM types t
    UNION ALL
    -- columns of tables, views and composite types
    SELECT format('column %s.%s: %s%s%s', c.oid::regclass, a.attname,
                  format_type(a.atttypid, a.atttypmod),
                  CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
                  coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), ''))
    FROM rels c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
    UNION ALL
    SELECT format('relation %s: kind %s, persistence %s, privileges %s, rows %s', c.oid::regclass,
                  c.relkind, c.relpersistence, coalesce(c.relacl::text, 'default'),
                  CASE WHEN c.relkind IN ('r', 'm') THEN
                      (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s',
                                                                  c.oid::regclass),
                                                           false, true, '')))[1]::text END)
    FROM rels c
    UNION ALL
    SELECT format('constraint %s.%s: %s', co.conrelid::regclass, co.conname,
                  pg_get_constraintdef(co.oid))
    FROM rels c JOIN pg_constraint co ON co.conrelid = c.oid
    UNION ALL
    SELECT format('index %s', pg_get_indexdef(i.indexrelid))
    FROM rels c JOIN pg_index i ON i.indrelid = c.oid
    UNION ALL
    SELECT format('trigger %s', pg_get_triggerdef(tg.oid))
    FROM rels c JOIN pg_trigger tg ON tg.tgrelid = c.oid AND NOT tg.tgisinternal
    UNION ALL
    SELECT format('view %s: %s', c.oid::regclass, pg_get_viewdef(c.oid))
    FROM rels c WHERE c.relkind IN ('v', 'm')
    UNION ALL
    -- every comment on a member object or one of its columns
    SELECT format('comment %s %s: %s', (pg_identify_object(ds.classoid, ds.objoid, ds.objsubid)).type,
                  (pg_identify_object(ds.classoid, ds.objoid, ds.objsubid)).identity, ds.description)
    FROM ext JOIN pg_description ds ON ds.classoid = ext.classid AND ds.objoid = ext.objid
    UNION ALL
    SELECT format('member %s', (pg_identify_object(ext.classid, ext.objid, 0)).identity)
    FROM ext
) facts
ORDER BY line;
