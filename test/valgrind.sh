#!/usr/bin/env bash
# test/valgrind.sh -- the pg_regress suite (sql/, expected/) against a
# throwaway server running under valgrind memcheck (STYLE habit 3). Run by
# `make memcheck` (test/run.sh memcheck), which installs valgrind and builds
# value_ext with assertions on; it takes 7-9 minutes on 2 vCPUs, so it
# is not part of `make test`.
#
# The throwaway cluster is test/with-cluster.sh's, its server started under
# valgrind (VALUE_EXT_SERVER_WRAPPER); every backend and parallel worker is
# checked (they are forked from the postmaster, which valgrind follows).
# PostgreSQL's own reports (e.g. WAL buffers written with padding bytes
# never set) are counted but do not fail the run: only an error with a
# value_ext.so frame on its stack does.
# Debian's server is not built with valgrind client requests, so palloc'd
# chunks are not tracked one by one: this finds reads of memory never
# written and accesses outside any block malloc gave out, not overruns
# inside one.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_CONFIG=${PG_CONFIG:-pg_config}
export PG_CONFIG
command -v valgrind >/dev/null || { echo "valgrind is not installed (make memcheck installs it)" >&2; exit 2; }

logs=$(pwd)/test/.work/valgrind
rm -rf "$logs"; mkdir -p "$logs"
# the server writes the logs: as postgres when we are root
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$logs"; fi

echo "== pg_regress against PostgreSQL under valgrind (logs: $logs)"
export VALUE_EXT_SERVER_WRAPPER="valgrind --quiet --error-limit=no --track-origins=yes --log-file=$logs/vg.%p.log"
export PGOPTIONS="-c jit=off"
status=0
bash test/with-cluster.sh make -s PG_CONFIG="$PG_CONFIG" installcheck \
    >"$logs/regress.out" 2>&1 || status=$?
cat "$logs/regress.out"
[ $status -ne 0 ] && [ -f regression.diffs ] && cat regression.diffs

# An error report is a run of "==PID== ..." lines ended by an empty one.
ours=0
theirs=0
for log in "$logs"/vg.*.log; do
    [ -s "$log" ] || continue
    read -r o t < <(awk '
        /^==[0-9]+== $/ { if (blk != "") { if (blk ~ /value_ext\.so/) { o++; print blk > "/dev/stderr" } else t++ } blk = ""; next }
        /^==[0-9]+== / { blk = blk $0 "\n" }
        END { if (blk != "") { if (blk ~ /value_ext\.so/) { o++; print blk > "/dev/stderr" } else t++ }
              print o + 0, t + 0 }' "$log")
    ours=$((ours + o))
    theirs=$((theirs + t))
done
echo "valgrind: $ours reports in value_ext, $theirs in PostgreSQL itself (not ours; see $logs)"
[ $status -eq 0 ] && [ $ours -eq 0 ]
