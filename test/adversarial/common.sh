# test/adversarial/common.sh -- sourced by every script of the adversarial
# stage (run.sh, calls.sh, states.sh, sqlsmith.sh) once it has set here= to
# its directory: test/lib.sh, the unprivileged role, and the knobs with
# their defaults (test/adversarial/run.sh documents them), so that a part
# run on its own behaves as it does under run.sh.
. "$here/../lib.sh"
role=value_ext_adversary    # created by setup.sql
mode=${ADV_MODE:-ci}
case "$mode" in
    ci)   d_random=20;  d_mutants=200;  d_queries=1000 ;;
    fuzz) d_random=300; d_mutants=5000; d_queries=100000 ;;
    *) echo "ADV_MODE must be ci or fuzz" >&2; exit 2 ;;
esac
export FUZZ_SEED=${FUZZ_SEED:-13}
export FUZZ_RANDOM=${FUZZ_RANDOM:-$d_random}
export ADV_TEXT_MUTANTS=${ADV_TEXT_MUTANTS:-${FUZZ_MUTANTS:-$d_mutants}}
export ADV_BINARY_MUTANTS=${ADV_BINARY_MUTANTS:-${FUZZ_MUTANTS:-$d_mutants}}
export FUZZ_QUERIES=${FUZZ_QUERIES:-$d_queries}

# part_work DIR NAME: DIR/NAME emptied for a part's files; prints its path.
part_work() { rm -rf "$1/$2"; mkdir -p "$1/$2"; echo "$1/$2"; }
