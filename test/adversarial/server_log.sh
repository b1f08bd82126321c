#!/usr/bin/env bash
# test/adversarial/server_log.sh -- the end-of-run check of `make test`
# (requirement 4): the cluster's server log ($VALUE_EXT_SERVER_LOG, set by
# test/with-cluster.sh) must hold no "terminated by signal" (a backend
# crashed: the postmaster reset every session) and no "TRAP:" (a failed
# assertion) line. Prints TAP lines; each offending line is shown with the
# next one ("Failed process was running: ..." names the statement).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
log=${VALUE_EXT_SERVER_LOG:-}
if [ -z "$log" ] || [ ! -r "$log" ]; then
    tap_not_ok "the server log is readable (VALUE_EXT_SERVER_LOG=${log:-unset})"; exit 0
fi
for pat in 'terminated by signal' 'TRAP:'; do
    n=$(grep -c -- "$pat" "$log")
    if [ "$n" -eq 0 ]; then
        tap_ok "server log: no \"$pat\" line"
    else
        tap_not_ok "server log: no \"$pat\" line ($n found)" \
            "$(grep -A 1 -- "$pat" "$log" | grep -v '^--$' | head -n 40 | cut -c1-600)"
    fi
done
exit 0
