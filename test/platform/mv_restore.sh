#!/usr/bin/env bash
# test/platform/mv_restore.sh -- the DBA's path: materialised views over
# value_ext, refreshed plainly, under forced parallel workers and
# CONCURRENTLY, then pg_dump | pg_restore into a fresh database (where
# pg_restore refreshes every MV with an empty search_path) and compared.
# Prints TAP lines (counted by test/suite.sh). Run inside test/with-cluster.sh.
#
# Coverage is generic: every aggregate, window function and set-returning
# function that value_ext installs must be used by at least one MV in
# test/platform/mviews.sql (found through pg_depend of the MVs' rewrite
# rules), so a newly landed function without MV coverage fails here.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
work=test/.work/mv
rm -rf "$work"; mkdir -p "$work"
src=value_ext_mv
dst=value_ext_mv_restored

. test/lib.sh
check() { if [ "$1" = 0 ]; then tap_ok "$2"; else tap_not_ok "$2"; fi; }

dropdb --if-exists "$src" >/dev/null 2>&1; dropdb --if-exists "$dst" >/dev/null 2>&1
# The server reads the postcode file itself (load_postcode_lookup).
nspl=$(server_copy test/data/NSPL_NOV_2021_UK_SR.csv value_ext_nspl_SR.csv)
createdb "$src"
if ! psql_q -d "$src" \
        -c 'SET client_min_messages = warning' \
        -c 'CREATE SCHEMA analytics' -c 'CREATE EXTENSION value_ext SCHEMA analytics' \
        -v nspl="$nspl" -f test/platform/fixture.sql -f test/platform/mviews.sql >"$work/setup.out" 2>&1; then
    tap_not_ok "value_ext in schema analytics, the fixture and test/platform/mviews.sql load" \
        "$(cat "$work/setup.out")"
    exit 0
fi
mapfile -t mvs < <(psql_q -d "$src" -c "SELECT format('%I.%I', schemaname, matviewname)
                                      FROM pg_matviews ORDER BY 1")
tap_ok "value_ext in schema analytics, the fixture and ${#mvs[@]} materialised views load"

# --- coverage: every aggregate / window / SRF used by some MV --------------
psql_q -d "$src" -F $'\t' -f test/lib/extension_members.sql -f test/platform/view_uses.sql -f - \
    >"$work/coverage.tsv" <<'SQL'
WITH ext AS (
    SELECT p.oid, p.oid::regprocedure::text AS sig,
           CASE WHEN p.prokind = 'a' THEN 'aggregate' WHEN p.prokind = 'w' THEN 'window function'
                ELSE 'set-returning function' END AS kind
    FROM pg_proc p
    JOIN extension_members m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
    WHERE p.prokind IN ('a', 'w') OR p.proretset)
SELECT x.kind, x.sig, coalesce(string_agg(DISTINCT v.view::regclass::text, ', '), '')
FROM ext x
LEFT JOIN view_uses v ON v.classid = 'pg_proc'::regclass AND v.objid = x.oid
     AND v.view IN (SELECT oid FROM pg_class WHERE relkind = 'm')
GROUP BY x.kind, x.sig ORDER BY 1, 2
SQL
tap_coverage "$work/coverage.tsv" "is used by a materialised view" "add one to test/platform/mviews.sql"
tap_comment "$coverage_n aggregates, window functions and set-returning functions in value_ext"

# --- every MV can be refreshed CONCURRENTLY ----------------------------------
missing=$(psql_q -d "$src" -c "
    SELECT string_agg(format('%I.%I', m.schemaname, m.matviewname), ', ')
    FROM pg_matviews m
    WHERE NOT EXISTS (
        SELECT 1 FROM pg_index i
        WHERE i.indrelid = format('%I.%I', m.schemaname, m.matviewname)::regclass
          AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL)")
check "$([ -z "$missing" ] && echo 0 || echo 1)" \
    "every materialised view has a unique index on plain columns without WHERE${missing:+ (missing: $missing)}"

# Saved copies of every MV's rows (COPY, floats exact), and their comparison
# with the MVs of a database: test/platform/mv_compare.sql (rows matched on the
# unique index; floats to a relative 1e-10, everything else equal).
save_rows() {
    local db=$1 dir=$2
    mkdir -p "$dir"
    for m in "${mvs[@]}"; do
        psql_q -d "$db" -c "SET extra_float_digits = 3" -c "COPY (SELECT * FROM $m) TO STDOUT" >"$dir/$m.copy"
    done
}
# compare_rows DB DIR: prints "MV<TAB>difference" per MV ('' when the same)
compare_rows() {
    local db=$1 dir=$2 sql=""
    for m in "${mvs[@]}"; do
        sql+="CREATE TEMP TABLE saved (LIKE $m);
\\copy saved FROM '$dir/$m.copy'
SELECT '$m', mv_check.diff('$m', 'saved');
DROP TABLE saved;
"
    done
    printf '%s' "$sql" | psql_q -F $'\t' -d "$db" \
        -f test/platform/mv_compare.sql -f - 2>&1
}

# Refresh each MV in its own session (so a failure names its MV); prints
# the failed MVs' errors as TAP comments and returns the number that failed.
refresh_all() {
    local db=$1 how=$2 settings=$3 log=$4 failed=0
    : >"$log"
    for m in "${mvs[@]}"; do
        if ! psql_q -d "$db" -c "$settings" \
                -c "REFRESH MATERIALIZED VIEW $how $m" >>"$log.one" 2>&1; then
            failed=$((failed + 1))
            echo "$m" >>"$log.failed"
            sed "s/^/#   $m: /" "$log.one" >>"$log"
        fi
        rm -f "$log.one"
    done
    return $failed
}

serial="SET max_parallel_workers_per_gather = 0"
parallel="SET force_parallel_mode = on; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
          SET min_parallel_table_scan_size = 0; SET min_parallel_index_scan_size = 0;
          SET max_parallel_workers_per_gather = 2"

refresh_all "$src" "" "$serial" "$work/refresh-plain.out"
check $? "REFRESH MATERIALIZED VIEW (serial) of every MV"
cat "$work/refresh-plain.out"
save_rows "$src" "$work/serial"
empty=$(psql_q -d "$src" -c "SELECT string_agg(format('%I.%I', schemaname, matviewname), ' ')
                          FROM pg_matviews m
                          WHERE NOT (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) > 0 AS n FROM %I.%I',
                                 m.schemaname, m.matviewname), false, true, '')))[1]::text::boolean")
check "$([ -z "$empty" ] && echo 0 || echo 1)" "every materialised view has rows after the refresh${empty:+ (empty: $empty)}"

# Under forced parallel settings every MV's query must really get a parallel
# plan: one PARALLEL UNSAFE function would make the refresh serial.
for m in "${mvs[@]}"; do
    def=$(psql_q -d "$src" -c "SELECT pg_get_viewdef('$m'::regclass)")
    plan=$(psql_q -d "$src" -c "$parallel" -c "EXPLAIN (COSTS OFF) ${def%;}" 2>&1)
    if grep -q 'Gather' <<<"$plan"; then
        tap_ok "$m: its query runs under parallel workers"
    else
        tap_not_ok "$m: its query runs under parallel workers (no Gather in the plan)"
        sed 's/^/# /' <<<"$plan"
    fi
done

refresh_all "$src" "" "$parallel" "$work/refresh-parallel.out"
check $? "REFRESH MATERIALIZED VIEW under forced parallel workers, every MV"
cat "$work/refresh-parallel.out"
compare_rows "$src" "$PWD/$work/serial" >"$work/parallel.diff"

refresh_all "$src" "CONCURRENTLY" "$parallel" "$work/refresh-concurrently.out"
check $? "REFRESH MATERIALIZED VIEW CONCURRENTLY (parallel workers forced) of every MV"
cat "$work/refresh-concurrently.out"
compare_rows "$src" "$PWD/$work/serial" >"$work/concurrently.diff"

for m in "${mvs[@]}"; do
    b=$(grep -P "^\Q$m\E\t" "$work/parallel.diff" | cut -f2-)
    c=$(grep -P "^\Q$m\E\t" "$work/concurrently.diff" | cut -f2-)
    if cat "$work"/refresh-*.out.failed 2>/dev/null | grep -qxF "$m"; then
        tap_not_ok "$m: serial, parallel and CONCURRENTLY refreshes give the same rows (a refresh failed)"
    elif grep -qP "^\Q$m\E\t$" "$work/parallel.diff" && grep -qP "^\Q$m\E\t$" "$work/concurrently.diff"; then
        tap_ok "$m: serial, parallel and CONCURRENTLY refreshes give the same rows"
    else
        tap_not_ok "$m: serial, parallel and CONCURRENTLY refreshes give the same rows"
        printf '#   parallel:     %s\n#   concurrently: %s\n' "$b" "$c"
        grep -v -P '\t' "$work/parallel.diff" | sed 's/^/#   /' | head -5
    fi
done

# --- dump and restore -------------------------------------------------------
# Back to the serial refresh before the dump.
refresh_all "$src" "" "$serial" "$work/refresh-again.out"
psql_q -d "$src" -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS mv_check CASCADE"   # test helper, not for the dump
if pg_dump -Fc -d "$src" -f "$work/dump.fc" 2>"$work/dump.err"; then
    tap_ok "pg_dump -Fc of the database with value_ext in schema analytics and its MVs"
else
    tap_not_ok "pg_dump -Fc of the database with value_ext in schema analytics and its MVs"
    sed 's/^/# /' "$work/dump.err"
fi
# Two restores into fresh databases: pg_restore of the custom-format dump,
# and psql running a plain-format dump (the script sets search_path to ''
# at its top); both refresh the MVs last with that empty search_path.
createdb "$dst"
pg_restore -d "$dst" "$work/dump.fc" >"$work/restore.out" 2>&1
status=$?
check "$status" "pg_restore into a fresh database completes without errors"
[ "$status" -ne 0 ] && sed 's/^/# /' "$work/restore.out"
plain=${dst}_plain
dropdb --if-exists "$plain" >/dev/null 2>&1; createdb "$plain"
if pg_dump -Fp -d "$src" -f "$work/dump.sql" 2>"$work/dump-plain.err" &&
        psql_q -d "$plain" -f "$work/dump.sql" >"$work/restore-plain.out" 2>&1; then
    tap_ok "pg_dump -Fp | psql into a fresh database completes without errors"
else
    tap_not_ok "pg_dump -Fp | psql into a fresh database completes without errors"
    cat "$work/dump-plain.err" "$work/restore-plain.out" | sed 's/^/# /' | head -20
fi

# Same rows as the serial refresh before the dump.
for restored in "$dst" "$plain"; do
    how=$([ "$restored" = "$dst" ] && echo "pg_restore" || echo "psql of a plain dump")
    compare_rows "$restored" "$PWD/$work/serial" >"$work/restored.diff"
    for m in "${mvs[@]}"; do
        populated=$(psql_q -d "$restored" -c "SELECT ispopulated FROM pg_matviews
                                           WHERE format('%I.%I', schemaname, matviewname) = '$m'")
        if grep -qP "^\Q$m\E\t$" "$work/restored.diff" && [ "$populated" = t ]; then
            tap_ok "$m: after $how (refreshed with an empty search_path), same rows"
        else
            tap_not_ok "$m: after $how (refreshed with an empty search_path), same rows"
            printf '#   populated: %s; %s\n' "$populated" "$(grep -P "^\Q$m\E\t" "$work/restored.diff" | cut -f2-)"
            grep -v -P '\t' "$work/restored.diff" | sed 's/^/#   /' | head -5
        fi
    done
done

# The extension's own tables (reference data, and any user rows registered
# with pg_extension_config_dump) come back with the same rows.
tables_sql="SELECT c.oid::regclass::text,
       (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s', c.oid::regclass), false, true, '')))[1]::text
FROM pg_class c
JOIN extension_members m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
WHERE c.relkind = 'r' ORDER BY 1"
psql_q -d "$src" -F $'\t' -f test/lib/extension_members.sql -c "$tables_sql" >"$work/tables.before" 2>&1
psql_q -d "$dst" -F $'\t' -f test/lib/extension_members.sql -c "$tables_sql" >"$work/tables.after" 2>&1
if cmp -s "$work/tables.before" "$work/tables.after"; then
    tap_ok "value_ext's tables have the same row counts after restore ($(wc -l <"$work/tables.before") tables)"
else
    tap_not_ok "value_ext's tables have the same row counts after restore"
    diff "$work/tables.before" "$work/tables.after" | sed 's/^/# /'
fi

dropdb "$plain" >/dev/null 2>&1; dropdb "$dst" >/dev/null 2>&1; dropdb "$src" >/dev/null 2>&1
exit 0
