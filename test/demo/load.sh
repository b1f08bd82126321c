#!/usr/bin/env bash
# test/demo/load.sh DB [SCALE] -- build the demo place (schema demo) in DB.
#
#   SCALE    activity multiplier (default 1: about 1.1M activity rows;
#            10: about 11M, for benchmarks). Every person's expected
#            activity is multiplied by SCALE, so costs grow with it.
#   PERSONS  registered population (environment; default 300000). Larger
#            values (up to 50M) give person-level benchmark tables.
#   SEED     (environment; default 20240401) another, equally plausible
#            place. The tests' checksum is for the default SEED, SCALE 1.
#
# Deterministic: the same SEED, SCALE and PERSONS give the same rows whatever
# the plan or number of parallel workers (random draws are hashes, never
# random()). Connection settings come from
# the usual PG* environment variables. DB needs value_ext installed (the
# demo schema itself calls no value_ext function). Replaces schema demo.
set -euo pipefail
usage="usage: $0 DB [SCALE]   (environment: PERSONS, SEED)"
db=${1:?$usage}
scale=${2:-1}
persons=${PERSONS:-300000}
seed=${SEED:-20240401}
if ! [[ $scale =~ ^[0-9]+(\.[0-9]+)?$ ]] || awk -v s="$scale" 'BEGIN { exit !(s <= 0 || s > 1000) }'; then
    echo "load.sh: SCALE must be a number in (0, 1000], got '$scale'" >&2; exit 2
fi
if ! [[ $persons =~ ^[0-9]+$ ]] || [ "$persons" -lt 1000 ] || [ "$persons" -gt 50000000 ]; then
    echo "load.sh: PERSONS must be an integer from 1000 to 50000000, got '$persons'" >&2; exit 2
fi
if ! [[ $seed =~ ^-?[0-9]+$ ]] || [ "${#seed}" -gt 9 ]; then
    echo "load.sh: SEED must be an integer of at most 9 digits, got '$seed'" >&2; exit 2
fi
cd "$(dirname "$0")/../.."
if [ "$(psql -X -q -t -A -d "$db" -c "SELECT count(*) FROM pg_extension WHERE extname = 'value_ext'")" != 1 ]; then
    echo "load.sh: cannot use database $db: it must exist and have value_ext installed (CREATE EXTENSION value_ext)" >&2
    exit 1
fi
psql -X -q -v ON_ERROR_STOP=1 -1 -d "$db" \
    -v seed="$seed" -v scale="$scale" -v persons="$persons" -f test/demo/place.sql
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f test/demo/bi_views.sql   # Power BI views (schema bi)
