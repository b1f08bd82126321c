#!/usr/bin/env bash
# test/odbc/run.sh DB -- Power BI's path: read every view of schema `bi` in DB
# through unixODBC and psqlODBC (the Debian packages unixodbc, odbc-postgresql)
# with the small client test/odbc/odbc_check.c, and check the column types the
# driver reports and the values against psql. Prints TAP lines (counted by
# test/suite.sh). Run inside test/with-cluster.sh (PGHOST is the socket
# directory: psqlODBC's Servername accepts it, as libpq's host does).
#
# The BI type contract (README "Power BI, materialised views and restore"):
#   numeric(p,s) -> NUMERIC(p,s)    float8 -> FLOAT (ODBC's double precision)
#   int4 -> INTEGER, int8 -> BIGINT smallint -> SMALLINT, 0/1 flags only
#   varchar(n) -> VARCHAR(n) (ANSI driver), WVARCHAR(n) (Unicode driver)
#   date -> TYPE_DATE
# Anything else (text, boolean, unconstrained numeric, arrays, composites,
# json, extension types) is not BI-plain and fails.
#
# psql and both ODBC sessions run the views with serial plans
# (max_parallel_workers_per_gather = 0; psqlODBC's ConnSettings): a float sum
# over a parallel plan changes in its last bits from run to run (workers
# combine partial sums in whatever order they finish), and the comparison
# here is bit for bit, to prove the driver transports doubles exactly.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
db=${1:?usage: $0 DB}
work=test/.work/odbc
mkdir -p "$work"

. test/lib.sh

if ! cc -std=gnu99 -O1 -Wall -Wextra -Werror -o "$work/odbc_check" \
        test/odbc/odbc_check.c -lodbc 2>"$work/cc.err"; then
    tap_not_ok "test/odbc/odbc_check.c compiles against unixODBC" "$(cat "$work/cc.err")"
    exit 0
fi
tap_ok "test/odbc/odbc_check.c compiles against unixODBC"

for drv in "PostgreSQL Unicode" "PostgreSQL ANSI"; do
    if odbcinst -q -d -n "$drv" >/dev/null 2>&1; then
        tap_ok "psqlODBC driver \"$drv\" is registered with unixODBC"
    else
        tap_not_ok "psqlODBC driver \"$drv\" is registered with unixODBC (apt-get install odbc-postgresql)"
    fi
done

mapfile -t views < <(psql_q -d "$db" -c "
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'bi' AND c.relkind IN ('v', 'm') ORDER BY 1")
if [ ${#views[@]} -gt 0 ]; then
    tap_ok "schema bi holds ${#views[@]} BI views"
else
    tap_not_ok "schema bi holds BI views (test/demo/bi_views.sql, loaded by test/demo/load.sh)"
fi

# One row per column: name, PostgreSQL type, and the ODBC type psqlODBC must
# report (ANSI spelling), size and digits; "-" where the driver's choice is
# not part of the contract.
columns_sql="
    SELECT a.attname, format_type(a.atttypid, a.atttypmod),
           CASE
             WHEN a.atttypid = 'numeric'::regtype AND a.atttypmod >= 4 THEN 'NUMERIC'
             WHEN a.atttypid = 'float8'::regtype THEN 'FLOAT'
             WHEN a.atttypid = 'int4'::regtype THEN 'INTEGER'
             WHEN a.atttypid = 'int8'::regtype THEN 'BIGINT'
             WHEN a.atttypid = 'int2'::regtype THEN 'SMALLINT'
             WHEN a.atttypid = 'varchar'::regtype AND a.atttypmod >= 4
                  AND a.atttypmod - 4 <= 255 THEN 'VARCHAR'
             WHEN a.atttypid = 'date'::regtype THEN 'TYPE_DATE'
             ELSE 'NOT-BI-PLAIN' END,
           CASE
             WHEN a.atttypid = 'numeric'::regtype AND a.atttypmod >= 4
               THEN (((a.atttypmod - 4) >> 16) & 65535)::text
             WHEN a.atttypid = 'varchar'::regtype AND a.atttypmod >= 4
               THEN (a.atttypmod - 4)::text
             ELSE '-' END,
           CASE
             WHEN a.atttypid = 'numeric'::regtype AND a.atttypmod >= 4
               THEN ((a.atttypmod - 4) & 65535)::text
             ELSE '-' END
    FROM pg_attribute a
    WHERE a.attrelid = format('bi.%I', :'view')::regclass
      AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY a.attnum"

for view in ${views[@]+"${views[@]}"}; do
    label="bi.$view"
    psql_q -d "$db" -F $'\t' -v view="$view" -f - <<<"$columns_sql" >"$work/$view.types" \
        || { tap_not_ok "$label: read its columns from the catalogue"; continue; }
    bad=$(awk -F'\t' '$3 == "NOT-BI-PLAIN" { printf "%s%s %s", sep, $1, $2; sep = ", " }' "$work/$view.types")
    if [ -z "$bad" ]; then
        tap_ok "$label has only BI-plain column types"
    else
        tap_not_ok "$label has only BI-plain column types (not: $bad)"
    fi
    ncols=$(wc -l <"$work/$view.types")
    order=$(seq -s, 1 "$ncols")
    query="SELECT * FROM bi.\"$view\" ORDER BY $order"
    if ! PGOPTIONS="-c max_parallel_workers_per_gather=0" \
            psql_q -d "$db" -c "COPY ($query) TO STDOUT" \
            >"$work/$view.rows" 2>"$work/$view.psql.err"; then
        tap_not_ok "$label: psql reads the view" "$(cat "$work/$view.psql.err")"
        continue
    fi
    # Power BI's own driver (Unicode) with its defaults; then the ANSI driver
    # with the cursor-based fetch recommended for large imports.
    for drv in "PostgreSQL Unicode" "PostgreSQL ANSI"; do
        case "$drv" in
            *Unicode) extra=""; vc=WVARCHAR; mode=--wide ;;
            # a cursor read 50 rows at a time: several round trips for the larger views
            *) extra="UseDeclareFetch=1;Fetch=50;"; vc=VARCHAR; mode= ;;
        esac
        awk -F'\t' -v OFS='\t' -v vc="$vc" '{ if ($3 == "VARCHAR") $3 = vc; print $1, $3, $4, $5 }' \
            "$work/$view.types" >"$work/$view.expect"
        conn="Driver={$drv};Servername=$PGHOST;Port=${PGPORT:-5432};Database=$db;Username=${PGUSER:-postgres};$extra"
        conn+="ConnSettings={SET max_parallel_workers_per_gather = 0};"
        "$work/odbc_check" $mode --catalog "bi.$view" "$conn" "$label [$drv]" "$query" \
            "$work/$view.expect" "$work/$view.rows" \
            || tap_not_ok "$label [$drv]: odbc_check ran"
    done
done

# The README's type table, column by column, BI-plain or not.
if psql_q -d "$db" -c 'DROP SCHEMA IF EXISTS odbc_probe CASCADE' \
        -f test/odbc/probe.sql >"$work/probe.out" 2>&1; then
    for drv in "PostgreSQL Unicode" "PostgreSQL ANSI"; do
        case "$drv" in
            *Unicode) col=2; mode=--wide ;;
            *) col=3; mode= ;;
        esac
        grep -v '^#' test/odbc/probe.tsv | awk -F'\t' -v OFS='\t' -v c="$col" '{ print $1, $c, $4, $5 }' \
            >"$work/probe.expect"
        conn="Driver={$drv};Servername=$PGHOST;Port=${PGPORT:-5432};Database=$db;Username=${PGUSER:-postgres};"
        "$work/odbc_check" $mode --catalog odbc_probe.types "$conn" "odbc_probe.types [$drv]" \
            "SELECT * FROM odbc_probe.types" \
            "$work/probe.expect" - || tap_not_ok "odbc_probe.types [$drv]: odbc_check ran"
    done
else
    tap_not_ok "test/odbc/probe.sql creates the type probe" "$(cat "$work/probe.out")"
fi
psql_q -d "$db" -c 'DROP SCHEMA IF EXISTS odbc_probe CASCADE' >/dev/null 2>&1
