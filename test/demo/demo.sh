#!/usr/bin/env bash
# test/demo/demo.sh -- run inside test/with-cluster.sh by `make demo`:
# generate the demo place and print the analysis, one report section per
# file in test/demo/report/ (numbered, run in order).
set -euo pipefail
cd "$(dirname "$0")/../.."
db=value_ext_demo
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION value_ext'
echo "== generating the demo place (test/demo/load.sh)"
bash test/demo/load.sh "$db"
for f in test/demo/report/[0-9][0-9]_*.sql; do
    psql -X -q -v ON_ERROR_STOP=1 -P pager=off -P footer=off -d "$db" -f "$f"
done
