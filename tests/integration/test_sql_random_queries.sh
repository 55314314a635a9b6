#!/usr/bin/env bash
# A second randomized comparison of eddy query with DuckDB
# (tests/sql/random_queries.mjs; test_sql_differential is the first): its
# grammar adds self joins, UNION [ALL], DISTINCT, STDEV/STDEVP/VAR/VARP,
# LIKE with ESCAPE, string concatenation and nested CASE. EDDY_SQL_DIFF_SEED and EDDY_SQL_DIFF_QUERIES override the seed (1)
# and the number of queries (300).
#
# Skips (77) without node and @duckdb/node-api (npm ci) or while this eddy
# is built without the table sources.
. "$(dirname "$0")/lib.sh"

if ! command -v node >/dev/null ||
    ! (cd "$EDDY_SOURCE_DIR" && node -e "require.resolve('@duckdb/node-api')" 2>/dev/null); then
    echo "skip: needs node and @duckdb/node-api (run npm ci)"
    exit 77
fi
cd "$EDDY_SOURCE_DIR/tests/sql/data"
run_status "$EDDY" query --format jsonl "SELECT COUNT(*) AS n FROM 'orders.jsonl'"
if [ "$STATUS" -ne 0 ] && grep -q "source not available" <<<"$ERR"; then
    echo "skip: this eddy has no table sources yet (eddy query says: source not available)"
    exit 77
fi
node "$EDDY_SOURCE_DIR/tests/sql/random_queries.mjs" \
    --eddy "$EDDY query --format jsonl --threads 2 -f -" \
    --seed "${EDDY_SQL_DIFF_SEED:-1}" --queries "${EDDY_SQL_DIFF_QUERIES:-300}"
