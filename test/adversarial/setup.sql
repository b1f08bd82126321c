-- test/adversarial/setup.sql -- the fixtures of the adversarial stage, run as
-- a superuser in the stage's database (test/adversarial/run.sh). Owns:
--   * the unprivileged login role value_ext_adversary (NOSUPERUSER; its
--     statement_timeout is set on the role: :timeout)
--   * schema adv (replaced): the small tables the aggregates and window
--     functions read (adv.data, one dataset per value of ds), the edge
--     corpus chosen by argument type (adv.corpus), and one "state of"
--     aggregate per aggregate of value_ext (the same transition function and
--     initial state, no final function: it returns the raw state, which the
--     state fuzzing mutates).
-- Nothing here names a value_ext function: what is called comes from the
-- catalogue (test/adversarial/generate.sql).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\ir ../lib/extension_members.sql

SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'value_ext_adversary') AS need_role \gset
\if :need_role
CREATE ROLE value_ext_adversary LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
\endif
ALTER ROLE value_ext_adversary NOSUPERUSER;
ALTER ROLE value_ext_adversary SET statement_timeout = :'timeout';
ALTER ROLE value_ext_adversary SET idle_in_transaction_session_timeout = '60s';

DROP SCHEMA IF EXISTS adv CASCADE;
CREATE SCHEMA adv;
GRANT USAGE ON SCHEMA adv TO value_ext_adversary;

-- Datasets: name, whether every value in it is finite and non-NULL (then a
-- NaN or Infinity in a result is a failure), and what it is for.
CREATE TABLE adv.datasets (ds text PRIMARY KEY, finite boolean NOT NULL, about text NOT NULL);
INSERT INTO adv.datasets VALUES
    ('empty',      true,  'no rows'),
    ('one',        true,  'one typical row'),
    ('two',        true,  'two typical rows'),
    ('k1000',      true,  '1,000 typical rows'),
    ('allnull',    false, 'three rows, every column NULL'),
    ('mixed',      false, 'NULL, NaN, +-Infinity, +-0, +-1e308, 5e-324, integer limits, odd text'),
    ('huge',       true,  'five rows, every float 1e308'),
    ('huge_first', true,  'five rows, the first float column 1e308, the rest typical'),
    ('spread3',    true,  'first float column 1e308, 1, 2'),
    ('same3',      true,  'first float column 10, 10, 10'),
    ('tiny',       true,  'four rows, every float 5e-324'),
    ('negative',   true,  'five rows, typical values negated'),
    ('zeros',      true,  'four rows, every number 0');

-- fillfactor 10: a few rows per page, so a parallel scan hands rows to both
-- workers and the leader (partial states are then really combined).
CREATE TABLE adv.data (
    ds text NOT NULL, id int NOT NULL,
    f1 float8, f2 float8, f3 float8, f4 float8, f5 float8, f6 float8, f7 float8, f8 float8,
    i1 int, i2 int, i3 int, g1 bigint, t1 text, t2 text, b1 boolean
) WITH (fillfactor = 10);

-- Typical rows: f1 a small count, f2 a larger denominator, f3 a standard
-- population, f4..f8 moderate values; i1 a quantile 1..10, i2 a life-table
-- band start, i3 0..4; t1 an age band label, t2 a short word; b1 alternates.
CREATE FUNCTION adv.typical(ds text, n int) RETURNS SETOF adv.data LANGUAGE sql AS $$
    SELECT ds, id,
           (id % 13)::float8, (id % 13 + 10 + id % 97)::float8, (1000 + (id % 7) * 100)::float8,
           (1 + id % 3)::float8, (0.5 + (id % 11) / 10.0)::float8, (id % 5 + 1)::float8 * 2.5,
           (100 + id % 29)::float8, (id % 17)::float8 / 17,
           1 + id % 10,
           (ARRAY[0,1,5,10,15,20,25,30,35,40,45,50,55,60,65,70,75,80,85,90])[1 + id % 20],
           id % 5, id::bigint,
           (ARRAY['0-4','5-9','10-14','15-19','20-24','25-29','30-34','35-39','40-44','45-49',
                  '50-54','55-59','60-64','65-69','70-74','75-79','80-84','85-89','90+'])[1 + id % 19],
           (ARRAY['a','b','c'])[1 + id % 3], id % 2 = 0
    FROM generate_series(1, n) id
$$;
INSERT INTO adv.data SELECT * FROM adv.typical('one', 1);
INSERT INTO adv.data SELECT * FROM adv.typical('two', 2);
INSERT INTO adv.data SELECT * FROM adv.typical('k1000', 1000);
INSERT INTO adv.data (ds, id) SELECT 'allnull', g FROM generate_series(1, 3) g;
INSERT INTO adv.data
SELECT 'mixed', id, v[1 + (id) % 12], v[1 + (id + 1) % 12], v[1 + (id + 2) % 12], v[1 + (id + 3) % 12],
       v[1 + (id + 4) % 12], v[1 + (id + 5) % 12], v[1 + (id + 6) % 12], v[1 + (id + 7) % 12],
       iv[1 + id % 6], iv[1 + (id + 1) % 6], iv[1 + (id + 2) % 6], gv[1 + id % 5],
       tv[1 + id % 6], tv[1 + (id + 3) % 6], (ARRAY[NULL, true, false])[1 + id % 3]
FROM generate_series(1, 12) id,
     (SELECT ARRAY[NULL, 'NaN', 'Infinity', '-Infinity', '0', '-0', '1e308', '-1e308', '5e-324',
                   '1', '-1', '10']::float8[] AS v,
             ARRAY[NULL, 0, -1, 2147483647, -2147483648, 3]::int[] AS iv,
             ARRAY[NULL, 0, -1, 9223372036854775807, -9223372036854775808]::bigint[] AS gv,
             ARRAY[NULL, '', ' ', '90+', 'ünïcødé', 'E01000001']::text[] AS tv) c;
INSERT INTO adv.data
SELECT 'huge', id, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308, i1, i2, i3, g1, t1, t2, b1
FROM adv.typical('huge', 5);
INSERT INTO adv.data
SELECT ds, id, 1e308, f2, f3, f4, f5, f6, f7, f8, i1, i2, i3, g1, t1, t2, b1
FROM adv.typical('huge_first', 5);
INSERT INTO adv.data
SELECT ds, id, (ARRAY[1e308, 1, 2])[id], f2, f3, f4, f5, f6, f7, f8, i1, i2, i3, g1, t1, t2, b1
FROM adv.typical('spread3', 3);
INSERT INTO adv.data
SELECT ds, id, 10, f2, f3, f4, f5, f6, f7, f8, i1, i2, i3, g1, t1, t2, b1
FROM adv.typical('same3', 3);
INSERT INTO adv.data
SELECT ds, id, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324, 5e-324, i1, i2, i3, g1, t1, t2, b1
FROM adv.typical('tiny', 4);
INSERT INTO adv.data
SELECT ds, id, -f1, -f2, -f3, -f4, -f5, -f6, -f7, -f8, -i1, -i2, -i3, -g1, t1, t2, b1
FROM adv.typical('negative', 5);
INSERT INTO adv.data
SELECT ds, id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, t1, t2, b1 FROM adv.typical('zeros', 4);
CREATE INDEX ON adv.data (ds, id);
ANALYZE adv.data;

-- The edge corpus: SQL expressions by argument type. finite: the value is
-- not NULL and holds no NaN or Infinity (only then does the NaN/Infinity
-- check apply to a call using it). Values computed here (real states,
-- composites) are kept in val and read back by id.
CREATE TABLE adv.corpus (
    id serial PRIMARY KEY, typ regtype NOT NULL, expr text, val text,
    finite boolean NOT NULL, origin text NOT NULL DEFAULT 'edge');
CREATE FUNCTION adv.add(t regtype, finite boolean, VARIADIC exprs text[]) RETURNS void
LANGUAGE sql AS $$ INSERT INTO adv.corpus (typ, expr, finite) SELECT t, e, finite FROM unnest(exprs) e $$;

\o /dev/null
SELECT adv.add('float8', true, '0', '''-0''', '1', '-1', '0.5', '0.95', '0.998', '2', '3', '10',
               '100', '100000', '1e308', '-1e308', '5e-324', '-5e-324', '1e-10', '2147483648',
               '9007199254740993', '0.3333333333333333');
SELECT adv.add('float8', false, 'NULL', '''NaN''', '''Infinity''', '''-Infinity''');
SELECT adv.add('float4', true, '0', '1', '-1', '3.4e38', '1e-45');
SELECT adv.add('float4', false, 'NULL', '''NaN''', '''Infinity''');
SELECT adv.add('numeric', true, '0', '1', '-1', '1e308', '0.5');
SELECT adv.add('numeric', false, 'NULL', '''NaN''', '''Infinity''');
SELECT adv.add('int4', true, '0', '1', '-1', '2', '5', '10', '90', '100', '2011', '2019', '2021',
               '2025', '32844', '2147483647', '-2147483648');
SELECT adv.add('int4', false, 'NULL');
SELECT adv.add('int2', true, '0', '1', '-1', '32767', '-32768');
SELECT adv.add('int2', false, 'NULL');
SELECT adv.add('int8', true, '0', '1', '-1', '5', '7', '100000', '9223372036854775807',
               '-9223372036854775808', '2147483648');
SELECT adv.add('int8', false, 'NULL');
SELECT adv.add('bool', true, 'true', 'false');
SELECT adv.add('bool', false, 'NULL');
SELECT adv.add('text', true, $$''$$, $$' '$$, $$E'\t\n\r '$$, $$'x'$$, $$'NaN'$$, $$'-1'$$,
               $$'1e308'$$, $$'ünïcødé ✓ 𝔘'$$, $$'　'$$, $$repeat('x', 1048576)$$,
               $$repeat('é', 524288)$$, $$repeat(' ', 1048576)$$,
               -- LSOA codes: valid 2011 and 2021 codes, Welsh, malformed
               $$'E01000001'$$, $$'E01033768'$$, $$'W01000001'$$, $$'e01000001'$$, $$'E0100000'$$,
               $$'E010000011'$$, $$'E01 000001'$$, $$'X99999999'$$, $$' E01000001 '$$,
               -- postcodes: valid, dirty, full-width, malformed
               $$'SR1 3SD'$$, $$'sr13sd'$$, $$'SR1  3SD'$$, $$'ＳＲ１ ３ＳＤ'$$, $$E'SR1\u00a03SD'$$,
               $$'SR1 3SDD'$$, $$'ZZ99 9ZZ'$$, $$'GIR 0AA'$$, $$'1SR 3SD'$$, $$'SR'$$,
               -- NHS numbers: valid (several forms), bad check digit, malformed
               $$'9434765919'$$, $$'943 476 5919'$$, $$'943-476-5919'$$, $$'9434765918'$$,
               $$'0000000000'$$, $$'943476591'$$, $$'94347659190'$$, $$'943  476 5919'$$,
               $$'９４３４７６５９１９'$$, $$'943 476-5919'$$,
               -- file names (for functions that read a server file)
               $$'/etc/passwd'$$, $$'/nonexistent/file.csv'$$, $$'../../../../etc/passwd'$$,
               $$'%s%s%n'$$, $$'''; SELECT 1; --'$$);
SELECT adv.add('text', false, 'NULL');
SELECT adv.add('bytea', true, $$'\x'::bytea$$, $$'\x00'::bytea$$,
               $$decode(repeat('ab', 32), 'hex')$$, $$decode(repeat('ab', 31), 'hex')$$,
               $$decode(repeat('00', 64), 'hex')$$, $$convert_to(repeat('k', 1048576), 'UTF8')$$);
SELECT adv.add('bytea', false, 'NULL');
SELECT adv.add('cstring', true, $$''$$, $$'x'$$, $$'1:1::0:'$$, $$'1:1::3:1,2,3'$$,
               $$'1:8:1,2,3,4:1:1,2,3,4,5,6,7,8'$$, $$'1:1::99999999999:1'$$, $$'1:1::-1:'$$,
               $$'1:1::2:NaN,1'$$, $$'1:1:NaN:1:1'$$, $$'2:1::1:1'$$, $$'1:0::0:'$$, $$'1:9::0:'$$,
               $$'1:1:1e308,1e308,1e308,1e308:1:1e308'$$, $$'1:1:1,2,3,4,5:0:'$$,
               $$repeat('1:', 100000)$$);
SELECT adv.add('cstring', false, 'NULL');
SELECT adv.add('regclass', true, $$'adv.data'$$, $$'pg_class'$$, '0');
SELECT adv.add('regclass', false, 'NULL');
-- Arrays: empty, NULL elements, wrong shapes, huge and tiny values.
SELECT adv.add('float8[]', true, $$'{}'$$, $$'{0}'$$, $$'{1,2,3}'$$, $$'{1e308,1e308,1e308}'$$,
               $$'{5e-324,1,2}'$$, $$'{-1,-2,-3}'$$, $$'{{1,2},{3,4}}'$$, $$'[0:2]={1,2,3}'$$,
               $$'[-5:-3]={1,2,3}'$$, $$array_fill(1::float8, ARRAY[100000])$$,
               $$array_fill(1e308::float8, ARRAY[1000])$$,
               $$(SELECT array_agg(g::float8) FROM generate_series(1, 10000) g)$$);
SELECT adv.add('float8[]', false, 'NULL', $$'{NULL}'$$, $$'{NULL,NULL,NULL}'$$, $$'{1,NULL,3}'$$,
               $$'{NaN}'$$, $$'{Infinity,-Infinity}'$$, $$'{NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN}'$$);

\o
-- Garbage states for the float8[] states of the fixed-size aggregates
-- (aggtranstype float8[], found in the catalogue): the initial state, and
-- states of the right length full of NaN, -1, 1e308, 1e18 ("huge counts"),
-- one element short, one element long.
INSERT INTO adv.corpus (typ, expr, finite, origin)
SELECT 'float8[]', quote_literal(s) || '::float8[]', f, 'state length ' || n
FROM (SELECT DISTINCT cardinality(a.agginitval::float8[]) AS n
      FROM pg_aggregate a
      JOIN extension_members m ON m.classid = 'pg_proc'::regclass AND m.objid = a.aggfnoid
      WHERE a.aggtranstype = 'float8[]'::regtype AND a.agginitval IS NOT NULL) l,
LATERAL (VALUES
    ((SELECT array_fill(0::float8, ARRAY[n]))::text, true),
    ((SELECT array_fill('NaN'::float8, ARRAY[n]))::text, false),
    ((SELECT array_fill(-1::float8, ARRAY[n]))::text, true),
    ((SELECT array_fill(1e308::float8, ARRAY[n]))::text, true),
    ((SELECT array_fill(1e18::float8, ARRAY[n]))::text, true),
    ((SELECT array_fill(-1e18::float8, ARRAY[n]))::text, true),
    ((SELECT array_fill(5e-324::float8, ARRAY[n]))::text, true),
    ((SELECT array_fill(3::float8, ARRAY[n]))::text, true),
    ((SELECT array_fill(1::float8, ARRAY[greatest(n - 1, 0)]))::text, true),
    ((SELECT array_fill(1::float8, ARRAY[n + 1]))::text, true)) v(s, f);

-- One "state of" aggregate per aggregate of value_ext: same transition
-- function, state type and initial state, no final function.
CREATE TABLE adv.state_aggs (agg regprocedure PRIMARY KEY, state_agg text NOT NULL,
                             transtype regtype NOT NULL, transfn regproc NOT NULL);
DO $$
DECLARE a record; n int := 0;
BEGIN
    FOR a IN
        SELECT g.aggfnoid::regprocedure AS agg, g.aggtransfn, g.aggtranstype, g.agginitval,
               p.proargtypes
        FROM pg_aggregate g
        JOIN pg_proc p ON p.oid = g.aggfnoid
        JOIN extension_members m ON m.classid = 'pg_proc'::regclass AND m.objid = g.aggfnoid
        ORDER BY g.aggfnoid::regprocedure::text
    LOOP
        n := n + 1;
        EXECUTE format('CREATE AGGREGATE adv.state_%s(%s) (SFUNC = %s, STYPE = %s%s, PARALLEL = SAFE)',
                       n, (SELECT string_agg(format_type(t, NULL), ', ' ORDER BY o)
                           FROM unnest(a.proargtypes::oid[]) WITH ORDINALITY u(t, o)),
                       a.aggtransfn::regproc, format_type(a.aggtranstype, NULL),
                       coalesce(', INITCOND = ' || quote_literal(a.agginitval), ''));
        INSERT INTO adv.state_aggs VALUES (a.agg, 'adv.state_' || n, a.aggtranstype, a.aggtransfn);
    END LOOP;
END $$;

-- The extension's own types that have C input functions (value_list) and
-- the float8[] transition states: the state types the state fuzzing covers
-- (a table: extension_members is a view of this session only).
CREATE TABLE adv.state_types AS
SELECT t.oid::regtype AS typ, t.typinput::regproc AS input, t.typreceive::regproc AS recv
FROM pg_type t
JOIN extension_members m ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
JOIN pg_proc p ON p.oid = t.typinput AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c')
UNION
SELECT DISTINCT s.transtype, NULL::regproc, NULL::regproc FROM adv.state_aggs s
WHERE s.transtype = 'float8[]'::regtype;

GRANT SELECT ON ALL TABLES IN SCHEMA adv TO value_ext_adversary;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA adv TO value_ext_adversary;

-- sqlsmith reads what an analyst could: the demo place and its BI views.
DO $$
DECLARE s text;
BEGIN
    FOREACH s IN ARRAY ARRAY['demo', 'bi'] LOOP
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = s);
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO value_ext_adversary', s);
        EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO value_ext_adversary', s);
    END LOOP;
END $$;
