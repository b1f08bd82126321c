#!/usr/bin/env bash
# test/dev-sandbox.sh NAME -- a private, relocated copy of the PostgreSQL 15
# installation for parallel development: `make install` and the test
# clusters of one sandbox never touch another's or the system's.
#
#   PG_CONFIG=$(bash test/dev-sandbox.sh alice) make test
#
# Prints the sandbox's pg_config path. PostgreSQL finds its share and lib
# directories relative to its binaries, so a copy of the tree just works.
set -euo pipefail
name=${1:?usage: $0 NAME}
root=${VALUE_EXT_SANDBOX_ROOT:-/tmp/value_ext_sandbox}/$name
if [ ! -x "$root/usr/lib/postgresql/15/bin/pg_config" ]; then
    mkdir -p "$root/usr/lib/postgresql" "$root/usr/share/postgresql" "$root/usr/include"
    cp -a /usr/lib/postgresql/15 "$root/usr/lib/postgresql/"
    cp -a /usr/share/postgresql/15 "$root/usr/share/postgresql/"
    cp -a /usr/include/postgresql "$root/usr/include/"
    chmod -R a+rX "$root"
fi
echo "$root/usr/lib/postgresql/15/bin/pg_config"
