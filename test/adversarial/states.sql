-- test/adversarial/states.sql -- the state fuzzing's tables and its calls
-- (test/adversarial/states.sh runs it as a superuser after generate.sql).
-- Owns adv.mutants (mutated state texts, loaded from mutate.pl's output),
-- adv.recv_index (which real state each binary mutant came from), one
-- adv.recv_N table per state type with a binary receive function (the
-- adversary COPYs mutated binary files into it), and adv.feed_calls(), the
-- calls that feed mutated states into every combine and final function of
-- value_ext taking their type (and into the type's own input function).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP TABLE IF EXISTS adv.mutants, adv.recv_index, adv.recv_tables;
DROP FUNCTION IF EXISTS adv.feed_calls(text), adv.feed(text, regtype, text);
CREATE TABLE adv.mutants (id serial PRIMARY KEY, typ regtype NOT NULL, origin text NOT NULL, m text);
CREATE TABLE adv.recv_index (tbl text, n int, corpus_id int NOT NULL, how text NOT NULL, PRIMARY KEY (tbl, n));
GRANT SELECT ON adv.mutants, adv.recv_index TO value_ext_adversary;

-- binary receive: one table per state type with a receive function of value_ext
CREATE TABLE adv.recv_tables AS
SELECT row_number() OVER (ORDER BY typ::text) AS n, typ, recv, 'adv.recv_' || row_number() OVER (ORDER BY typ::text) AS tbl
FROM adv.state_types WHERE recv IS NOT NULL;
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT * FROM adv.recv_tables LOOP
        EXECUTE format('DROP TABLE IF EXISTS %s', r.tbl);
        EXECUTE format('CREATE TABLE %s (id int, v %s)', r.tbl, r.typ);
        EXECUTE format('GRANT SELECT, INSERT ON %s TO value_ext_adversary', r.tbl);
    END LOOP;
END $$;

-- The calls feeding one mutated state (expression m, type t, the real state
-- it came from: expression r) into every combine and final function of
-- value_ext that takes t: (m, m), (m, r), (r, m) for two state arguments,
-- (m) for one; other arguments NULL.
CREATE FUNCTION adv.feed(m text, t regtype, r text)
RETURNS TABLE (fn text, query text) LANGUAGE plpgsql STABLE AS $$
DECLARE p adv.ext_procs; v text[]; args text[]; k int;
BEGIN
    FOR p IN SELECT * FROM adv.ext_procs e
             WHERE e.oid IN (SELECT aggcombinefn FROM pg_aggregate UNION SELECT aggfinalfn FROM pg_aggregate)
               AND t = ANY (e.argtypes) ORDER BY e.signature LOOP
        FOREACH v SLICE 1 IN ARRAY ARRAY[[m, m], [m, r], [r, m]] LOOP
            args := '{}'; k := 0;
            FOR i IN 1 .. p.pronargs LOOP
                IF p.argtypes[i] = t THEN k := k + 1; args := args || v[least(k, 2)];
                ELSE args := args || 'NULL'::text; END IF;
            END LOOP;
            fn := p.signature; query := adv.wrap(p.oid, adv.call_inner(p.oid, args));
            RETURN NEXT;
            EXIT WHEN k < 2;
        END LOOP;
    END LOOP;
    -- the type's own input function of value_ext, given the text
    SELECT e.signature, adv.wrap(e.oid, adv.call_inner(e.oid, ARRAY[m || '::text']))
    INTO fn, query
    FROM adv.state_types s JOIN adv.ext_procs e ON e.oid = s.input WHERE s.typ = t;
    IF fn IS NOT NULL AND m ~ '^\(SELECT m FROM adv\.mutants' THEN
        query := replace(query, '::' || t::text || ')::cstring', ')::cstring');
        RETURN NEXT;
    END IF;
END $$;

-- All feeding calls of a source: 'text' (adv.mutants) or a adv.recv_N table.
-- Prints the calls TSV of test/adversarial/calls.sh.
CREATE FUNCTION adv.feed_calls(source text)
RETURNS TABLE (fn text, kind text, check_finite text, mode text, query text) LANGUAGE sql STABLE AS $$
    SELECT f.fn, 'support', 'f', 'plain', f.query
    FROM adv.mutants mu,
         adv.feed(format('(SELECT m FROM adv.mutants WHERE id = %s)::%s', mu.id, mu.typ), mu.typ,
                  coalesce((SELECT format('(SELECT val FROM adv.corpus WHERE id = %s)::%s', c.id, c.typ)
                            FROM adv.corpus c WHERE c.origin = split_part(mu.origin, '; ', 1) LIMIT 1),
                           'NULL')) f
    WHERE source = 'text'
    UNION ALL
    SELECT f.fn, 'support', 'f', 'plain', f.query
    FROM adv.recv_tables rt, adv.recv_index ri,
         adv.feed(format('(SELECT v FROM %s WHERE id = %s)', rt.tbl, ri.n), rt.typ,
                  format('(SELECT val FROM adv.corpus WHERE id = %s)::%s', ri.corpus_id, rt.typ)) f
    WHERE rt.tbl = source AND ri.tbl = rt.tbl
$$;
