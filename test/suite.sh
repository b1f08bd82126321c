#!/usr/bin/env bash
# test/suite.sh -- run inside test/with-cluster.sh: pg_regress, then pgTAP on
# a database holding the demo place, then the platform checks (ODBC,
# materialised views and restore, schema, README; test/platform/run.sh),
# then the adversarial stage (every function from the catalogue as an
# unprivileged role, state fuzzing, sqlsmith; test/adversarial/run.sh), the
# multi-node stage (a Citus coordinator and two workers of its own; skipped
# with one line where the Citus source is absent; test/citus/run.sh), and
# last the server log check (no crash or failed assertion during the run).
# Ends with one line "N passed, M failed" across all suites and exits
# non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
. test/lib.sh
work=test/.work
rm -rf "$work"; mkdir -p "$work"

echo "== pg_regress (sql/, expected/)"
make -s PG_CONFIG="$PG_CONFIG" installcheck >"$work/regress.out" 2>&1
regress_status=$?
cat "$work/regress.out"
# pg_regress 15 prints one line per test ending in "ok" or "FAILED".
r_pass=$(grep -c -E '\.\.\. ok|^ok ' "$work/regress.out" || true)
r_fail=$(grep -c -E '\.\.\. FAILED|^not ok ' "$work/regress.out" || true)
if [ $regress_status -ne 0 ]; then
    [ -f regression.diffs ] && { echo "== regression.diffs"; cat regression.diffs; }
    [ "$r_fail" -eq 0 ] && r_fail=1
fi

echo "== pgTAP (test/*.sql, pg_prove)"
t_pass=0; t_fail=0
createdb value_ext_test
if ! psql_q -d value_ext_test \
        -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION value_ext' >"$work/setup.out" 2>&1; then
    cat "$work/setup.out"; t_fail=1
elif ! bash test/demo/load.sh value_ext_test >"$work/demo-load.out" 2>&1; then
    echo "demo place failed to load:"; cat "$work/demo-load.out"; t_fail=1
else
    pg_prove -v -d value_ext_test test/*.sql >"$work/pgtap.out" 2>&1
    prove_status=$?
    grep -E '^(not ok|#)|^test/|Result|Files=' "$work/pgtap.out"
    read -r t_pass t_fail < <(tap_count "$work/pgtap.out")
    if [ $prove_status -ne 0 ] && [ "$t_fail" -eq 0 ]; then
        cat "$work/pgtap.out"; t_fail=1
    fi
fi

# tap_stage SCRIPT OUT: runs SCRIPT on value_ext_test (the demo place), shows
# its failures and comments, and counts its TAP lines into s_pass / s_fail
# (no TAP line at all: the whole output is shown and counts as a failure).
tap_stage() {
    s_pass=0; s_fail=0
    if ! server_up value_ext_test; then
        echo "database value_ext_test missing"; s_fail=1; return
    fi
    bash "$1" value_ext_test >"$2" 2>&1
    grep -E '^(not ok|#)' "$2"
    read -r s_pass s_fail < <(tap_count "$2")
    [ "$s_pass" -eq 0 ] && [ "$s_fail" -eq 0 ] && { cat "$2"; s_fail=1; }
}

echo "== platform (test/platform/run.sh: ODBC, README lockstep, schema, materialised views and restore)"
tap_stage test/platform/run.sh "$work/platform.out"
p_pass=$s_pass; p_fail=$s_fail

echo "== adversarial (test/adversarial/run.sh: every function as an unprivileged role, state fuzzing, sqlsmith)"
tap_stage test/adversarial/run.sh "$work/adversarial.out"
a_pass=$s_pass; a_fail=$s_fail

echo "== citus (test/citus/run.sh: every aggregate split across two workers, equal to one node)"
c_start=$(date +%s)
bash test/citus/run.sh >"$work/citus.out" 2>&1
grep -E '^(not ok|#)|SKIP' "$work/citus.out"
read -r c_pass c_fail < <(. test/lib.sh; tap_count "$work/citus.out")
[ "$c_pass" -eq 0 ] && [ "$c_fail" -eq 0 ] && { cat "$work/citus.out"; c_fail=1; }
echo "citus: $(($(date +%s) - c_start)) s"

echo "== server log (test/adversarial/server_log.sh: no crash, no failed assertion)"
bash test/adversarial/server_log.sh >"$work/server_log.out" 2>&1
cat "$work/server_log.out"
read -r l_pass l_fail < <(tap_count "$work/server_log.out")
[ "$l_pass" -eq 0 ] && [ "$l_fail" -eq 0 ] && l_fail=1

echo "pg_regress: $r_pass passed, $r_fail failed"
echo "pgTAP: $t_pass passed, $t_fail failed"
echo "platform: $p_pass passed, $p_fail failed"
echo "adversarial: $a_pass passed, $a_fail failed"
echo "citus: $c_pass passed, $c_fail failed"
echo "server log: $l_pass passed, $l_fail failed"
pass=$((r_pass + t_pass + p_pass + a_pass + c_pass + l_pass)); fail=$((r_fail + t_fail + p_fail + a_fail + c_fail + l_fail))
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
