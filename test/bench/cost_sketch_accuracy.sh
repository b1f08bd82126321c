#!/usr/bin/env bash
# test/bench/cost_sketch_accuracy.sh -- the accuracy table of README "Cost
# sketches", reproducibly: builds the demo place at SCALE 1 and 10 (default
# SEED and PERSONS, test/demo/load.sh) in two fresh databases and prints the
# Markdown rows of test/bench/cost_sketch_accuracy.sql for both, with the
# synthetic distributions. Run inside test/with-cluster.sh with value_ext
# installed (about 10 minutes on 2 vCPUs, most of it building SCALE 10):
#   bash test/with-cluster.sh bash test/bench/cost_sketch_accuracy.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "| distribution | costs | α | top 1% | top 5% | top 20% | Gini | p50 | p90 | p99 |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for scale in 1 10; do
    db=value_ext_accuracy_$scale
    dropdb --if-exists "$db" >/dev/null 2>&1
    createdb "$db"
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION value_ext'
    bash test/demo/load.sh "$db" "$scale" >/dev/null
    synthetic=$([ "$scale" = 1 ] && echo 1 || echo 0)
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -v label="demo place, SCALE $scale" \
        -v synthetic="$synthetic" -f test/bench/cost_sketch_accuracy.sql
    dropdb "$db"
done
