-- test/catalogue.sql -- catalogue hygiene for every object value_ext owns.
-- Rules: ../shared/docs/platform.md ("Aggregates that scale out", "Materialised
-- views and restore") and the developers' brief "Standards". Generic: each
-- check reads pg_proc / pg_aggregate / pg_type / pg_class for the objects
-- that depend on the extension (test/lib/extension_members.sql), so it
-- covers functions as they land.
-- The two explicit lists below (functions that write, C functions that read
-- tables) are the only places to edit when such a function is added.
BEGIN;
SELECT plan(18);
\ir lib/extension_members.sql

CREATE TEMP VIEW ext_procs AS
SELECT p.oid, p.oid::regprocedure::text AS sig, p.proname, p.prokind, p.proparallel,
       p.provolatile, p.prosecdef, p.proargtypes, p.prorettype, p.prolang,
       p.prosrc, p.prosqlbody IS NOT NULL AS atomic_body,
       l.lanname
FROM pg_proc p
JOIN pg_language l ON l.oid = p.prolang
JOIN extension_members m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid;

CREATE TEMP VIEW ext_rels AS
SELECT c.oid, c.relname, c.relkind
FROM pg_class c
JOIN extension_members m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid;

CREATE TEMP VIEW ext_types AS
SELECT t.oid, t.typname, t.typtype, t.typsend, t.typreceive
FROM pg_type t
JOIN extension_members m ON m.classid = 'pg_type'::regclass AND m.objid = t.oid;

-- Functions that change data (and so are VOLATILE, never PARALLEL SAFE):
-- loaders of reference data. Name only: overloads behave alike.
CREATE TEMP TABLE writing_functions(proname name);
INSERT INTO writing_functions VALUES ('value_ext_load_refdata'), ('load_postcode_lookup');

-- C functions that read a table (through SPI or a cached copy): STABLE,
-- since their answer changes when the table does. (SQL functions are
-- checked from their bodies below.) By signature: overloads differ.
CREATE TEMP TABLE table_reading_c_functions(sig text);
INSERT INTO table_reading_c_functions VALUES
    ('imd_decile(text,integer)'), ('imd_rank(text,integer)'), ('imd_score(text,integer)'),
    ('imd_decile_for_postcode(text,integer)'), ('lsoa_for_postcode(text,integer)');

-- Aggregates: what parallel query and Citus need ---------------------------
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
    SELECT x.sig FROM ext_procs x JOIN pg_type ty ON ty.oid = x.prorettype
    WHERE x.prokind = 'a' AND ty.typtype = 'p'
$$, 'no aggregate returns a polymorphic or pseudo-type');

SELECT is_empty($$
    SELECT x.sig FROM ext_procs x JOIN pg_aggregate a ON a.aggfnoid = x.oid
    WHERE a.aggkind <> 'n'
$$, 'no ordered-set or hypothetical-set aggregate (WITHIN GROUP does not scale out on Citus)');

SELECT is_empty($$
    SELECT x.sig FROM ext_procs x JOIN pg_aggregate a ON a.aggfnoid = x.oid
    WHERE a.aggfinalmodify <> 'r' OR a.aggmfinalmodify <> 'r'
$$, 'every aggregate''s final function leaves the state alone (FINALFUNC_MODIFY = READ_ONLY: window use calls it again)');

SELECT is_empty($$
    SELECT x.sig || ' -> ' || f.oid::regprocedure::text
    FROM ext_procs x JOIN pg_aggregate a ON a.aggfnoid = x.oid
    JOIN pg_proc f ON f.oid IN (a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
                                a.aggserialfn, a.aggdeserialfn)
    WHERE f.proparallel <> 's'
$$, 'every aggregate support function is PARALLEL SAFE (the C code honours the label)');

SELECT is_empty($$
    SELECT ty.oid::regtype::text FROM ext_types ty
    WHERE ty.typtype = 'b' AND (ty.typsend = 0 OR ty.typreceive = 0)
$$, 'every base type of value_ext has binary send and receive functions');

-- Safety -------------------------------------------------------------------
SELECT is_empty($$
    SELECT sig FROM ext_procs WHERE prosecdef
$$, 'no function is SECURITY DEFINER');

SELECT is_empty($$
    SELECT sig FROM ext_procs WHERE prokind IN ('f', 'w') AND proparallel = 'u'
$$, 'no function is PARALLEL UNSAFE (one unsafe function makes a whole query, or MV refresh, serial)');

SELECT is_empty($$
    SELECT x.sig FROM ext_procs x
    WHERE x.provolatile = 'v'
      AND x.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
      AND x.proname NOT IN (SELECT proname FROM writing_functions)
$$, 'VOLATILE only for the functions that write (the default volatility is a forgotten label)');

SELECT is_empty($$
    SELECT x.sig FROM ext_procs x
    WHERE x.proname IN (SELECT proname FROM writing_functions)
      AND (x.provolatile <> 'v' OR x.proparallel = 's')
$$, 'functions that write are VOLATILE and not PARALLEL SAFE');

-- Honest volatility: a function whose answer depends on a table is not
-- IMMUTABLE. SQL and PL/pgSQL bodies: a FROM/JOIN target that is a relation;
-- BEGIN ATOMIC bodies: their recorded dependencies on relations.
SELECT is_empty($$
    SELECT DISTINCT x.sig || ' reads ' || m[1] FROM ext_procs x,
        LATERAL regexp_matches(x.prosrc,
            '\m(?:from|join)\s+((?:"?[A-Za-z_][A-Za-z0-9_$]*"?\.)?"?[A-Za-z_][A-Za-z0-9_$]*"?)(?!\s*\()',
            'gi') m
    WHERE x.provolatile = 'i' AND x.lanname IN ('sql', 'plpgsql') AND NOT x.atomic_body
      AND to_regclass(m[1]) IS NOT NULL
    UNION ALL
    SELECT x.sig || ' reads ' || d.refobjid::regclass::text FROM ext_procs x
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = x.oid
     AND d.refclassid = 'pg_class'::regclass
    JOIN pg_class c ON c.oid = d.refobjid AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
    WHERE x.provolatile = 'i' AND x.atomic_body
$$, 'no SQL or PL/pgSQL function that reads a table is IMMUTABLE');

SELECT is_empty($$
    SELECT x.sig FROM ext_procs x
    WHERE x.sig IN (SELECT sig FROM table_reading_c_functions) AND x.provolatile = 'i'
$$, 'the C functions that read tables are STABLE, not IMMUTABLE');

-- Restore runs with an empty search_path: inside SQL and PL/pgSQL bodies,
-- every reference to another value_ext object is schema-qualified.
SELECT is_empty($$
    SELECT DISTINCT x.sig || ' names ' || o.name || ' unqualified' FROM ext_procs x
    JOIN (SELECT proname::text AS name, '(^|[^.\w"])' || proname || '\s*\(' AS pattern
          FROM ext_procs
          UNION
          SELECT relname::text, '\m(from|join|into|update|table)\s+' || relname || '\M'
          FROM ext_rels
          UNION
          SELECT typname::text, '(::\s*|\mas\s+)' || typname || '\M'
          FROM ext_types) o ON x.prosrc ~* o.pattern
    WHERE x.lanname IN ('sql', 'plpgsql') AND NOT x.atomic_body
$$, 'SQL and PL/pgSQL bodies reference value_ext objects only schema-qualified (@extschema@.name)');

-- Documentation in the catalogue -------------------------------------------
SELECT is_empty($$
    SELECT sig FROM ext_procs x
    WHERE obj_description(x.oid, 'pg_proc') IS NULL
      AND NOT EXISTS (SELECT 1 FROM pg_type t
                      WHERE t.typinput = x.oid OR t.typoutput = x.oid
                         OR t.typreceive = x.oid OR t.typsend = x.oid)
$$, 'every function and aggregate has a COMMENT (type I/O functions excepted)');

SELECT is_empty($$
    SELECT c.oid::regclass::text FROM ext_rels c
    WHERE c.relkind IN ('r', 'v', 'm', 'c') AND obj_description(c.oid, 'pg_class') IS NULL
$$, 'every table, view and composite type has a COMMENT');

SELECT is_empty($$
    SELECT ty.oid::regtype::text FROM ext_types ty
    WHERE obj_description(ty.oid, 'pg_type') IS NULL
      AND NOT EXISTS (SELECT 1 FROM ext_rels c WHERE c.relkind = 'c'
                        AND c.relname = ty.typname AND obj_description(c.oid, 'pg_class') IS NOT NULL)
$$, 'every type has a COMMENT');

SELECT * FROM finish();
ROLLBACK;
