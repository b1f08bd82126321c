#!/usr/bin/env bash
# test/with-cluster.sh CMD [ARG...] -- run CMD against a throwaway cluster.
#
# Like Debian's pg_virtualenv, but it takes the server binaries from
# $PG_CONFIG, so the same script serves the Debian packages and any other
# PostgreSQL 15 build. The cluster listens only on a Unix socket in a fresh
# temporary directory (so several can run at once), runs as the postgres
# user when we are root, and is removed when CMD ends. CMD sees PGHOST,
# PGPORT, PGUSER and PGDATABASE.
set -euo pipefail

PG_CONFIG=${PG_CONFIG:-pg_config}
bindir=$("$PG_CONFIG" --bindir)
dir=$(mktemp -d /tmp/value_ext_pg.XXXXXX)
chmod 755 "$dir"
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
    as_owner=(runuser -u postgres --)
fi

cleanup() {
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
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
shared_buffers = '512MB'
work_mem = '64MB'
maintenance_work_mem = '256MB'
max_parallel_workers_per_gather = 2
CONF
# VALUE_EXT_SERVER_WRAPPER: a command (with its options, one string) to run
# the server under, e.g. valgrind (test/valgrind.sh).
start_opts=()
if [ -n "${VALUE_EXT_SERVER_WRAPPER:-}" ]; then
    cat >"$dir/postgres" <<WRAP
#!/bin/sh
exec $VALUE_EXT_SERVER_WRAPPER "$bindir/postgres" "\$@"
WRAP
    chmod 755 "$dir/postgres"
    start_opts=(-p "$dir/postgres" -t 300)
fi
"${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w "${start_opts[@]}" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }

export PGHOST="$dir" PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
export VALUE_EXT_SERVER_LOG="$dir/server.log"
"$@"
