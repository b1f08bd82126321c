#!/usr/bin/env bash
# test/bootstrap.sh -- install the Debian packages value_ext needs, if missing.
#
# Used by `make demo` and `make test`. Installs only what is absent; uses
# sudo when not root. Extra packages can be named as arguments.
set -euo pipefail

pkgs=(postgresql-15 postgresql-server-dev-15 libicu-dev pkg-config make gcc
      postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl clang-format
      gnuplot-nox
      openssl
      unixodbc unixodbc-dev odbc-postgresql
      sqlsmith
      "$@")

missing=()
for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "bootstrap: installing ${missing[*]}"
SUDO=
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "bootstrap: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
