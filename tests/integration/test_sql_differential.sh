#!/usr/bin/env bash
# Randomized differential test of the SQL engine: 300 generated queries over
# generated JSON lines, run by `eddy query` and by DuckDB (npm
# @duckdb/node-api); the rows must agree (tests/sql/differential.mjs).
. "$(dirname "$0")/lib.sh"
SRC=${EDDY_SOURCE_DIR:?}
if [ ! -d "$SRC/node_modules/@duckdb/node-api" ]; then
    echo "FAIL: @duckdb/node-api is not installed; run tools/install-deps.sh (npm ci)" >&2
    exit 1
fi
set +e
node "$SRC/tests/sql/differential.mjs" "$EDDY" --queries 300 --rows 3000
status=$?
set -e
[ "$status" = 77 ] && exit 77
expect_eq "eddy and DuckDB agree on every generated query" 0 "$status"
finish
