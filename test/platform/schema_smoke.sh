#!/usr/bin/env bash
# test/platform/schema_smoke.sh -- value_ext installed into a non-default
# schema (CREATE EXTENSION value_ext SCHEMA analytics) in a fresh database,
# then every user function called once through analytics.-qualified names
# with search_path = '' (pg_catalog only): test/platform/calls.sql. Catches
# unqualified references inside the extension's SQL functions (they fail
# without the extension's schema on the search_path) and objects created
# outside the chosen schema. Prints TAP lines (counted by test/suite.sh).
set -uo pipefail
cd "$(dirname "$0")/../.."
work=test/.work/schema
rm -rf "$work"; mkdir -p "$work"
db=value_ext_schema

psql_q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"; }
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }

dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
if psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'SET client_min_messages = warning' \
        -c 'CREATE SCHEMA analytics' -c 'CREATE EXTENSION value_ext SCHEMA analytics' \
        >"$work/install.out" 2>&1; then
    ok "CREATE EXTENSION value_ext SCHEMA analytics"
else
    notok "CREATE EXTENSION value_ext SCHEMA analytics"; sed 's/^/# /' "$work/install.out"; exit 0
fi

# Every object of the extension lives in analytics.
outside=$(psql_q -c "
    SELECT string_agg(pg_describe_object(d.classid, d.objid, 0), ', ')
    FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'value_ext'
    WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
      AND coalesce(
            (SELECT pronamespace FROM pg_proc WHERE d.classid = 'pg_proc'::regclass AND oid = d.objid),
            (SELECT relnamespace FROM pg_class WHERE d.classid = 'pg_class'::regclass AND oid = d.objid),
            (SELECT typnamespace FROM pg_type WHERE d.classid = 'pg_type'::regclass AND oid = d.objid),
            (SELECT oprnamespace FROM pg_operator WHERE d.classid = 'pg_operator'::regclass AND oid = d.objid),
            'analytics'::regnamespace) <> 'analytics'::regnamespace")
if [ -z "$outside" ]; then
    ok "every object of value_ext is created in schema analytics"
else
    notok "every object of value_ext is created in schema analytics (outside: $outside)"
fi

# The calls, created and run with an empty search_path.
if PGOPTIONS="-c search_path=" psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
        -v nspl="$PWD/test/data/NSPL_NOV_2021_UK_SR.csv" -f test/platform/calls.sql >"$work/calls.out" 2>&1; then
    ok "test/platform/calls.sql creates its calls with search_path = ''"
else
    notok "test/platform/calls.sql creates its calls with search_path = ''"
    sed 's/^/# /' "$work/calls.out"
fi
mapfile -t calls < <(psql_q -c "SELECT format('%I.%I', 'calls', viewname) FROM pg_views
                                WHERE schemaname = 'calls' ORDER BY 1")
for v in "${calls[@]}"; do
    if out=$(PGOPTIONS="-c search_path=" psql_q -c "SHOW search_path" \
                -c "SELECT count(*) FROM $v" 2>&1); then
        rows=$(tail -n1 <<<"$out")
        if [ -z "$(head -n1 <<<"$out")" ] && [ "$rows" -gt 0 ] 2>/dev/null; then
            ok "$v runs with search_path = '' ($rows rows)"
        else
            notok "$v runs with search_path = '' and returns rows"; sed 's/^/# /' <<<"$out"
        fi
    else
        notok "$v runs with search_path = ''"; sed 's/^/# /' <<<"$out"
    fi
done

# Coverage: every user function is called by some view in schema calls.
{ echo "CREATE TEMP VIEW user_objects AS"; grep -v '^--' test/platform/user_objects.sql; echo ";"
  cat <<'SQL'
SELECT u.kind, u.signature,
       coalesce(string_agg(DISTINCT r.ev_class::regclass::text, ', '), '')
FROM user_objects u
LEFT JOIN pg_depend d ON d.refclassid = 'pg_proc'::regclass AND d.refobjid = u.oid
     AND d.classid = 'pg_rewrite'::regclass
LEFT JOIN pg_rewrite r ON r.oid = d.objid
     AND r.ev_class IN (SELECT c.oid FROM pg_class c WHERE c.relnamespace = 'calls'::regnamespace)
WHERE u.kind IN ('function', 'aggregate', 'window function')
GROUP BY u.kind, u.signature ORDER BY 2
SQL
} >"$work/coverage.sql"
psql_q -F $'\t' -f "$work/coverage.sql" >"$work/coverage.tsv" 2>&1 \
    || { notok "list the user functions of value_ext"; sed 's/^/# /' "$work/coverage.tsv"; }
n=0
while IFS=$'\t' read -r kind sig used; do
    [ -z "$kind" ] && continue
    n=$((n + 1))
    if [ -n "$used" ]; then
        ok "$kind $sig is called with search_path = '' ($used)"
    else
        notok "$kind $sig is called with search_path = '' (add a call to test/platform/calls.sql)"
    fi
done <"$work/coverage.tsv"
echo "# $n user functions in value_ext"
dropdb "$db" >/dev/null 2>&1
exit 0
