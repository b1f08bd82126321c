#!/usr/bin/env bash
# test/valgrind.sh -- the pg_regress suite (sql/, expected/) against a
# throwaway server running under valgrind memcheck (STYLE habit 3). Run by
# `make memcheck` (test/run.sh memcheck), which installs valgrind and builds
# value_ext with assertions on; it takes about 7 minutes on 2 vCPUs, so it
# is not part of `make test`.
#
# Every backend and parallel worker is checked (they are forked from the
# postmaster, which valgrind follows). PostgreSQL's own reports (e.g. WAL
# buffers written with padding bytes never set) are counted but do not
# fail the run: only an error with a value_ext.so frame on its stack does.
# Debian's server is not built with valgrind client requests, so palloc'd
# chunks are not tracked one by one: this finds reads of memory never
# written and accesses outside any block malloc gave out, not overruns
# inside one.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_CONFIG=${PG_CONFIG:-pg_config}
bindir=$("$PG_CONFIG" --bindir)
command -v valgrind >/dev/null || { echo "valgrind is not installed (make memcheck installs it)" >&2; exit 2; }

dir=$(mktemp -d /tmp/value_ext_vg.XXXXXX)
chmod 755 "$dir"
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
    as_owner=(runuser -u postgres --)
fi
keep=test/.work/valgrind
rm -rf "$keep"; mkdir -p "$keep"

stop_server() {
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -t 300 stop >/dev/null 2>&1 || true
}
cleanup() {
    stop_server
    cp "$dir"/vg.*.log "$keep"/ 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT

"${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust \
    -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
port = 5432
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = '128MB'
max_parallel_workers_per_gather = 2
jit = off
CONF

echo "== starting PostgreSQL under valgrind (logs: $keep)"
"${as_owner[@]}" valgrind --quiet --error-limit=no --track-origins=yes \
    --log-file="$dir/vg.%p.log" "$bindir/postgres" -D "$dir/data" \
    >"$dir/server.log" 2>&1 &
for _ in $(seq 1 240); do
    "$bindir/pg_isready" -q -h "$dir" -p 5432 && break
    sleep 1
done
"$bindir/pg_isready" -q -h "$dir" -p 5432 || { cat "$dir/server.log" >&2; exit 1; }

export PGHOST="$dir" PGPORT=5432 PGUSER=postgres
status=0
make -s PG_CONFIG="$PG_CONFIG" installcheck >"$keep/regress.out" 2>&1 || status=$?
cat "$keep/regress.out"
[ $status -ne 0 ] && [ -f regression.diffs ] && cat regression.diffs
stop_server

# An error report is a run of "==PID== ..." lines ended by an empty one.
ours=0
theirs=0
for log in "$dir"/vg.*.log; do
    [ -s "$log" ] || continue
    read -r o t < <(awk '
        /^==[0-9]+== $/ { if (blk != "") { if (blk ~ /value_ext\.so/) { o++; print blk > "/dev/stderr" } else t++ } blk = ""; next }
        /^==[0-9]+== / { blk = blk $0 "\n" }
        END { if (blk != "") { if (blk ~ /value_ext\.so/) { o++; print blk > "/dev/stderr" } else t++ }
              print o + 0, t + 0 }' "$log")
    ours=$((ours + o))
    theirs=$((theirs + t))
done
echo "valgrind: $ours reports in value_ext, $theirs in PostgreSQL itself (not ours; see $keep)"
[ $status -eq 0 ] && [ $ours -eq 0 ]
