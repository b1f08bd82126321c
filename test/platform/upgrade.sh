#!/usr/bin/env bash
# test/platform/upgrade.sh -- every release that shipped an install script
# (src/sql/value_ext--X.sql, installed by make install) is installed, a
# materialised view is built on it, ALTER EXTENSION value_ext UPDATE takes it
# to the current version, the view must still refresh to the same rows, and
# the updated catalogue (test/platform/catalogue_snapshot.sql: functions,
# aggregates, types, tables, comments, privileges) must equal a fresh
# install's. Prints TAP lines (counted by test/suite.sh). Run inside
# test/with-cluster.sh. A release that changes the catalogue without an
# upgrade script fails here.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. test/lib.sh
work=test/.work/upgrade
rm -rf "$work"; mkdir -p "$work"
fresh=value_ext_upgrade_fresh

current=$(psql_q -d postgres -c "SELECT default_version FROM pg_available_extensions
                                 WHERE name = 'value_ext'")
mapfile -t olds < <(psql_q -d postgres -c "SELECT version FROM pg_available_extension_versions
                                           WHERE name = 'value_ext' AND version <> '$current'
                                           ORDER BY string_to_array(version, '.')::int[]")
if [ ${#olds[@]} -eq 0 ]; then
    tap_not_ok "an earlier release of value_ext is installed to upgrade from" \
        "pg_available_extension_versions lists only $current: is src/sql/value_ext--1.0.sql installed?"
    exit 0
fi

install() { # DB [VERSION]
    dropdb --if-exists "$1" >/dev/null 2>&1
    createdb "$1" &&
        psql_q -d "$1" -c 'SET client_min_messages = warning' -c 'CREATE SCHEMA analytics' \
            -c "CREATE EXTENSION value_ext SCHEMA analytics${2:+ VERSION '$2'}"
}

# A materialised view over the aggregates whose support functions 1.1
# renamed, the concentration family and the lookups, with the fixture rows
# inline so that it depends on nothing else.
mview_sql="
CREATE MATERIALIZED VIEW public.upgrade_mv AS
SELECT g,
       analytics.dsr(x, n, w) AS dsr, analytics.proportion(x, n) AS proportion,
       analytics.crude_rate(x, n) AS crude_rate, analytics.mean_ci(x) AS mean,
       analytics.gini(n) AS gini, analytics.top_share(n, 0.2) AS top20,
       analytics.isr(x, n, x + 1, n) AS isr,
       analytics.concentration_index(x, n, w) AS ci,
       min(analytics.imd_decile(g * 3000 + 7)) AS decile
FROM (SELECT i % 3 AS g, (i % 17 + 3)::float8 AS x, (i * 37 % 500 + 600)::float8 AS n,
             (i % 19 * 100 + 1000)::float8 AS w
      FROM generate_series(1, 300) i) t
GROUP BY g;"
snapshot() { psql_q -d "$1" -f test/platform/catalogue_snapshot.sql >"$2" 2>&1; }

if ! install "$fresh" || ! snapshot "$fresh" "$work/fresh.txt"; then
    tap_not_ok "a fresh install of value_ext $current" "$(cat "$work/fresh.txt" 2>/dev/null)"
    exit 0
fi
tap_ok "a fresh install of value_ext $current ($(wc -l <"$work/fresh.txt") catalogue facts)"

for old in "${olds[@]}"; do
    db="value_ext_upgrade_from_${old//./_}"
    if ! install "$db" "$old" >"$work/$old.install.out" 2>&1 ||
            ! psql_q -d "$db" -c "$mview_sql" >>"$work/$old.install.out" 2>&1; then
        tap_not_ok "value_ext $old installs and a materialised view builds on it" \
            "$(cat "$work/$old.install.out")"
        continue
    fi
    psql_q -d "$db" -c 'TABLE public.upgrade_mv ORDER BY g' >"$work/$old.before.txt"
    tap_ok "value_ext $old installs and a materialised view builds on it"

    if psql_q -d "$db" -c 'ALTER EXTENSION value_ext UPDATE' >"$work/$old.update.out" 2>&1 &&
            [ "$(psql_q -d "$db" -c "SELECT extversion FROM pg_extension
                                     WHERE extname = 'value_ext'")" = "$current" ]; then
        tap_ok "ALTER EXTENSION value_ext UPDATE takes $old to $current"
    else
        tap_not_ok "ALTER EXTENSION value_ext UPDATE takes $old to $current" \
            "$(cat "$work/$old.update.out")"
        continue
    fi

    if psql_q -d "$db" -c 'REFRESH MATERIALIZED VIEW public.upgrade_mv' \
            -c 'TABLE public.upgrade_mv ORDER BY g' >"$work/$old.after.txt" 2>&1 &&
            cmp -s "$work/$old.before.txt" "$work/$old.after.txt"; then
        tap_ok "the materialised view built on $old refreshes after the update, same rows"
    else
        tap_not_ok "the materialised view built on $old refreshes after the update, same rows" \
            "$(diff "$work/$old.before.txt" "$work/$old.after.txt" | head -20)"
    fi

    snapshot "$db" "$work/$old.updated.txt"
    if diff "$work/fresh.txt" "$work/$old.updated.txt" >"$work/$old.diff"; then
        tap_ok "value_ext updated from $old equals a fresh $current install (catalogue, comments, privileges)"
    else
        tap_not_ok "value_ext updated from $old equals a fresh $current install (catalogue, comments, privileges)" \
            "< fresh $current, > updated from $old:" "$(head -40 "$work/$old.diff")"
    fi
    dropdb "$db" >/dev/null 2>&1
done
dropdb "$fresh" >/dev/null 2>&1
exit 0
