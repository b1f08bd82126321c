-- test/citus/lib.sql -- what the SQL files of the Citus stage share (\ir it):
-- pg_temp.same_result(a, b), the comparison of a distributed result with
-- the single-node one, as text: equal, or every number equal except
-- floats (those with a '.' or an exponent), which may differ by 1e-12
-- relative, the rest of the text identical.
SET client_min_messages = error;   -- Citus: a pg_temp function stays local
-- equal up to 1e-12 relative in floats, exactly otherwise
CREATE FUNCTION pg_temp.same_result(a text, b text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    num constant text := '-?(?:[0-9]+\.?[0-9]*(?:[eE][-+]?[0-9]+)?|NaN|Infinity)';
    xa text[];
    xb text[];
BEGIN
    IF a IS NOT DISTINCT FROM b THEN RETURN true; END IF;
    IF a IS NULL OR b IS NULL THEN RETURN false; END IF;
    IF regexp_replace(a, num, '#', 'g') <> regexp_replace(b, num, '#', 'g') THEN RETURN false; END IF;
    SELECT array_agg(m[1] ORDER BY k) INTO xa FROM regexp_matches(a, '(' || num || ')', 'g') WITH ORDINALITY r(m, k);
    SELECT array_agg(m[1] ORDER BY k) INTO xb FROM regexp_matches(b, '(' || num || ')', 'g') WITH ORDINALITY r(m, k);
    FOR k IN 1 .. coalesce(array_length(xa, 1), 0) LOOP
        CONTINUE WHEN xa[k] = xb[k];
        IF xa[k] !~ '[.eE]' AND xb[k] !~ '[.eE]' THEN RETURN false; END IF;   -- integers: exact
        IF xa[k] !~ '^-?[0-9]' OR xb[k] !~ '^-?[0-9]' THEN RETURN false; END IF;
        IF abs(xa[k]::float8 - xb[k]::float8) > 1e-12 * greatest(abs(xa[k]::float8), abs(xb[k]::float8)) THEN
            RETURN false;
        END IF;
    END LOOP;
    RETURN true;
END $$;
SET client_min_messages = warning;
