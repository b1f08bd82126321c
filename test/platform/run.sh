#!/usr/bin/env bash
# test/platform/run.sh DB -- the platform checks, run by test/suite.sh inside
# test/with-cluster.sh after pgTAP, on DB holding the demo place and its BI
# views. Each part prints TAP lines ("ok - ..." / "not ok - ..." and "#"
# comments); suite.sh counts them into its "N passed, M failed" line.
#   test/odbc/run.sh              Power BI's path: the bi views through psqlODBC
#   test/platform/readme_lockstep.sh  README.md documents every user object
#   test/platform/schema_smoke.sh every function through analytics. with search_path ''
#   test/platform/mv_restore.sh   materialised views, refreshes, pg_dump/pg_restore
#   test/platform/upgrade.sh      every shipped release updated to this one equals a fresh install
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. test/lib.sh
db=${1:?usage: $0 DB}
for part in test/odbc/run.sh test/platform/readme_lockstep.sh test/platform/schema_smoke.sh \
            test/platform/mv_restore.sh test/platform/upgrade.sh; do
    tap_comment "$part"
    case "$part" in
        */schema_smoke.sh|*/mv_restore.sh|*/upgrade.sh) bash "$part" ;;
        *) bash "$part" "$db" ;;
    esac
    status=$?
    [ $status -ne 0 ] && tap_not_ok "$part exited with status $status"
done
exit 0
