#!/usr/bin/env bash
# Rebuilds the seed corpus of fuzz_sql_parse from the parse cases: the query
# part of every tests/sql/parse/*.sql (the text before its "-- expect" line)
# becomes tests/fuzz/corpus/sql_parse/case-NAME. Inputs the fuzzer found
# (crash-*, regress-*) are kept.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=tests/fuzz/corpus/sql_parse
mkdir -p "$out"
rm -f "$out"/case-*
for f in tests/sql/parse/*.sql; do
    name=$(basename "$f" .sql)
    awk '/^-- expect( error)?:$/ { exit } { print }' "$f" >"$out/case-$name"
done
ls "$out" | wc -l
