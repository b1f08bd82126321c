#!/usr/bin/env bash
# test/platform/readme_lockstep.sh DB -- README.md and the catalogue in
# lockstep. Every user object of value_ext in DB (test/platform/user_objects.sql:
# functions, aggregates, window functions, tables, views, types; support
# functions excepted by the rule written there) must be documented in
# README.md: a function as `name(`, a table or type by its name in a code
# span. And every signature the README documents as `name(...) → type` must
# exist. Prints TAP lines (counted by test/suite.sh).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. test/lib.sh
db=${1:?usage: $0 DB}
work=test/.work/readme
mkdir -p "$work"
readme=README.md

if ! psql_q -F $'\t' -d "$db" -f test/platform/user_objects.sql -c 'TABLE user_objects' \
        >"$work/objects.tsv" 2>&1; then
    tap_not_ok "list the user objects of value_ext" "$(cat "$work/objects.tsv")"; exit 0
fi

# Code spans (joined across line breaks within a paragraph) and fenced code
# of the README, where names are documented.
awk 'function spans(t) { while (match(t, /`[^`]+`/)) { print substr(t, RSTART + 1, RLENGTH - 2); t = substr(t, RSTART + RLENGTH) } }
     /^```/ { spans(para); para = ""; fence = !fence; next }
     fence { print; next }
     /^[[:space:]]*$/ { spans(para); para = ""; next }
     { para = para " " $0 }
     END { spans(para) }' "$readme" >"$work/code.txt"

sort -u -t $'\t' -k1,2 "$work/objects.tsv" | while IFS=$'\t' read -r kind name _sig _oid; do
    [ -z "$kind" ] && continue
    case "$kind" in
        function|aggregate|"window function"|procedure)
            if grep -qE "(^|[^a-z0-9_])${name}\(" "$work/code.txt"; then
                tap_ok "README documents $kind $name"
            else
                tap_not_ok "README documents $kind $name (add \`$name(...)\` to your README section)"
            fi ;;
        *)
            if grep -qE "(^|[^a-z0-9_])${name}([^a-z0-9_]|$)" "$work/code.txt"; then
                tap_ok "README documents $kind $name"
            else
                tap_not_ok "README documents $kind $name (name it in a \`code span\` in your README section)"
            fi ;;
    esac
done

# The other way: every documented signature `name(...) → ...` exists.
grep -oE '(^|[^a-z0-9_.])[a-z_][a-z0-9_]*\([^()]*(\([^()]*\)[^()]*)*\) *(→|->) ' "$work/code.txt" \
    | sed -E 's/^[^a-z_]//; s/\(.*//' | sort -u >"$work/documented.txt"
cut -f2 "$work/objects.tsv" | sort -u >"$work/names.txt"
stale=$(comm -23 "$work/documented.txt" "$work/names.txt" | tr '\n' ' ')
if [ -z "$stale" ]; then
    tap_ok "every signature the README documents exists in value_ext ($(wc -l <"$work/documented.txt") names)"
else
    tap_not_ok "every signature the README documents exists in value_ext (missing: $stale)"
fi
