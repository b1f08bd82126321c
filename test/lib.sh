# test/lib.sh -- shell helpers shared by the test scripts (source it; it sets
# no shell options and runs nothing). Owns: TAP printing (ok / not_ok /
# comment, and counting a TAP file's lines), the quiet psql wrapper, waiting
# for the server after a crash, and elapsed-time stamps.
#
#   . "$(dirname "$0")/../lib.sh"      # from test/<stage>/script.sh
#   tap_ok "the thing works"           # -> ok - the thing works
#   tap_not_ok "the thing" "detail"    # -> not ok - the thing, then "# detail"
#   tap_comment "text"                 # -> # text (each line prefixed)
#   tap_count FILE                     # -> "PASS FAIL" counted from FILE
#   psql_q -d DB -c 'SELECT 1'         # unaligned, tuples only, stop on error
#   server_up; wait_for_server [SECS]  # true when the server accepts connections
#   timer_start; timer_elapsed         # whole seconds since timer_start

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
