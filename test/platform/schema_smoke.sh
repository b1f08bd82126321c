#!/usr/bin/env bash
# test/platform/schema_smoke.sh -- value_ext installed into a non-default
# schema (CREATE EXTENSION value_ext SCHEMA analytics) in a fresh database,
# then every user function called once through analytics.-qualified names
# with search_path = '' (pg_catalog only): test/platform/calls.sql. Catches
# unqualified references inside the extension's SQL functions (they fail
# without the extension's schema on the search_path) and objects created
# outside the chosen schema. Prints TAP lines (counted by test/suite.sh).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
work=test/.work/schema
rm -rf "$work"; mkdir -p "$work"
db=value_ext_schema

. test/lib.sh

dropdb --if-exists "$db" >/dev/null 2>&1
# The server reads the postcode file itself (load_postcode_lookup).
nspl=$(server_copy test/data/NSPL_NOV_2021_UK_SR.csv value_ext_nspl_SR.csv)
createdb "$db"
if psql_q -d "$db" -c 'SET client_min_messages = warning' \
        -c 'CREATE SCHEMA analytics' -c 'CREATE EXTENSION value_ext SCHEMA analytics' \
        >"$work/install.out" 2>&1; then
    tap_ok "CREATE EXTENSION value_ext SCHEMA analytics"
else
    tap_not_ok "CREATE EXTENSION value_ext SCHEMA analytics" "$(cat "$work/install.out")"; exit 0
fi

# Every object of the extension lives in analytics.
outside=$(psql_q -d "$db" -f test/lib/extension_members.sql -c "
    SELECT string_agg(pg_describe_object(d.classid, d.objid, 0), ', ')
    FROM extension_members d
    WHERE coalesce(
            (SELECT pronamespace FROM pg_proc WHERE d.classid = 'pg_proc'::regclass AND oid = d.objid),
            (SELECT relnamespace FROM pg_class WHERE d.classid = 'pg_class'::regclass AND oid = d.objid),
            (SELECT typnamespace FROM pg_type WHERE d.classid = 'pg_type'::regclass AND oid = d.objid),
            (SELECT oprnamespace FROM pg_operator WHERE d.classid = 'pg_operator'::regclass AND oid = d.objid),
            'analytics'::regnamespace) <> 'analytics'::regnamespace")
if [ -z "$outside" ]; then
    tap_ok "every object of value_ext is created in schema analytics"
else
    tap_not_ok "every object of value_ext is created in schema analytics (outside: $outside)"
fi

# The calls, created and run with an empty search_path.
if PGOPTIONS="-c search_path=" psql_q -d "$db" \
        -v nspl="$nspl" -f test/platform/calls.sql >"$work/calls.out" 2>&1; then
    tap_ok "test/platform/calls.sql creates its calls with search_path = ''"
else
    tap_not_ok "test/platform/calls.sql creates its calls with search_path = ''"
    sed 's/^/# /' "$work/calls.out"
fi
mapfile -t calls < <(psql_q -d "$db" -c "SELECT format('%I.%I', 'calls', viewname) FROM pg_views
                                WHERE schemaname = 'calls' ORDER BY 1")
# Each call runs in a fresh session (cold caches), in one transaction, and
# notes which value_ext tables it scanned (pg_stat_xact_all_tables). The
# whole row (t::text) is read: the planner drops unused outputs of a view,
# so count(*) alone would call nothing.
: >"$work/scans.tsv"
for v in "${calls[@]}"; do
    if out=$(PGOPTIONS="-c search_path=" psql_q -d "$db" -c "SHOW search_path" -c "BEGIN" \
                -c "SELECT count(*) FROM $v t WHERE t::text IS NOT NULL" \
                -c "SELECT coalesce(string_agg(relid::regclass::text, ','), '-')
                    FROM pg_catalog.pg_stat_xact_all_tables
                    WHERE schemaname = 'analytics' AND (seq_scan > 0 OR idx_scan > 0)" \
                -c "COMMIT" 2>&1); then
        rows=$(sed -n 2p <<<"$out")
        printf '%s\t%s\n' "$v" "$(sed -n 3p <<<"$out")" >>"$work/scans.tsv"
        if [ -z "$(head -n1 <<<"$out")" ] && [ "$rows" -gt 0 ] 2>/dev/null; then
            tap_ok "$v runs with search_path = '' ($rows rows)"
        else
            tap_not_ok "$v runs with search_path = '' and returns rows"; sed 's/^/# /' <<<"$out"
        fi
    else
        tap_not_ok "$v runs with search_path = ''"; sed 's/^/# /' <<<"$out"
    fi
done

# Honest volatility, measured: a call whose value_ext functions are all
# IMMUTABLE must not scan a value_ext table, other than the ones its view
# reads itself (directly or through other views). Catches a C function that
# reads a table (a lookup, a cache) while labelled IMMUTABLE.
{ echo "CREATE TEMP TABLE scans (view text, tables text);"
  echo "COPY scans FROM STDIN;"; cat "$work/scans.tsv"; echo '\.'
  cat <<'SQL'
WITH RECURSIVE reads(view, rel) AS (     -- relations each calls view reads, transitively
    SELECT u.view, u.objid FROM view_uses u
    WHERE u.classid = 'pg_class'::regclass
      AND u.view IN (SELECT c.oid FROM pg_class c WHERE c.relnamespace = 'calls'::regnamespace)
    UNION
    SELECT reads.view, u.objid FROM reads
    JOIN view_uses u ON u.view = reads.rel AND u.classid = 'pg_class'::regclass
), calls_of AS (
    SELECT u.view, p.oid, p.provolatile FROM view_uses u
    JOIN pg_proc p ON u.classid = 'pg_proc'::regclass AND p.oid = u.objid
     AND p.pronamespace = 'analytics'::regnamespace
), scanned AS (
    SELECT s.view::regclass AS view, t::regclass AS rel
    FROM scans s, unnest(string_to_array(s.tables, ',')) t WHERE s.tables <> '-'
)
SELECT format('%s scanned %s while calling only IMMUTABLE %s', s.view, string_agg(DISTINCT s.rel::text, ', '),
              (SELECT string_agg(DISTINCT c.oid::regprocedure::text, ', ') FROM calls_of c WHERE c.view = s.view))
FROM scanned s
WHERE NOT EXISTS (SELECT 1 FROM reads r WHERE r.view = s.view AND r.rel = s.rel)
  AND EXISTS (SELECT 1 FROM calls_of c WHERE c.view = s.view)
  AND NOT EXISTS (SELECT 1 FROM calls_of c WHERE c.view = s.view AND c.provolatile <> 'i')
GROUP BY s.view
SQL
} >"$work/volatility.sql"
if offenders=$(psql_q -d "$db" -f test/platform/view_uses.sql -f "$work/volatility.sql" 2>&1); then
    readers=$(awk -F'\t' '$2 != "-" { n++ } END { print n + 0 }' "$work/scans.tsv")
    if [ -z "$offenders" ]; then
        tap_ok "no call of only IMMUTABLE functions scans a value_ext table ($readers of ${#calls[@]} calls scan one)"
    else
        tap_not_ok "no call of only IMMUTABLE functions scans a value_ext table"; sed 's/^/# /' <<<"$offenders"
    fi
else
    tap_not_ok "measure which value_ext tables the calls scan"; sed 's/^/# /' <<<"$offenders"
fi

# Coverage: every user function is called by some view in schema calls.
psql_q -d "$db" -F $'\t' -f test/platform/user_objects.sql -f test/platform/view_uses.sql -f - \
    >"$work/coverage.tsv" 2>&1 <<'SQL' || tap_not_ok "list the user functions of value_ext" "$(cat "$work/coverage.tsv")"
SELECT u.kind, u.signature, coalesce(string_agg(DISTINCT v.view::regclass::text, ', '), '')
FROM user_objects u
LEFT JOIN view_uses v ON v.classid = 'pg_proc'::regclass AND v.objid = u.oid
     AND v.view IN (SELECT c.oid FROM pg_class c WHERE c.relnamespace = 'calls'::regnamespace)
WHERE u.kind IN ('function', 'aggregate', 'window function')
GROUP BY u.kind, u.signature ORDER BY 2
SQL
tap_coverage "$work/coverage.tsv" "is called with search_path = ''" "add a call to test/platform/calls.sql"
tap_comment "$coverage_n user functions in value_ext"
dropdb "$db" >/dev/null 2>&1
exit 0
