#!/usr/bin/env bash
# test/bench/70_citus.sh -- value_ext on Citus against one node (make bench;
# nothing here asserts a time). Starts its own coordinator and two workers
# (test/citus/cluster.sh, Citus built by test/citus/build.sh from
# ../shared/vendor/citus-13.2.2.tar.gz or $VALUE_EXT_CITUS_TARBALL; skipped
# with one line where it is absent), loads the demo place and, for each
# size in $CITUS_BENCH_PERSONS (default "3000000 10000000"), runs
# test/bench/citus.sql: per aggregate family, Citus / single-node time and
# the bytes of partial state the workers send per row; then, where
# value_list_agg exists, the stored-state route (test/bench/citus_states.sql).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. test/lib.sh
PG_CONFIG=${PG_CONFIG:-pg_config}

tarball=${VALUE_EXT_CITUS_TARBALL:-$(cd .. && pwd)/shared/vendor/citus-13.2.2.tar.gz}
if [ ! -f "$tarball" ]; then
    echo "citus benchmark skipped: $tarball not found"
    exit 0
fi
bash test/citus/build.sh "$tarball" >/dev/null || exit 1
. test/citus/cluster.sh
fail() { echo "$cluster_error" >&2; echo "$cluster_detail" >&2; exit 1; }
cluster_start "shared_buffers = '1GB'" "work_mem = '256MB'" "maintenance_work_mem = '512MB'" \
    "max_wal_size = '8GB'" "max_parallel_workers = 8" || fail
cluster_extensions || fail
cluster_load_demo 20000 || fail

for persons in ${CITUS_BENCH_PERSONS:-3000000 10000000}; do
    timer_start
    coord -P pager=off -v persons="$persons" -f test/bench/citus.sql || exit 1
    if [ "$(coord -c "SELECT count(*) FROM pg_proc WHERE proname = 'value_list_agg'")" -gt 0 ]; then
        coord -P pager=off -f test/bench/citus_states.sql || exit 1
    else
        echo "(stored-state route: value_list_agg is not in this build)"
    fi
    coord -c 'DROP TABLE cz.b, lcl.b, lcl.b_base' || exit 1
    echo "($persons rows: $(timer_elapsed) s including the load)"
done
