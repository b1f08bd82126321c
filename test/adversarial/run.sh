#!/usr/bin/env bash
# test/adversarial/run.sh DB -- the adversarial stage (GitHub issue 13), run
# by test/suite.sh inside test/with-cluster.sh on DB holding the demo place,
# and by `make fuzz` (test/run.sh fuzz) for longer. Prints TAP lines
# ("ok - ..." / "not ok - ..." and "#" comments); suite.sh counts them.
#   setup.sql      the unprivileged role value_ext_adversary, schema adv:
#                  datasets, the edge corpus, "state of" aggregates
#   generate.sql   every function of value_ext from the catalogue, with
#                  arguments from the corpus -> calls.tsv
#   calls.sh       runs them as value_ext_adversary; crash, hang, XX000,
#                  SQLSTATEs outside allowed_sqlstates.txt, NaN/Infinity from
#                  finite input (allow_nonfinite.txt) fail
#   states.sh      state fuzzing: mutated text and binary states into every
#                  combine and final function (mutate.pl)
#   sqlsmith.sh    sqlsmith as value_ext_adversary
# (test/adversarial/server_log.sh, the server log check, runs at the very
# end of test/suite.sh and of `make fuzz`.)
#
# Knobs (environment; their defaults are set in common.sh, which every
# script of the stage sources): ADV_MODE ci (default) or fuzz sets the
# defaults of
#   FUZZ_SEED           seed of every sampled choice and mutation (13)
#   FUZZ_RANDOM         random argument combinations per function (ci 20, fuzz 300)
#   FUZZ_MUTANTS        text and binary state mutants per state type (ci 200, fuzz 5000)
#   FUZZ_QUERIES        sqlsmith queries (ci 1000, fuzz 100000)
#   FUZZ_SECONDS        time budget of sqlsmith, 0 = none (0)
#   ADV_TIMEOUT         statement_timeout of the role: a call running longer HANGS (5s)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"    # test/lib.sh, the role, the knobs' defaults by ADV_MODE
db=${1:?usage: $0 DB}
work=$(part_work "$here/../.work" adversarial)
timeout=${ADV_TIMEOUT:-5s}
tap_comment "adversarial ($mode): seed $FUZZ_SEED, $FUZZ_RANDOM random combinations per function, $ADV_TEXT_MUTANTS state mutants, $FUZZ_QUERIES sqlsmith queries, statement_timeout $timeout"
t0=$(date +%s); t_last=$t0
lap() { local now; now=$(date +%s); lap_s=$((now - t_last)); t_last=$now; }

# 1. fixtures (as the superuser of the cluster)
if ! psql_q -d "$db" -v timeout="$timeout" -f "$here/setup.sql" >"$work/setup.out" 2>&1; then
    tap_not_ok "adversarial setup (setup.sql)" "$(tail -n 20 "$work/setup.out")"; exit 0
fi
tap_ok "setup: role value_ext_adversary (NOSUPERUSER, statement_timeout $timeout), schema adv"

# 2. the calls, from the catalogue
if ! psql_q -d "$db" -v seed="$FUZZ_SEED" -v random="$FUZZ_RANDOM" -f "$here/generate.sql" \
        >"$work/calls.tsv" 2>"$work/generate.err"; then
    tap_not_ok "generate the calls from the catalogue (generate.sql)" "$(tail -n 20 "$work/generate.err")"; exit 0
fi
nfun=$(psql_q -d "$db" -c "SELECT count(*) FROM adv.ext_procs")
ncov=$(cut -f2 "$work/calls.tsv" | sort -u | wc -l)
if [ "$nfun" -gt 0 ] && [ "$nfun" -eq "$ncov" ]; then
    tap_ok "generate.sql covers all $nfun functions of value_ext ($(wc -l <"$work/calls.tsv") calls; $(awk -F'\t' '$3 == "skipped"' "$work/calls.tsv" | wc -l) skipped, see below)"
else
    tap_not_ok "generate.sql covers all $nfun functions of value_ext (it covers $ncov)"
fi
lap; t_gen=$lap_s

# 3. every function called as the unprivileged role
bash "$here/calls.sh" "$work/calls.tsv" "$db" "$work/calls" "calls"
lap; t_calls=$lap_s

# 4. state fuzzing
bash "$here/states.sh" "$db" "$work"
lap; t_states=$lap_s

# 5. sqlsmith
bash "$here/sqlsmith.sh" "$db" "$work"
lap; t_smith=$lap_s

if server_up "$db"; then
    tap_ok "the server accepts connections after the adversarial stage"
else
    tap_not_ok "the server accepts connections after the adversarial stage"
fi
tap_comment "adversarial: setup+generate ${t_gen}s, calls ${t_calls}s, state fuzzing ${t_states}s, sqlsmith ${t_smith}s, total $(($(date +%s) - t0))s"
exit 0
