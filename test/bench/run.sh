#!/usr/bin/env bash
# test/bench/run.sh [PATTERN] -- run inside test/with-cluster.sh by
# `make bench`: runs each test/bench/NN_*.sql (or those matching PATTERN)
# in a fresh database, and each test/bench/NN_*.sh (a benchmark that needs
# servers of its own, e.g. 70_citus.sh's Citus cluster), in name order;
# each benchmark generates its own deterministic rows at the size its
# target names (e.g. 10M person rows). Each benchmark
# prints its timings as ratios against a baseline measured in the same run
# (see test/bench/lib.sql); nothing here asserts a time.
set -euo pipefail
cd "$(dirname "$0")/../.."
pattern=${1:-}
db=value_ext_bench
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION value_ext' -f test/bench/lib.sql
for f in $(printf '%s\n' test/bench/[0-9][0-9]_*.sql test/bench/[0-9][0-9]_*.sh | sort); do
    case "$f" in *"$pattern"*) ;; *) continue ;; esac
    echo "== $f"
    case "$f" in
        *.sh) bash "$f" ;;
        *) psql -X -q -v ON_ERROR_STOP=1 -P pager=off -P footer=off -d "$db" -f "$f" ;;
    esac
done
