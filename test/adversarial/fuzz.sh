#!/usr/bin/env bash
# test/adversarial/fuzz.sh -- `make fuzz` (test/run.sh fuzz), inside
# test/with-cluster.sh: a database holding the demo place, then the
# adversarial stage in fuzz mode (ADV_MODE=fuzz: 100,000 sqlsmith queries,
# more random combinations and state mutants; override with FUZZ_QUERIES,
# FUZZ_SEED, FUZZ_SECONDS, FUZZ_RANDOM, FUZZ_MUTANTS), then the server log
# check. Ends with "N passed, M failed" and exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. test/lib.sh
db=value_ext_fuzz
work=test/.work
mkdir -p "$work"
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db" || exit 1
psql_q -d "$db" -c 'CREATE EXTENSION value_ext' >/dev/null || exit 1
echo "== demo place"
bash test/demo/load.sh "$db" >"$work/fuzz-demo-load.out" 2>&1 || { cat "$work/fuzz-demo-load.out"; exit 1; }
echo "== adversarial (fuzz)"
ADV_MODE=fuzz bash test/adversarial/run.sh "$db" >"$work/fuzz.out" 2>&1
bash test/adversarial/server_log.sh >>"$work/fuzz.out" 2>&1
grep -E '^(not ok|#)' "$work/fuzz.out" | grep -v '^# replay'
read -r pass fail < <(tap_count "$work/fuzz.out")
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
