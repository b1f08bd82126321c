-- test/adversarial/generate.sql -- the calls of the adversarial stage,
-- generated from the catalogue: every function of value_ext (pg_proc joined
-- to test/lib/extension_members.sql), so a function added later
-- is covered without editing this file. Run as a superuser after
-- setup.sql, with psql variables seed (sampling seed) and random (random
-- combinations per function). Prints one call per line, tab-separated:
--   id, function signature, kind, check_finite (t/f), mode, query
-- kind: scalar, srf, support (transition/combine/final functions and type
-- I/O), aggregate, window, skipped (the query is then the reason).
-- mode: plain or parallel (test/adversarial/calls.sh sets the forced
-- parallel plan around the query).
-- check_finite: every input was finite and non-NULL and the function is not
-- a support function; then a NaN or Infinity in the result is a failure.
-- Support functions get garbage states; for them only crashes, XX000,
-- hangs and SQLSTATEs outside the allowed list count.
--
-- Each query returns one line "@@res ROWS NONFINITE BYTES": the rows the
-- call returned, how many held a NaN/Infinity in a float8/float4/numeric
-- value (a scalar result, a field of a composite, a column of an SRF), and
-- the size of the text form of the result (reading it runs every output
-- function, value_list_out included).
--
-- How arguments are chosen (deterministic: hashtext of seed, function,
-- combination and position; no random()):
--   pivot        one typical value per argument: its DEFAULT, else the
--                DEFAULT of a same-named argument elsewhere in value_ext,
--                else the aggregate's initial state (float8[] states),
--                else a word quoted in the function's COMMENT (text), else a
--                plain value of the type
--   one at a time every corpus value of the argument's type in each position,
--                the other arguments at their pivot
--   random       :random combinations drawn from the corpus
-- Aggregates and window functions read adv.data: data arguments (those
-- before the shortest overload's last argument, without a DEFAULT) read a
-- column of their type (the k-th float8 argument f_k, ...), the others get
-- constants; calls are made on every dataset in every mode (plain,
-- parallel, GROUP BY, parallel GROUP BY, OVER (), a moving frame).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- The functions of value_ext (a table: read many times below; the members
-- from test/lib/extension_members.sql).
\ir ../lib/extension_members.sql
CREATE TABLE adv.ext_procs AS
SELECT p.oid, p.oid::regprocedure::text AS signature,
       format('%I.%I', n.nspname, p.proname) AS qname, p.proname, p.prokind, p.proretset,
       p.prorettype, ARRAY(SELECT unnest(p.proargtypes::oid[])) AS argtypes, p.pronargs,
       (SELECT array_agg(nm ORDER BY o) FROM unnest(p.proargnames, coalesce(p.proargmodes,
               array_fill('i'::"char", ARRAY[coalesce(cardinality(p.proargnames), 0)]))) WITH ORDINALITY u(nm, md, o)
        WHERE md IN ('i', 'b', 'v')) AS argnames,
       p.pronargdefaults,
       CASE WHEN p.proargdefaults IS NOT NULL
            THEN regexp_split_to_array(pg_get_expr(p.proargdefaults, 0), ', ') END AS defaults,
       p.oid IN (SELECT unnest(ARRAY[aggtransfn, aggfinalfn, aggcombinefn, aggserialfn, aggdeserialfn,
                                      aggmtransfn, aggminvtransfn, aggmfinalfn])::oid FROM pg_aggregate
                 UNION
                 SELECT unnest(ARRAY[typinput, typoutput, typreceive, typsend, typmodin, typmodout,
                                     typanalyze])::oid FROM pg_type) AS support
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN extension_members m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid;
ALTER TABLE adv.ext_procs ADD PRIMARY KEY (oid);

-- Columns of adv.data by type: the k-th argument of a type reads column k.
CREATE FUNCTION adv.columns_of(t oid) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE t WHEN 'float8'::regtype THEN '{f1,f2,f3,f4,f5,f6,f7,f8}'::text[]
                  WHEN 'int4'::regtype THEN '{i1,i2,i3}' WHEN 'int8'::regtype THEN '{g1}'
                  WHEN 'text'::regtype THEN '{t1,t2}' WHEN 'bool'::regtype THEN '{b1}'
                  ELSE '{}' END
$$;

-- Words of the COMMENTs of a function, of the aggregates it supports and of
-- its support functions: 'quoted', "quoted" and (listed, words): the option
-- values a text argument may take.
CREATE FUNCTION adv.words(fn oid) RETURNS text[] LANGUAGE sql STABLE AS $$
    WITH c AS (
        SELECT obj_description(fn, 'pg_proc') AS t
        UNION ALL
        SELECT obj_description(a.aggfnoid, 'pg_proc') FROM pg_aggregate a
        WHERE fn IN (a.aggtransfn, a.aggfinalfn, a.aggcombinefn)
        UNION ALL
        SELECT obj_description(x, 'pg_proc') FROM pg_aggregate a,
               unnest(ARRAY[a.aggtransfn, a.aggfinalfn, a.aggcombinefn]::oid[]) x
        WHERE a.aggfnoid = fn
    ), w AS (
        SELECT m[1] AS w FROM c, regexp_matches(c.t, '''([^'']{1,40})''', 'g') m
        UNION ALL
        SELECT m[1] FROM c, regexp_matches(c.t, '"([^"]{1,40})"', 'g') m
        UNION ALL
        SELECT unnest(string_to_array(m[1], ', '))
        FROM c, regexp_matches(c.t, '\(([a-z_]+(?:, [a-z_]+)+)\)', 'g') m
    )
    SELECT coalesce(array_agg(DISTINCT w), '{}') FROM w WHERE w <> ''
$$;

-- The pivot (typical value) of argument pos (1-based) of function fn.
CREATE FUNCTION adv.pivot(fn oid, pos int) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    p adv.ext_procs; t oid; nm text; r text;
BEGIN
    SELECT * INTO p FROM adv.ext_procs WHERE oid = fn;
    t := p.argtypes[pos]; nm := p.argnames[pos];
    IF pos > p.pronargs - p.pronargdefaults THEN
        RETURN p.defaults[pos - (p.pronargs - p.pronargdefaults)];
    END IF;
    SELECT o.defaults[i - (o.pronargs - o.pronargdefaults)] INTO r
    FROM adv.ext_procs o, generate_series(1, o.pronargs) i
    WHERE o.argnames[i] = nm AND o.argtypes[i] = t AND i > o.pronargs - o.pronargdefaults
    ORDER BY o.signature LIMIT 1;
    IF r IS NOT NULL THEN RETURN r; END IF;
    IF t = 'float8[]'::regtype THEN
        SELECT quote_literal(a.agginitval) || '::float8[]' INTO r FROM pg_aggregate a
        WHERE fn IN (a.aggtransfn, a.aggfinalfn, a.aggcombinefn) AND a.agginitval IS NOT NULL LIMIT 1;
        RETURN coalesce(r, $q$'{1,2,3}'::float8[]$q$);
    END IF;
    -- computed corpus values (real states, composites): the first of the type
    SELECT c.expr INTO r FROM adv.corpus c WHERE c.typ = t AND c.origin LIKE 'real%' ORDER BY c.id LIMIT 1;
    IF r IS NOT NULL THEN RETURN r; END IF;
    IF t = 'text'::regtype THEN
        RETURN coalesce(quote_literal((adv.words(fn))[1]), $q$'E01000001'$q$);
    END IF;
    RETURN CASE t WHEN 'float8'::regtype THEN '0.5' WHEN 'float4'::regtype THEN '0.5'
                  WHEN 'numeric'::regtype THEN '0.5' WHEN 'int4'::regtype THEN '5'
                  WHEN 'int2'::regtype THEN '5' WHEN 'int8'::regtype THEN '5'
                  WHEN 'bool'::regtype THEN 'false'
                  WHEN 'bytea'::regtype THEN $q$decode(repeat('ab', 32), 'hex')$q$
                  WHEN 'cstring'::regtype THEN $q$'1:1::3:1,2,3'$q$
                  WHEN 'regclass'::regtype THEN $q$'adv.data'$q$
                  ELSE 'NULL' END;
END $$;

-- Number of data arguments of an aggregate or window function: the
-- shortest overload of the name, less trailing arguments with a DEFAULT.
CREATE FUNCTION adv.data_arity(fn oid) RETURNS int LANGUAGE sql STABLE AS $$
    SELECT least(min(o.pronargs), (SELECT pronargs - pronargdefaults FROM adv.ext_procs WHERE oid = fn))
    FROM adv.ext_procs o WHERE o.proname = (SELECT proname FROM adv.ext_procs WHERE oid = fn)
                           AND o.prokind IN ('a', 'w')
$$;

-- Base arguments of an aggregate / window function: data arguments read a
-- column of their type, the others get their pivot.
CREATE FUNCTION adv.base_args(fn oid) RETURNS text[] LANGUAGE plpgsql STABLE AS $$
DECLARE p adv.ext_procs; k int; res text[] := '{}'; cols text[];
BEGIN
    SELECT * INTO p FROM adv.ext_procs WHERE oid = fn;
    FOR i IN 1 .. p.pronargs LOOP
        cols := adv.columns_of(p.argtypes[i]);
        k := (SELECT count(*) FROM generate_series(1, i) j WHERE p.argtypes[j] = p.argtypes[i]);
        IF i <= adv.data_arity(fn) AND k <= cardinality(cols) THEN
            res := res || cols[k];
        ELSE
            res := res || adv.pivot(fn, i);
        END IF;
    END LOOP;
    RETURN res;
END $$;

-- A composite value (text) with one field replaced (NULL when that fails).
CREATE FUNCTION adv.set_field(typ regtype, val text, field text, newval text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
    EXECUTE format('SELECT jsonb_populate_record(NULL::%s, to_jsonb(%L::%s) || jsonb_build_object(%L, %L::text))::text',
                   typ, val, typ, field, newval) INTO r;
    RETURN r;
EXCEPTION WHEN OTHERS THEN RETURN NULL;
END $$;

-- Real values for the corpus: the state of every aggregate (its "state of"
-- aggregate, base arguments) over some datasets, and a value of every
-- composite type of value_ext (from its aggregates over k1000 and its
-- scalar functions at their pivots), with each field in turn made garbage.
DO $$
DECLARE s record; ds text; v text; n int;
BEGIN
    FOR s IN SELECT a.*, p.prokind FROM adv.state_aggs a JOIN adv.ext_procs p ON p.oid = a.agg
             ORDER BY a.agg::text LOOP
        FOREACH ds IN ARRAY ARRAY['k1000', 'two', 'one', 'same3', 'mixed', 'huge', 'empty'] LOOP
            BEGIN
                EXECUTE format('SELECT %s(%s)::text FROM adv.data WHERE ds = %L', s.state_agg,
                               array_to_string(adv.base_args(s.agg), ', '), ds) INTO v;
            EXCEPTION WHEN OTHERS THEN v := NULL;
            END;
            CONTINUE WHEN v IS NULL;
            INSERT INTO adv.corpus (typ, val, finite, origin)
            VALUES (s.transtype, v, v !~* '(nan|inf)', format('real state of %s on %s', s.agg, ds));
        END LOOP;
    END LOOP;
    FOR s IN
        SELECT p.oid, p.prorettype, p.prokind FROM adv.ext_procs p JOIN pg_type t ON t.oid = p.prorettype
        WHERE t.typtype = 'c' AND NOT p.support AND NOT p.proretset AND p.prokind IN ('a', 'f')
        ORDER BY p.signature
    LOOP
        BEGIN
            IF s.prokind = 'a' THEN
                EXECUTE format('SELECT %s(%s)::text FROM adv.data WHERE ds = %L', s.oid::regproc,
                               array_to_string(adv.base_args(s.oid), ', '), 'k1000') INTO v;
            ELSE
                EXECUTE format('SELECT %s(%s)::text', s.oid::regproc,
                               (SELECT string_agg(adv.pivot(s.oid, i), ', ' ORDER BY i)
                                FROM generate_series(1, (SELECT pronargs FROM pg_proc WHERE oid = s.oid)) i))
                    INTO v;
            END IF;
        EXCEPTION WHEN OTHERS THEN v := NULL;
        END;
        CONTINUE WHEN v IS NULL;
        INSERT INTO adv.corpus (typ, val, finite, origin)
        VALUES (s.prorettype, v, v !~* '(nan|inf)', format('real value of %s', s.oid::regprocedure));
    END LOOP;
    -- garbage fields: the first real value of each composite type, one field at a time
    FOR s IN SELECT DISTINCT ON (c.typ) c.typ, c.val FROM adv.corpus c JOIN pg_type t ON t.oid = c.typ
             WHERE t.typtype = 'c' ORDER BY c.typ, c.id LOOP
        INSERT INTO adv.corpus (typ, val, finite, origin)
        SELECT s.typ, r, g.fin, format('real %s, field %s := %s', s.typ, a.attname, g.val)
        FROM pg_attribute a
        JOIN pg_type t ON t.oid = s.typ AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
        CROSS JOIN LATERAL (
            SELECT * FROM (VALUES ('NaN', false), ('Infinity', false), ('-1', true), ('0', true),
                                  ('1e308', true), (NULL, false)) x(val, fin)
            WHERE a.atttypid IN ('float8'::regtype, 'float4'::regtype, 'numeric'::regtype)
            UNION ALL
            SELECT * FROM (VALUES ('-1', true), ('0', true), ('2147483647', true), (NULL, false)) x(val, fin)
            WHERE a.atttypid IN ('int4'::regtype, 'int8'::regtype, 'int2'::regtype)
            UNION ALL
            SELECT * FROM (VALUES ('', true), ('garbage', true), (NULL, false)) x(val, fin)
            WHERE a.atttypid = 'text'::regtype
            UNION ALL
            SELECT NULL, false WHERE a.atttypid NOT IN ('float8'::regtype, 'float4'::regtype,
                'numeric'::regtype, 'int4'::regtype, 'int8'::regtype, 'int2'::regtype, 'text'::regtype)
        ) g
        CROSS JOIN LATERAL (SELECT adv.set_field(s.typ, s.val, a.attname::text, g.val) AS r) r1
        WHERE r1.r IS NOT NULL;
    END LOOP;
    -- hand-made garbage in the text form of the extension's own state types
    INSERT INTO adv.corpus (typ, val, finite, origin)
    SELECT st.typ, g, true, 'garbage state text' FROM adv.state_types st,
           unnest(ARRAY['1:1::0:', '1:8:1,2,3,4:1:1,2,3,4,5,6,7,8', '1:1:1e308,1e308,1e308,1e308:1:1e308',
                        '1:3:-1,0:2:1,2,3,4,5,6', '1:2:0.5:3:1,-1,1e308,5e-324,-1e308,0',
                        '1:1:2147483648,-1:2:5,4', '1:4:1e300:2:1e300,1e300,1e300,1e300,1,1,1,1']) g
    WHERE st.input IS NOT NULL;
    UPDATE adv.corpus SET expr = format('(SELECT val FROM adv.corpus WHERE id = %s)::%s', id, typ::text)
    WHERE expr IS NULL;
    -- composite corpus: NULL and a row of NULLs
    INSERT INTO adv.corpus (typ, expr, finite, origin)
    SELECT DISTINCT c.typ, x, false, 'edge' FROM adv.corpus c JOIN pg_type t ON t.oid = c.typ,
           LATERAL (VALUES ('NULL'), (format('ROW(%s)::%s',
                (SELECT string_agg('NULL', ',') FROM pg_attribute a
                 WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), c.typ))) v(x)
    WHERE t.typtype = 'c';
    -- value_list and other extension base types: NULL
    INSERT INTO adv.corpus (typ, expr, finite, origin)
    SELECT DISTINCT c.typ, 'NULL', false, 'edge' FROM adv.corpus c JOIN pg_type t ON t.oid = c.typ
    WHERE t.typtype = 'b' AND NOT EXISTS (SELECT 1 FROM adv.corpus x WHERE x.typ = c.typ AND x.expr = 'NULL');
    GET DIAGNOSTICS n = ROW_COUNT;
END $$;

-- Is a corpus expression a finite, non-NULL value?
CREATE FUNCTION adv.expr_finite(e text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN e ~ '^\(SELECT val FROM adv\.corpus WHERE id = \d+\)'
            THEN (SELECT c.finite FROM adv.corpus c
                  WHERE c.id = substring(e FROM 'id = (\d+)')::int)
        ELSE coalesce((SELECT c.finite FROM adv.corpus c WHERE c.expr = e LIMIT 1),
                      e <> 'NULL' AND e !~* '(nan|infinity)')
    END
$$;

-- The values tried in argument pos of fn: the corpus of its type, the words
-- of its COMMENTs for text, and (data arguments) the other columns of its
-- type. core: the few numeric values also tried on the small datasets.
CREATE FUNCTION adv.choices(fn oid, pos int, data boolean)
RETURNS TABLE (expr text, finite boolean, core boolean) LANGUAGE sql STABLE AS $$
    WITH a AS (SELECT argtypes[pos] AS t FROM adv.ext_procs WHERE oid = fn),
    -- the aggregates fn belongs to (as transition, combine or final function)
    family AS (SELECT g.aggfnoid::regprocedure::text AS agg, g.agginitval FROM pg_aggregate g
               WHERE fn IN (g.aggtransfn, g.aggcombinefn, g.aggfinalfn) OR g.aggfnoid = fn)
    SELECT c.expr, c.finite,
           c.expr IN ('NULL', '0', '1', '-1', '0.5', '0.95', '2', '10', '1e308', '''NaN''',
                      '''Infinity''', '5e-324')
    FROM adv.corpus c, a WHERE c.typ = a.t
      -- real states: those of fn's own aggregates, one (on k1000) of every other
      AND (c.origin NOT LIKE 'real state of %' OR c.origin LIKE '% on k1000'
           OR EXISTS (SELECT 1 FROM family WHERE c.origin LIKE 'real state of ' || family.agg || ' on %'))
      -- garbage float8[] states: the length of fn's own states (any length outside a family)
      AND (c.origin NOT LIKE 'state length %'
           OR NOT EXISTS (SELECT 1 FROM family WHERE family.agginitval IS NOT NULL)
           OR EXISTS (SELECT 1 FROM family
                      WHERE c.origin = 'state length ' || cardinality(family.agginitval::float8[])))
    UNION
    SELECT quote_literal(w), true, false FROM a, unnest(adv.words(fn)) w WHERE a.t = 'text'::regtype
    UNION
    SELECT col, true, false FROM a, unnest(adv.columns_of(a.t)) col WHERE data
$$;

-- The query of one call, wrapped to return "@@res ROWS NONFINITE BYTES".
CREATE FUNCTION adv.wrap(fn oid, inner_q text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE p adv.ext_procs; cells text;
BEGIN
    SELECT * INTO p FROM adv.ext_procs WHERE oid = fn;
    IF p.proretset AND p.prorettype = 'record'::regtype THEN
        SELECT string_agg(format('s.%I', nm), ',') FILTER (WHERE t IN (700, 701, 1700)) INTO cells
        FROM pg_proc x, unnest(x.proallargtypes, x.proargmodes, x.proargnames) u(t, md, nm)
        WHERE x.oid = fn AND md IN ('o', 't');
    ELSIF (SELECT typtype FROM pg_type WHERE oid = p.prorettype) = 'c' THEN
        SELECT string_agg(format(CASE WHEN p.proretset THEN 's.%I' ELSE '(s.r).%I' END, a.attname), ',')
        INTO cells
        FROM pg_type t JOIN pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE t.oid = p.prorettype AND a.atttypid IN (700, 701, 1700);
    ELSIF p.prorettype IN (700, 701, 1700) THEN
        cells := 's.r';
    END IF;
    RETURN format($f$SELECT '@@res ' || count(*) || ' ' || count(*) FILTER (WHERE %s) || ' ' || coalesce(sum(octet_length(s::text)), 0) FROM (%s OFFSET 0) s$f$,
                  coalesce((SELECT string_agg(format('%s::text IN (''NaN'', ''Infinity'', ''-Infinity'')', c), ' OR ')
                            FROM unnest(string_to_array(cells, ',')) c), 'false'),
                  inner_q);
END $$;

-- The inner query of a plain call (scalar, SRF, support function).
CREATE FUNCTION adv.call_inner(fn oid, args text[]) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE p adv.ext_procs; a text;
BEGIN
    SELECT * INTO p FROM adv.ext_procs WHERE oid = fn;
    SELECT coalesce(string_agg(format('(%s)::%s', e, format_type(p.argtypes[i], NULL)), ', ' ORDER BY i), '')
    INTO a FROM unnest(args) WITH ORDINALITY u(e, i);
    IF p.proretset AND (p.prorettype = 'record'::regtype
                        OR (SELECT typtype FROM pg_type WHERE oid = p.prorettype) = 'c') THEN
        RETURN format('SELECT * FROM %s(%s)', p.qname, a);
    ELSIF p.proretset THEN
        RETURN format('SELECT r FROM %s(%s) AS x(r)', p.qname, a);
    END IF;
    RETURN format('SELECT %s(%s) AS r', p.qname, a);
END $$;

-- The inner query of an aggregate or window call on a dataset, in a mode.
CREATE FUNCTION adv.agg_inner(fn oid, args text[], ds text, md text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE p adv.ext_procs; a text; over text := '';
BEGIN
    SELECT * INTO p FROM adv.ext_procs WHERE oid = fn;
    SELECT coalesce(string_agg(CASE WHEN e ~ '^[a-z][0-9]$' THEN e
                                    ELSE format('(%s)::%s', e, format_type(p.argtypes[i], NULL)) END,
                               ', ' ORDER BY i), '')
    INTO a FROM unnest(args) WITH ORDINALITY u(e, i);
    over := CASE md WHEN 'over_all' THEN ' OVER ()' WHEN 'parallel_over_all' THEN ' OVER ()'
                    WHEN 'partitioned' THEN ' OVER (PARTITION BY i3 ORDER BY id)'
                    WHEN 'moving' THEN ' OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)'
                    ELSE '' END;
    RETURN format('SELECT %s(%s)%s AS r FROM adv.data WHERE ds = %L%s', p.qname, a, over, ds,
                  CASE WHEN md IN ('grouped', 'parallel_grouped') THEN ' GROUP BY i3' ELSE '' END);
END $$;

CREATE FUNCTION adv.h(seed int, VARIADIC parts text[]) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT abs(hashtextextended(array_to_string(parts, ':'), seed))
$$;

-- One call into out_calls (the temporary table of adv.calls): a plain
-- function p of kind k with these arguments (the NaN check applies unless
-- it is a support function or an argument is not finite), or an aggregate
-- or window function on dataset ds in mode md (the check applies when the
-- dataset and every argument are finite).
CREATE FUNCTION adv.add_call(p adv.ext_procs, k text, args text[], fins boolean[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO out_calls (fn, kind, check_finite, mode, query)
    VALUES (p.signature, k, k <> 'support' AND NOT (false = ANY (fins)), 'plain',
            adv.wrap(p.oid, adv.call_inner(p.oid, args)));
END $$;
CREATE FUNCTION adv.add_agg_call(p adv.ext_procs, k text, args text[], fins boolean[],
                                 ds text, ds_finite boolean, md text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO out_calls (fn, kind, check_finite, mode, query)
    VALUES (p.signature, k, ds_finite AND NOT (false = ANY (fins)),
            CASE WHEN md LIKE 'parallel%' THEN 'parallel' ELSE 'plain' END,
            adv.wrap(p.oid, adv.agg_inner(p.oid, args, ds, md)));
END $$;

-- Every call, function by function. The choices of each argument are read
-- once per function into ch (pos, idx, expr, finite, core).
CREATE FUNCTION adv.calls(seed int, nrand int)
RETURNS TABLE (fn text, kind text, check_finite boolean, mode text, query text)
LANGUAGE plpgsql AS $$
#variable_conflict use_variable
DECLARE
    p adv.ext_procs; k text; piv text[]; pfin boolean[]; base text[]; bfin boolean[];
    ndata int; args text[]; fins boolean[]; nch int[]; is_agg boolean;
    dss text[]; dsfin boolean[]; modes text[]; ds text; md text; e text; f boolean; c boolean;
    x bigint; pos_data boolean;
BEGIN
    SELECT array_agg(d.ds ORDER BY d.ds), array_agg(d.finite ORDER BY d.ds) INTO dss, dsfin FROM adv.datasets d;
    CREATE TEMP TABLE IF NOT EXISTS out_calls (n serial, fn text, kind text, check_finite boolean,
                                               mode text, query text);
    CREATE TEMP TABLE IF NOT EXISTS ch (pos int, idx int, expr text, finite boolean, core boolean);
    TRUNCATE out_calls;
    FOR p IN SELECT * FROM adv.ext_procs ORDER BY signature LOOP
        k := CASE WHEN 'internal'::regtype = ANY (p.argtypes) THEN 'skipped'
                  WHEN p.prokind = 'p' THEN 'skipped'
                  WHEN p.prokind = 'a' THEN 'aggregate' WHEN p.prokind = 'w' THEN 'window'
                  WHEN p.support THEN 'support' WHEN p.proretset THEN 'srf' ELSE 'scalar' END;
        IF k = 'skipped' THEN
            -- internal arguments cannot be given from SQL: value_list_recv is
            -- reached by COPY ... (FORMAT binary) in states.sh, support
            -- functions of internal states through their aggregates
            INSERT INTO out_calls (fn, kind, check_finite, mode, query)
            VALUES (p.signature, k, false, 'plain',
                    CASE WHEN p.prokind = 'p' THEN 'a procedure (CALL is not generated yet)'
                         ELSE 'an argument of type internal: not callable from SQL' END);
            CONTINUE;
        END IF;
        is_agg := k IN ('aggregate', 'window');
        ndata := CASE WHEN is_agg THEN adv.data_arity(p.oid) ELSE 0 END;
        TRUNCATE ch;
        INSERT INTO ch
        SELECT i, row_number() OVER (PARTITION BY i ORDER BY x.expr), x.expr, x.finite, x.core
        FROM generate_series(1, p.pronargs) i, adv.choices(p.oid, i, i <= ndata) x;
        nch := ARRAY(SELECT (SELECT count(*) FROM ch WHERE ch.pos = i)::int
                     FROM generate_series(1, p.pronargs) i);
        piv := ARRAY(SELECT adv.pivot(p.oid, i) FROM generate_series(1, p.pronargs) i);
        IF is_agg THEN
            base := adv.base_args(p.oid);
        ELSE
            base := piv;
        END IF;
        bfin := ARRAY(SELECT CASE WHEN b ~ '^[a-z][0-9]$' THEN true ELSE adv.expr_finite(b) END
                      FROM unnest(base) b);
        IF is_agg THEN
            modes := CASE k WHEN 'aggregate' THEN ARRAY['plain', 'parallel', 'grouped', 'parallel_grouped',
                                                         'over_all', 'moving']
                            ELSE ARRAY['over_all', 'partitioned', 'moving', 'parallel_over_all'] END;
            -- every dataset in every mode, base arguments
            FOR i IN 1 .. cardinality(dss) LOOP
                FOREACH md IN ARRAY modes LOOP
                    PERFORM adv.add_agg_call(p, k, base, bfin, dss[i], dsfin[i], md);
                END LOOP;
            END LOOP;
            -- one argument at a time on k1000 (data arguments: the core
            -- values and the other columns), the core values of the other
            -- arguments on small finite datasets too
            FOR pos IN 1 .. p.pronargs LOOP
                pos_data := pos <= ndata;
                FOR e, f, c IN SELECT ch.expr, ch.finite, ch.core FROM ch WHERE ch.pos = pos ORDER BY ch.idx LOOP
                    CONTINUE WHEN e = base[pos] OR (pos_data AND NOT c AND e !~ '^[a-z][0-9]$');
                    args := base; args[pos] := e; fins := bfin; fins[pos] := f;
                    FOREACH ds IN ARRAY CASE WHEN c AND NOT pos_data THEN ARRAY['k1000', 'same3', 'huge', 'one']
                                             ELSE ARRAY['k1000'] END LOOP
                        PERFORM adv.add_agg_call(p, k, args, fins, ds, true, modes[1]);
                    END LOOP;
                END LOOP;
            END LOOP;
        ELSE
            -- the pivot call, then one argument at a time
            PERFORM adv.add_call(p, k, base, bfin);
            FOR pos IN 1 .. p.pronargs LOOP
                FOR e, f IN SELECT ch.expr, ch.finite FROM ch WHERE ch.pos = pos ORDER BY ch.idx LOOP
                    CONTINUE WHEN e = base[pos];
                    args := base; args[pos] := e; fins := bfin; fins[pos] := f;
                    PERFORM adv.add_call(p, k, args, fins);
                END LOOP;
            END LOOP;
        END IF;
        -- random combinations: each argument keeps its base value or takes
        -- a choice (aggregates: on a random dataset, in a random mode)
        FOR r IN 1 .. CASE WHEN p.pronargs > 1 OR is_agg THEN nrand ELSE 0 END LOOP
            args := base; fins := bfin;
            FOR pos IN 1 .. p.pronargs LOOP
                CONTINUE WHEN nch[pos] = 0 OR adv.h(seed, p.signature, r::text, pos::text, 'keep') % 10
                              < CASE WHEN pos <= ndata THEN 7 ELSE 3 END;
                SELECT ch.expr, ch.finite INTO e, f FROM ch
                WHERE ch.pos = pos AND ch.idx = 1 + adv.h(seed, p.signature, r::text, pos::text, 'pick') % nch[pos];
                args[pos] := e; fins[pos] := f;
            END LOOP;
            IF is_agg THEN
                x := adv.h(seed, p.signature, r::text, 'ds');
                md := modes[1 + adv.h(seed, p.signature, r::text, 'mode') % cardinality(modes)];
                PERFORM adv.add_agg_call(p, k, args, fins, dss[1 + x % cardinality(dss)],
                                         dsfin[1 + x % cardinality(dss)], md);
            ELSE
                PERFORM adv.add_call(p, k, args, fins);
            END IF;
        END LOOP;
    END LOOP;
    RETURN QUERY
        SELECT DISTINCT ON (o.fn, o.mode, o.query) o.fn, o.kind, o.check_finite, o.mode, o.query
        FROM out_calls o ORDER BY o.fn, o.mode, o.query, o.n;
END $$;

\pset format unaligned
\pset tuples_only on
\pset fieldsep '\t'
SELECT row_number() OVER (ORDER BY c.fn, c.mode DESC, c.query), c.fn, c.kind,
       CASE WHEN c.check_finite THEN 't' ELSE 'f' END, c.mode, c.query
FROM adv.calls(:seed, :random) c;
