-- test/platform/mv_compare.sql -- mv_check.diff(mv, saved): how the rows of a
-- materialised view differ from a saved copy of them (a table of the same
-- columns), '' when they are the same. Rows are matched on the MV's unique
-- index (its columns must not be NULL); float columns may differ by a relative 1e-10 (streaming means and
-- co-moments depend in their last bits on the order rows arrive in, which
-- changes with parallel workers and with the plan), every other column must
-- be equal. Used by test/platform/mv_restore.sh.
CREATE SCHEMA IF NOT EXISTS mv_check;
CREATE OR REPLACE FUNCTION mv_check.diff(mv regclass, saved regclass) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    keys text;
    cond text;
    n_mv bigint;
    n_saved bigint;
    unmatched bigint;
    differing bigint;
    example text;
BEGIN
    SELECT string_agg(format('a.%1$I = b.%1$I', a.attname), ' AND ')
    INTO keys
    FROM pg_index i
    JOIN LATERAL unnest(i.indkey::int2[]) k(attnum) ON true
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
    WHERE i.indrelid = mv AND i.indisunique
      AND i.indexrelid = (SELECT min(indexrelid) FROM pg_index WHERE indrelid = mv AND indisunique);
    IF keys IS NULL THEN
        RETURN 'no unique index to match rows on';
    END IF;
    SELECT string_agg(CASE WHEN a.atttypid IN ('float8'::regtype, 'float4'::regtype)
                           THEN format('(a.%1$I = b.%1$I OR (a.%1$I IS NULL AND b.%1$I IS NULL)'
                                       ' OR abs(a.%1$I - b.%1$I) <= 1e-10 * greatest(abs(a.%1$I), abs(b.%1$I), 1e-6))',
                                       a.attname)
                           -- a type without "=" (value_list: stored states) by its text
                           WHEN NOT EXISTS (SELECT FROM pg_operator o WHERE o.oprname = '='
                                            AND o.oprleft = a.atttypid AND o.oprright = a.atttypid)
                           THEN format('a.%1$I::text IS NOT DISTINCT FROM b.%1$I::text', a.attname)
                           ELSE format('a.%1$I IS NOT DISTINCT FROM b.%1$I', a.attname) END,
                      ' AND ' ORDER BY a.attnum)
    INTO cond
    FROM pg_attribute a WHERE a.attrelid = mv AND a.attnum > 0 AND NOT a.attisdropped;
    EXECUTE format('SELECT count(*) FROM %s', mv) INTO n_mv;
    EXECUTE format('SELECT count(*) FROM %s', saved) INTO n_saved;
    EXECUTE format('SELECT count(*) FILTER (WHERE a IS NULL OR b IS NULL),
                           count(*) FILTER (WHERE a IS NOT NULL AND b IS NOT NULL AND NOT (%s)),
                           min(CASE WHEN a IS NULL OR b IS NULL OR NOT (%s) THEN coalesce(a::text, ''-'') || '' vs '' || coalesce(b::text, ''-'') END)
                    FROM %s a FULL JOIN %s b ON %s', cond, cond, mv, saved, keys)
    INTO unmatched, differing, example;
    IF n_mv = n_saved AND unmatched = 0 AND differing = 0 THEN
        RETURN '';
    END IF;
    RETURN format('%s rows now, %s saved; %s unmatched, %s differing; e.g. %s',
                  n_mv, n_saved, unmatched, differing, example);
END $$;
