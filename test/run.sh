#!/usr/bin/env bash
# test/run.sh demo|test|bench|memcheck|fuzz -- the README's two commands (and
# the benchmarks, the regression suite under valgrind, and the adversarial
# stage run long: fuzz, see test/adversarial/run.sh for FUZZ_QUERIES,
# FUZZ_SEED, FUZZ_SECONDS, FUZZ_RANDOM, FUZZ_MUTANTS).
#
# Installs missing Debian packages, builds and installs value_ext, then runs
# the chosen job on a throwaway cluster (test/with-cluster.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
case "$mode" in
    demo|test|bench|memcheck|fuzz) ;;
    *) echo "usage: $0 demo|test|bench|memcheck|fuzz" >&2; exit 2 ;;
esac

if [ "$mode" = memcheck ]; then
    bash test/bootstrap.sh valgrind
    # assertions on (value_list checks its invariants after every change)
    PG_CFLAGS="${PG_CFLAGS:-} -DUSE_ASSERT_CHECKING"
else
    bash test/bootstrap.sh
fi
if [ -z "${PG_CONFIG:-}" ]; then
    if [ -x /usr/lib/postgresql/15/bin/pg_config ]; then
        PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
    else
        PG_CONFIG=pg_config
    fi
fi
export PG_CONFIG

SUDO=
if [ "$(id -u)" -ne 0 ] && [ ! -w "$("$PG_CONFIG" --pkglibdir)" ]; then
    SUDO=sudo
fi

echo "== build"
if [ "$mode" = memcheck ]; then
    make -s PG_CONFIG="$PG_CONFIG" clean >/dev/null
fi
make -s PG_CONFIG="$PG_CONFIG" ${PG_CFLAGS:+PG_CFLAGS="$PG_CFLAGS"} >/dev/null
$SUDO make -s PG_CONFIG="$PG_CONFIG" install >/dev/null

case "$mode" in
    demo)  exec bash test/with-cluster.sh bash test/demo/demo.sh ;;
    bench) exec bash test/with-cluster.sh bash test/bench/run.sh "${@:2}" ;;
    memcheck) exec bash test/valgrind.sh ;;
    fuzz) exec bash test/with-cluster.sh bash test/adversarial/fuzz.sh ;;
    test)
        format_failed=0
        echo "== format (clang-format, .clang-format)"
        if make -s format-check; then echo "format: ok"; else format_failed=1; echo "format: FAILED (run make format)"; fi
        status=0
        bash test/with-cluster.sh bash test/suite.sh || status=$?
        if [ $format_failed -ne 0 ] && [ $status -eq 0 ]; then status=1; fi
        exit $status ;;
esac
