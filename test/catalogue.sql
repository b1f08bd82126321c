-- test/catalogue.sql -- catalogue hygiene for every object value_ext owns.
-- Rules: ../shared/docs/platform.md ("Aggregates that scale out", "Materialised
-- views and restore") and DEVELOPERS.md "Standards".
BEGIN;
SELECT plan(7);

CREATE TEMP VIEW ext_procs AS
SELECT p.oid, p.oid::regprocedure::text AS sig, p.prokind, p.proparallel,
       p.provolatile, p.prosecdef, p.proargtypes, p.prorettype
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
  AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'value_ext';

SELECT is_empty($$
    SELECT sig FROM ext_procs WHERE prokind = 'a' AND proparallel <> 's'
$$, 'every aggregate is PARALLEL SAFE');

SELECT is_empty($$
    SELECT x.sig FROM ext_procs x JOIN pg_aggregate a ON a.aggfnoid = x.oid
    WHERE a.aggcombinefn = 0 OR a.aggtranstype = 'internal'::regtype
$$, 'every aggregate has a combine function and a real (non-internal) state type');

SELECT is_empty($$
    SELECT x.sig FROM ext_procs x
    WHERE x.prokind = 'a' AND EXISTS (
        SELECT 1 FROM unnest(x.proargtypes::oid[]) t(oid)
        JOIN pg_type ty ON ty.oid = t.oid WHERE ty.typtype = 'p')
$$, 'no aggregate takes a polymorphic or pseudo-type argument');

SELECT is_empty($$
    SELECT sig FROM ext_procs WHERE prosecdef
$$, 'no function is SECURITY DEFINER');

SELECT is_empty($$
    SELECT sig FROM ext_procs x
    WHERE obj_description(x.oid, 'pg_proc') IS NULL
      AND NOT EXISTS (SELECT 1 FROM pg_type t
                      WHERE t.typinput = x.oid OR t.typoutput = x.oid
                         OR t.typreceive = x.oid OR t.typsend = x.oid)
$$, 'every function and aggregate has a COMMENT (type I/O functions excepted)');

SELECT is_empty($$
    SELECT c.oid::regclass::text FROM pg_class c
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
      AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'value_ext'
    WHERE c.relkind IN ('r', 'v', 'm', 'c') AND obj_description(c.oid, 'pg_class') IS NULL
$$, 'every table, view and composite type has a COMMENT');

SELECT is_empty($$
    SELECT sig FROM ext_procs WHERE prokind IN ('f', 'w') AND proparallel = 'u'
$$, 'no function is PARALLEL UNSAFE');

SELECT * FROM finish();
ROLLBACK;
