#!/usr/bin/env bash
# test/adversarial/sqlsmith.sh DB WORKDIR -- sqlsmith (requirement 3)
# against DB (the demo place, adv's tables and value_ext's functions) as the
# unprivileged role value_ext_adversary, with a fixed --seed
# (FUZZ_SEED) and --max-queries (FUZZ_QUERIES; optional time budget
# FUZZ_SECONDS). Each statement may run ADV_SMITH_TIMEOUT ms (a conninfo
# option on top of the role's own statement_timeout: sqlsmith's queries
# are random joins; a timeout there is normal, not a hang). Fails on a
# server crash: sqlsmith's lost connections, the server not accepting
# connections afterwards, or "terminated by signal" / "TRAP:" in the
# server log while it ran (the log's "Failed process was running" line
# names the query). Prints sqlsmith's summary as comments.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
db=${1:?usage: $0 DB WORKDIR}
work=$(part_work "${2:?}" sqlsmith)
queries=$FUZZ_QUERIES seed=$FUZZ_SEED
budget=${FUZZ_SECONDS:-0}
stmt_ms=${ADV_SMITH_TIMEOUT:-1000}
log=${VALUE_EXT_SERVER_LOG:-}

if ! command -v sqlsmith >/dev/null; then
    tap_not_ok "sqlsmith is installed (apt-get install sqlsmith; test/bootstrap.sh does)"; exit 0
fi
log_from=0
[ -n "$log" ] && [ -r "$log" ] && log_from=$(stat -c %s "$log")
timer_start
limit=()
[ "$budget" -gt 0 ] 2>/dev/null && limit=(timeout -s INT -k 30 "$budget")
"${limit[@]}" sqlsmith --verbose --exclude-catalog --seed="$seed" --max-queries="$queries" \
    --target="host=$PGHOST port=${PGPORT:-5432} dbname=$db user=$role options='-c statement_timeout=$stmt_ms'" \
    >"$work/sqlsmith.out" 2>"$work/sqlsmith.err"
status=$?
elapsed=$(timer_elapsed)
# progress characters: . ok, e error, S syntax error, t timeout, C crash (lost connection)
progress=$(grep -E '^[.eStC]+$' "$work/sqlsmith.err" | tr -d '\n')
crashes=$(tr -cd 'C' <<<"$progress" | wc -c)
made=$(sed -n 's/^queries: \([0-9]*\).*/\1/p' "$work/sqlsmith.err" | tail -n 1)
made=${made:-${#progress}}
tap_comment "sqlsmith: seed $seed, $made queries in ${elapsed}s (status $status), ${crashes} lost connections" \
    "sqlsmith: ok $(tr -cd '.' <<<"$progress" | wc -c), errors $(tr -cd 'e' <<<"$progress" | wc -c), timeouts $(tr -cd 't' <<<"$progress" | wc -c), syntax $(tr -cd 'S' <<<"$progress" | wc -c); $(grep '^error rate' "$work/sqlsmith.err" | tail -n 1)"
grep -E '^[0-9]+	ERROR' "$work/sqlsmith.err" | head -n 8 | sed 's/^/sqlsmith top error: /' | while IFS= read -r l; do tap_comment "$l"; done

if [ "$made" -gt 0 ] 2>/dev/null; then
    tap_ok "sqlsmith ran $made queries as value_ext_adversary"
else
    tap_not_ok "sqlsmith ran queries as value_ext_adversary" "$(tail -n 5 "$work/sqlsmith.err")"
fi
crash_lines=""
if [ -n "$log" ] && [ -r "$log" ]; then
    tail -c +"$((log_from + 1))" "$log" >"$work/server.log"
    crash_lines=$(grep -E -A 1 'terminated by signal|TRAP:' "$work/server.log" | head -n 20)
fi
if wait_for_server 60 && [ "$crashes" -eq 0 ] && [ -z "$crash_lines" ]; then
    tap_ok "no server crash during sqlsmith (the server accepts connections; no signal or TRAP in its log)"
else
    tap_not_ok "no server crash during sqlsmith" "lost connections: $crashes" "$crash_lines"
fi
exit 0
