#!/usr/bin/env bash
# test/adversarial/states.sh DB WORKDIR -- state fuzzing (requirement 2),
# after generate.sql filled adv.corpus with real states. Owns the text and
# binary mutation rounds; the calls themselves are judged by calls.sh.
#
# State types come from the catalogue (adv.state_types: value_ext's own
# types with a C input function, and the float8[] states of its
# aggregates). The real states (each aggregate's raw state over several
# datasets) are mutated with a fixed seed by test/adversarial/mutate.pl:
#   text    ADV_TEXT_MUTANTS mutated texts, each read by the type's input
#           function and fed into every combine and final function of
#           value_ext that takes the type (adv.feed in states.sql)
#   binary  ADV_BINARY_MUTANTS single-row COPY (FORMAT binary) files,
#           loaded by the unprivileged role with psql's \copy (the server
#           runs the type's receive function, value_list_recv), and the
#           rows that load fed the same way
# No crash, hang, XX000 or SQLSTATE outside allowed_sqlstates.txt (a
# refused huge allocation must be a 53200/54000 ERROR); the NaN check does
# not apply (support functions fed garbage).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
db=${1:?usage: $0 DB WORKDIR}
work=$(part_work "${2:?}" states)
mkdir -p "$work/bin"
seed=$FUZZ_SEED n_text=$ADV_TEXT_MUTANTS n_bin=$ADV_BINARY_MUTANTS
timer_start

if ! psql_q -d "$db" -f "$here/states.sql" >"$work/setup.out" 2>&1; then
    tap_not_ok "state fuzzing: states.sql" "$(cat "$work/setup.out")"; exit 0
fi

# --- text --------------------------------------------------------------
psql_q -d "$db" -c "COPY (SELECT c.typ::text, c.origin, c.val FROM adv.corpus c
                          JOIN adv.state_types s ON s.typ = c.typ
                          WHERE c.origin LIKE 'real state of %' ORDER BY c.id) TO STDOUT" >"$work/states.tsv"
n_states=$(wc -l <"$work/states.tsv")
perl "$here/mutate.pl" text "$seed" "$n_text" <"$work/states.tsv" >"$work/mutants.tsv"
psql_q -d "$db" -c "\\copy adv.mutants (typ, origin, m) FROM '$work/mutants.tsv'" \
    -c "ANALYZE adv.mutants" >"$work/load.out" 2>&1 \
    || { tap_not_ok "state fuzzing: load the text mutants" "$(cat "$work/load.out")"; exit 0; }
psql_q -d "$db" -F $'\t' -c "SELECT row_number() OVER (ORDER BY fn, query), * FROM adv.feed_calls('text')" \
    >"$work/text_calls.tsv" 2>"$work/text_calls.err"
tap_comment "state fuzzing (text): $n_text mutants of $n_states real states -> $(wc -l <"$work/text_calls.tsv") calls"
bash "$here/calls.sh" "$work/text_calls.tsv" "$db" "$work/text" "state fuzzing (text)"

# --- binary ------------------------------------------------------------
psql_q -d "$db" -A -t -F $'\t' -c "SELECT tbl, typ FROM adv.recv_tables ORDER BY n" >"$work/recv_tables.tsv"
while IFS=$'\t' read -r tbl typ; do
    [ -z "$tbl" ] && continue
    d="$work/bin/$tbl"; mkdir -p "$d"
    # the real states in binary, written by the unprivileged role (client side)
    if ! psql -X -q -U "$role" -d "$db" -c "\\copy (SELECT c.id, c.val::$typ FROM adv.corpus c WHERE c.typ = '$typ'::regtype AND c.origin LIKE 'real state of %' ORDER BY c.id) TO '$d/states.copy' WITH (FORMAT binary)" \
            >"$d/export.out" 2>&1; then
        tap_not_ok "state fuzzing (binary $typ): export the real states" "$(cat "$d/export.out")"; continue
    fi
    perl "$here/mutate.pl" binary "$seed" "$n_bin" "$d" <"$d/states.copy" || {
        tap_not_ok "state fuzzing (binary $typ): mutate.pl"; continue; }
    awk -v t="$tbl" '{ print t "\t" $0 }' "$d/index.tsv" >"$d/index.load"
    psql_q -d "$db" -c "\\copy adv.recv_index (tbl, n, corpus_id, how) FROM '$d/index.load'" >/dev/null
    # one \copy per mutant file: the calls of the receive function
    recv=$(psql_q -d "$db" -c "SELECT recv::regprocedure FROM adv.recv_tables WHERE tbl = '$tbl'")
    for f in "$d"/[0-9]*.copy; do
        n=$(basename "$f" .copy)
        printf '%d\t%s\tsupport\tf\tplain\t\\copy %s FROM %s WITH (FORMAT binary)\n' "$((10#$n))" "$recv" "$tbl" "'$f'"
    done >"$d/recv_calls.tsv"
    bash "$here/calls.sh" "$d/recv_calls.tsv" "$db" "$d/recv" "state fuzzing (binary $typ, COPY)"
    loaded=$(psql_q -d "$db" -c "SELECT count(*) FROM $tbl")
    psql_q -d "$db" -c "DELETE FROM adv.recv_index WHERE tbl = '$tbl' AND n NOT IN (SELECT id FROM $tbl WHERE id IS NOT NULL)" >/dev/null
    psql_q -d "$db" -F $'\t' -c "SELECT row_number() OVER (ORDER BY fn, query), * FROM adv.feed_calls('$tbl')" \
        >"$d/feed_calls.tsv" 2>"$d/feed_calls.err"
    tap_comment "state fuzzing (binary $typ): $n_bin mutated COPY files, $loaded rows accepted -> $(wc -l <"$d/feed_calls.tsv") calls"
    bash "$here/calls.sh" "$d/feed_calls.tsv" "$db" "$d/feed" "state fuzzing (binary $typ)"
done <"$work/recv_tables.tsv"
tap_comment "state fuzzing: ${n_states} real states, $(timer_elapsed)s"
exit 0
