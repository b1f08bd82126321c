# test/lib.sh -- shell helpers shared by the test scripts (source it; it sets
# no shell options and runs nothing). Owns: TAP printing (ok / not_ok /
# comment, counting a TAP file's lines, the coverage lines), the quiet psql
# wrapper, a server-readable copy of a data file, waiting
# for the server after a crash, and elapsed-time stamps.
#
#   . "$(dirname "$0")/../lib.sh"      # from test/<stage>/script.sh
#   tap_ok "the thing works"           # -> ok - the thing works
#   tap_not_ok "the thing" "detail"    # -> not ok - the thing, then "# detail"
#   tap_comment "text"                 # -> # text (each line prefixed)
#   tap_count FILE                     # -> "PASS FAIL" counted from FILE
#   tap_coverage TSV CLAIM HINT        # -> ok / not ok per "kind, signature, users" row
#   psql_q -d DB -c 'SELECT 1'         # unaligned, tuples only, stop on error
#   server_up; wait_for_server [SECS]  # true when the server accepts connections
#   timer_start; timer_elapsed         # whole seconds since timer_start
#   server_copy FILE NAME              # -> a path of FILE the server can read
#
# SQL shared the same way: test/lib/extension_members.sql (the members of
# value_ext, a TEMP VIEW; psql -f it before your query, or \ir it).

tap_ok() { printf 'ok - %s\n' "$*"; }

# tap_not_ok TITLE [DETAIL...]: the details become "#" comment lines.
tap_not_ok() {
    printf 'not ok - %s\n' "$1"
    shift
    [ $# -gt 0 ] && tap_comment "$@"
    return 0
}

tap_comment() {
    local line
    printf '%s\n' "$@" | while IFS= read -r line; do printf '# %s\n' "$line"; done
}

# tap_count FILE -> "PASS FAIL" (lines starting "ok " / "not ok ").
tap_count() {
    local pass fail
    pass=$(grep -c -E '^ok ' "$1" 2>/dev/null || true)
    fail=$(grep -c -E '^not ok ' "$1" 2>/dev/null || true)
    echo "${pass:-0} ${fail:-0}"
}

# tap_coverage TSV CLAIM HINT: the coverage checks. TSV holds one row per
# function: kind, signature, and the objects that use it ('' when none).
# Prints "ok - KIND SIGNATURE CLAIM (users)" or "not ok - KIND SIGNATURE
# CLAIM (HINT)" per row, and sets coverage_n to the number of rows.
tap_coverage() {
    local kind sig used
    coverage_n=0
    while IFS=$'\t' read -r kind sig used; do
        [ -z "$kind" ] && continue
        coverage_n=$((coverage_n + 1))
        if [ -n "$used" ]; then
            tap_ok "$kind $sig $2 ($used)"
        else
            tap_not_ok "$kind $sig $2 ($3)"
        fi
    done <"$1"
}

# psql without ~/.psqlrc, quiet, unaligned, tuples only, stop on the first
# error; pass -d DB and the rest as for psql.
psql_q() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }

# server_up [DB]: the server accepts connections (as the current PG* user).
server_up() { psql -X -q -A -t -d "${1:-postgres}" -c 'SELECT 1' >/dev/null 2>&1; }

# wait_for_server [SECS]: after a backend crash the postmaster resets all
# sessions and replays WAL; wait until it accepts connections again.
wait_for_server() {
    local limit=${1:-120} i
    for ((i = 0; i < limit * 4; i++)); do
        server_up && return 0
        sleep 0.25
    done
    return 1
}

timer_start() { _timer_t0=$(date +%s); }
timer_elapsed() { echo $(($(date +%s) - ${_timer_t0:-$(date +%s)})); }

# server_copy FILE NAME: prints a path at which the server itself can read
# FILE (COPY ... FROM 'path', a loader such as load_postcode_lookup): a
# copy NAME in the cluster's socket directory ($PGHOST, test/with-cluster.sh)
# when that is writable, readable whatever the permissions of the checkout;
# else FILE's absolute path.
server_copy() {
    if [ -d "${PGHOST:-}" ] && [ -w "$PGHOST" ] && cp "$1" "$PGHOST/$2"; then
        chmod 644 "$PGHOST/$2"
        echo "$PGHOST/$2"
    else
        realpath "$1"
    fi
}
