#!/usr/bin/env bash
# test/citus/build.sh TARBALL -- build Citus from TARBALL and install it into
# the PostgreSQL of $PG_CONFIG (the one value_ext is installed in). Prints
# one line saying what it did; exits non-zero (with the log) on failure.
#
# Cached: the build tree is kept in $VALUE_EXT_CACHE (default test/.cache,
# which make test does not clear) under a name keyed by the tarball's sha256
# and the server version, so a second run only reinstalls, and only when the
# installed citus.so differs from the built one.
#
# The one source change (../shared/vendor/README.md): Citus 13.2.2 defines
# a static copy of have_createdb_privilege() for PostgreSQL 15, which 15.20
# and later export from commands/dbcommands.h; where the server's header
# declares it, the static copy is replaced by that #include.
set -euo pipefail
tarball=${1:?usage: $0 TARBALL}
cd "$(dirname "$0")/../.."
PG_CONFIG=${PG_CONFIG:-pg_config}

# Debian's server is built with these; Citus's configure finds the
# libraries through pg_config, so the headers must be there too (libcurl
# is optional: --without-libcurl).
bash test/bootstrap.sh libkrb5-dev libpam0g-dev libselinux1-dev uuid-dev libreadline-dev \
    libssl-dev libxslt1-dev liblz4-dev libzstd-dev libicu-dev >&2

sha=$(sha256sum "$tarball" | cut -c1-16)
pgver=$("$PG_CONFIG" --version | awk '{print $2}')
cache=${VALUE_EXT_CACHE:-$PWD/test/.cache}
tree=$cache/citus-$sha-pg$pgver-$(printf '%s' "$PG_CONFIG" | sha256sum | cut -c1-8)
mkdir -p "$cache"
exec 9>"$tree.lock"
flock 9

if [ ! -f "$tree/.built" ]; then
    rm -rf "$tree"; mkdir -p "$tree"
    tar -xzf "$tarball" -C "$tree" --strip-components=1
    if grep -q 'have_createdb_privilege' "$("$PG_CONFIG" --includedir-server)/commands/dbcommands.h"; then
        sed -i '/^static inline bool$/{N;/\nhave_createdb_privilege(void)$/{:a;N;/\n}$/!ba;s/.*/#include "commands\/dbcommands.h"/}}' \
            "$tree/src/include/pg_version_compat.h"
    fi
    t0=$(date +%s)
    if ! (cd "$tree" && ./configure -q PG_CONFIG="$PG_CONFIG" --without-libcurl && nice make -s -j2) \
            >"$tree/build.log" 2>&1; then
        tail -n 40 "$tree/build.log" >&2
        exit 1
    fi
    touch "$tree/.built"
    echo "built Citus in $(($(date +%s) - t0)) s ($tree)"
else
    echo "Citus build cached ($tree)"
fi
if ! cmp -s "$tree/src/backend/distributed/citus.so" "$("$PG_CONFIG" --pkglibdir)/citus.so"; then
    SUDO=
    if [ "$(id -u)" -ne 0 ] && [ ! -w "$("$PG_CONFIG" --pkglibdir)" ]; then SUDO=sudo; fi
    (cd "$tree" && $SUDO make -s install) >"$tree/install.log" 2>&1 || { cat "$tree/install.log" >&2; exit 1; }
    echo "installed Citus into $("$PG_CONFIG" --pkglibdir)"
fi
