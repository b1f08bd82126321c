#!/usr/bin/env bash
# test/adversarial/calls.sh CALLS.TSV DB WORKDIR [LABEL] -- run the generated calls
# (test/adversarial/generate.sql) as the unprivileged role and judge them.
# Owns: batching, crash and hang detection with replay (the report names the
# exact SQL), the judgement of each call, and its TAP lines.
#
# Calls run in batches of ADV_BATCH (default 400) in one psql session per
# batch; each call is framed by "@@call ID" and "@@end ID SQLSTATE MESSAGE"
# lines, so when the session is lost (a crash) or stops (a hang the
# statement_timeout could not interrupt), the first call without its
# "@@end" is replayed alone in a fresh session: a crash that repeats is
# reported with that SQL; the function's remaining calls are then skipped
# (one crash per function is enough to report, and each crash costs a
# cluster restart) and the batch goes on after it.
#
# A call FAILS on: a lost connection (CRASH), 57014 (our statement_timeout
# fired: HANG), XX000, a SQLSTATE outside test/adversarial/allowed_sqlstates.txt,
# or (check_finite calls only: every input finite and non-NULL, not a
# support function) a NaN or +-Infinity in a float8/float4/numeric result,
# unless the function is listed in test/adversarial/allow_nonfinite.txt.
# Prints one TAP line per function ("ok" when all its calls pass) and one
# "not ok" per distinct failure (function, failure, SQLSTATE) with the SQL
# of its first call; every failing call is in WORKDIR/failures.tsv.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
calls=${1:?usage: $0 CALLS.TSV DB WORKDIR}
db=${2:?}
work=${3:?}
label=${4:-calls}
batch_size=${ADV_BATCH:-400}
# the psql session of a batch may take at most this long (a hang the
# server's statement_timeout cannot interrupt)
batch_limit=${ADV_BATCH_SECONDS:-300}
mkdir -p "$work/batches"
: >"$work/results.tsv"      # id, state (SQLSTATE, CRASH, HANG, SKIPPED), rows, nonfinite, ms, message
: >"$work/crashes.txt"

# The forced parallel plan (requirement: every aggregate also under it).
parallel_on="SET force_parallel_mode = on; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;"
parallel_off="RESET force_parallel_mode; RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather;"

# inner SQL of a call: the query inside the "@@res" wrapper (generate.sql)
inner_sql() {
    awk -F'\t' -v id="$1" '$1 == id {
        m = "coalesce(sum(octet_length(s::text)), 0) FROM ("; q = $6; i = index(q, m)
        if (i > 0) { q = substr(q, i + length(m)); sub(/ OFFSET 0\) s$/, "", q) }
        print ($5 == "parallel" ? "[forced parallel plan] " : "") q; exit }' "$calls"
}

# script_for IDS_FILE OUT: the psql script of the calls whose ids are listed
# (and OUT.lines: the line of each call's statement in OUT.run, for psql
# meta-commands such as \copy, whose errors psql reports only on stderr).
script_for() {
    awk -F'\t' -v on="$parallel_on" -v off="$parallel_off" -v lines="$2.lines" '
        BEGIN { n = 3 }    # run_script adds three lines in front
        NR == FNR { want[$1] = 1; next }
        ($1 in want) && $3 != "skipped" {
            print "\\echo @@call " $1; n++
            if ($5 == "parallel") { print on; n++ }
            print $6 (substr($6, 1, 1) == "\\" ? "" : ";"); n++
            print n "\t" $1 > lines
            print "\\echo @@end " $1 " :SQLSTATE :LAST_ERROR_MESSAGE"; n++
            if ($5 == "parallel") { print off; n++ }
        }' "$1" "$calls" >"$2"
}

# run_script SCRIPT OUT: run as the adversary; returns psql's status (124: killed).
run_script() {
    # a first query defines :SQLSTATE (psql sets it after queries, not after
    # \copy, whose errors the stderr lines give): else a batch opening with
    # a failing \copy records the literal ":SQLSTATE"
    { echo '\timing on'; echo '\set VERBOSITY verbose'; echo 'SELECT 1 \g /dev/null'; cat "$1"; } >"$1.run"
    timeout -k 10 "$batch_limit" psql -X -q -A -t -U "$role" -d "$db" -f "$1.run" >"$2" 2>"$2.err"
}

# parse SCRIPT OUT: results of the calls that ended -> results.tsv lines
# on stdout. An error psql printed on stderr at a call's statement line
# (a \copy) gives the call's SQLSTATE when :SQLSTATE did not.
parse() {
    awk -v errs="$2.err" -v lines="$1.lines" '
        BEGIN {
            while ((getline l < lines) > 0) { split(l, w, "\t"); at[w[1]] = w[2] }
            while ((getline l < errs) > 0) {
                if (!match(l, /:[0-9]+: ERROR:  /)) continue
                ln = substr(l, RSTART + 1); sub(/:.*/, "", ln)
                if (ln in at) { code[at[ln]] = substr(l, RSTART + RLENGTH, 5); emsg[at[ln]] = substr(l, RSTART + RLENGTH + 7) }
            }
        }
        /^@@call / { id = $2; rows = ""; bad = ""; ms = ""; next }
        /^@@res /  { rows = $2; bad = $3; next }
        /^Time: /  { ms = $2; next }
        /^@@end /  { st = $3; msg = $0; sub(/^@@end [^ ]+ [^ ]+ ?/, "", msg)
                     if (st == "00000") msg = ""
                     if (st == "00000" && ($2 in code)) { st = code[$2]; msg = emsg[$2] }
                     gsub(/\t/, " ", msg)
                     printf "%s\t%s\t%s\t%s\t%s\t%s\n", $2, st, rows, bad, ms, substr(msg, 1, 300) }' "$2"
}

# the adversary's sessions (the ones this script started), ended by pid
end_adversary_sessions() {
    psql_q -d "$db" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                        WHERE usename = '$role' AND pid <> pg_backend_pid()" >/dev/null 2>&1
}

declare -A crashed=()
fn_of() { awk -F'\t' -v id="$1" '$1 == id { print $2; exit }' "$calls"; }
sql_of() {
    awk -F'\t' -v id="$1" -v on="$parallel_on" '$1 == id { print ($5 == "parallel" ? on " " : "") $6 (substr($6, 1, 1) == "\\" ? "" : ";"); exit }' "$calls"
}

timer_start
# ids of callable calls, in order
awk -F'\t' '$3 != "skipped" { print $1 }' "$calls" >"$work/todo.ids"
batch=0
while [ -s "$work/todo.ids" ]; do
    batch=$((batch + 1))
    b="$work/batches/$batch"
    # drop the calls of functions that already crashed
    if [ ${#crashed[@]} -gt 0 ]; then
        printf '%s\n' "${!crashed[@]}" >"$work/crashed.fns"
        awk -F'\t' 'NR == FNR { dead[$0] = 1; next } ($2 in dead) { print $1 }' \
            "$work/crashed.fns" "$calls" >"$work/dead.ids"
        awk 'NR == FNR { dead[$1] = 1; next } ($1 in dead) { print $1 "\tSKIPPED\t\t\t\tits function crashed earlier" }' \
            "$work/dead.ids" "$work/todo.ids" >>"$work/results.tsv"
        awk 'NR == FNR { dead[$1] = 1; next } !($1 in dead)' "$work/dead.ids" "$work/todo.ids" >"$work/todo.tmp"
        mv "$work/todo.tmp" "$work/todo.ids"
        [ -s "$work/todo.ids" ] || break
    fi
    head -n "$batch_size" "$work/todo.ids" >"$b.ids"
    tail -n +"$((batch_size + 1))" "$work/todo.ids" >"$work/todo.tmp"; mv "$work/todo.tmp" "$work/todo.ids"
    script_for "$b.ids" "$b.sql"
    run_script "$b.sql" "$b.out"
    status=$?
    parse "$b.sql" "$b.out" >"$b.res"
    cat "$b.res" >>"$work/results.tsv"
    # every call of the batch ended: next batch
    done_n=$(wc -l <"$b.res")
    [ "$done_n" -eq "$(wc -l <"$b.ids")" ] && continue
    # the first call without its @@end, and the calls after it
    suspect=$(awk 'NR == FNR { ended[$1] = 1; next } !($1 in ended) { print; exit }' "$b.res" "$b.ids")
    awk -v s="$suspect" 'f; $1 == s { f = 1 }' "$b.ids" >"$b.rest"
    cat "$b.rest" "$work/todo.ids" >"$work/todo.tmp"; mv "$work/todo.tmp" "$work/todo.ids"
    fn=$(fn_of "$suspect")
    if [ $status -eq 124 ] || [ $status -eq 137 ]; then
        end_adversary_sessions
        printf '%s\tHANG\t\t\t\tno answer within %ss (statement_timeout did not interrupt it)\n' \
            "$suspect" "$batch_limit" >>"$work/results.tsv"
        crashed[$fn]=1
        continue
    fi
    # a lost connection: wait for the restart, then replay the call alone
    wait_for_server 120 || { tap_not_ok "the server restarts after a crash (calls)"; break; }
    echo "$suspect" >"$b.replay.ids"
    script_for "$b.replay.ids" "$b.replay.sql"
    run_script "$b.replay.sql" "$b.replay.out"
    parse "$b.replay.sql" "$b.replay.out" >"$b.replay.res"
    if [ -s "$b.replay.res" ]; then
        # it ran alone: the crash needs the calls before it in its batch
        printf '%s\tCRASH\t\t\t\tthe session was lost at this call of batch %s (it runs alone: replay %s)\n' \
            "$suspect" "$batch" "$b.sql" >>"$work/results.tsv"
    else
        wait_for_server 120
        printf '%s\tCRASH\t\t\t\tthe server lost the connection (repeats when run alone)\n' \
            "$suspect" >>"$work/results.tsv"
    fi
    { echo "== call $suspect ($fn)"; sed -n '1,3p' "$b.out.err" | tail -n 3; grep -v '^psql:.*ERROR' "$b.out.err" | tail -n 3; } >>"$work/crashes.txt"
    crashed[$fn]=1
done
elapsed=$(timer_elapsed)

# Judge every call. allowed_sqlstates.txt: class (2 characters) or code (5).
awk -F'\t' -v allowf="$here/allowed_sqlstates.txt" -v nonf="$here/allow_nonfinite.txt" \
    -v out="$work/failures.tsv" -v sumf="$work/per_function.tsv" '
    BEGIN {
        while ((getline l < allowf) > 0) { if (l ~ /^#/ || l ~ /^[ \t]*$/) continue; split(l, w, /[ \t]+/); allow[w[1]] = 1 }
        while ((getline l < nonf) > 0) { if (l ~ /^#/ || l ~ /^[ \t]*$/) continue; split(l, w, /\t/); nfok[w[1]] = 1 }
        printf "" > out
    }
    FILENAME == ARGV[1] { res[$1] = $2; rows[$1] = $3; bad[$1] = $4; msg[$1] = $6; next }
    {
        id = $1; fn = $2; kind = $3; chk = $4; q = $6
        name = fn; sub(/\(.*/, "", name)
        if (kind == "skipped") { skipped[fn] = q; order[++n] = fn; kinds[fn] = kind; next }
        if (!(fn in kinds)) { order[++n] = fn; kinds[fn] = kind }
        st = (id in res) ? res[id] : "NOTRUN"
        calls[fn]++
        states[fn, st]++; if (!((fn, st) in seen)) { seen[fn, st] = 1; stlist[fn] = stlist[fn] " " st }
        why = ""
        if (st == "CRASH") why = "CRASH"
        else if (st == "HANG" || st == "57014") why = "HANG"
        else if (st == "XX000") why = "XX000"
        else if (st == "SKIPPED" || st == "NOTRUN") why = ""
        else if (st != "00000" && !(st in allow) && !(substr(st, 1, 2) in allow)) why = "SQLSTATE " st
        else if (st == "00000" && chk == "t" && bad[id] + 0 > 0 && !(fn in nfok) && !(name in nfok)) why = "NONFINITE"
        if (why != "") printf "%s\t%s\t%s\t%s\t%s\t%s\n", id, fn, why, st, msg[id], q >> out
    }
    END {
        for (i = 1; i <= n; i++) {
            fn = order[i]
            if (fn in skipped) { printf "%s\tskipped\t%s\n", fn, skipped[fn] > sumf; continue }
            s = ""; m = split(stlist[fn], L, " ")
            for (j = 1; j <= m; j++) s = s " " L[j] ":" states[fn, L[j]]
            printf "%s\t%s\t%d\t%s\n", fn, kinds[fn], calls[fn], substr(s, 2) > sumf
        }
    }' "$work/results.tsv" "$calls"

# TAP: one "not ok" per distinct failure, then one line per function
awk -F'\t' '!seen[$2 "\t" $3 "\t" $4]++ { print $2 "\t" $3 "\t" $4 "\t" $1 }' "$work/failures.tsv" >"$work/distinct.tsv"
while IFS=$'\t' read -r fn why st id; do
    n=$(awk -F'\t' -v f="$fn" -v w="$why" -v s="$st" '$2 == f && $3 == w && $4 == s' "$work/failures.tsv" | wc -l)
    msg=$(awk -F'\t' -v id="$id" '$1 == id { print $5; exit }' "$work/failures.tsv")
    tap_not_ok "$label: $why in $fn: $(inner_sql "$id")" \
        "call $id, $n such calls; replay: $(sql_of "$id")" ${msg:+"$st: $msg"}
done <"$work/distinct.tsv"
while IFS=$'\t' read -r fn kind n states; do
    if [ "$kind" = skipped ]; then
        tap_comment "$label: skipped $fn: $n"
        continue
    fi
    if ! awk -F'\t' -v f="$fn" '$2 == f { found = 1; exit } END { exit !found }' "$work/failures.tsv"; then
        tap_ok "$label: $kind $fn: $n calls ($states)"
    fi
done <"$work/per_function.tsv"

# summary: calls, per SQLSTATE class, time
total=$(wc -l <"$work/results.tsv")
tap_comment "$label: $total calls made in ${elapsed}s ($batch batches of up to $batch_size), $(wc -l <"$work/failures.tsv") failing"
tap_comment "$label: by SQLSTATE class: $(cut -f2 "$work/results.tsv" | awk '{ c = ($0 ~ /^(CRASH|HANG|SKIPPED)$/ || length($0) != 5) ? $0 : substr($0, 1, 2) "xxx"; n[c]++ } END { for (k in n) printf "%s:%d ", k, n[k] }')"
tap_comment "$label: slowest calls (ms): $(sort -t$'\t' -k5,5 -g -r "$work/results.tsv" | head -n 3 | awk -F'\t' '{ printf "%s=%s ", $1, $5 }')"
exit 0
