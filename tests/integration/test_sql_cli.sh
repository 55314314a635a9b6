#!/usr/bin/env bash
# eddy query's command line: formats (table, jsonl, csv), --out, -f FILE and
# -f - (stdin), INTO 'file', --threads, and the exit statuses: 0, 2 for a
# usage or query error (with the caret on stderr), 1 for an input error.
. "$(dirname "$0")/lib.sh"

cd "$EDDY_SOURCE_DIR/tests/sql/data"
Q="SELECT customer, SUM(amount) AS total FROM 'orders.jsonl' GROUP BY customer ORDER BY total DESC"

run_status "$EDDY" query "$Q"
expect_eq "table: exit 0" 0 "$STATUS"
expect_eq "table: aligned, numbers right, a row count" "customer  total
--------  -----
c3           40
c2           30
c1           17
c4           12
(4 rows)" "$OUT"

run_status "$EDDY" query --format jsonl "$Q"
expect_eq "jsonl: one object per row" '{"customer":"c3","total":40}
{"customer":"c2","total":30}
{"customer":"c1","total":17}
{"customer":"c4","total":12}' "$OUT"

run_status "$EDDY" query --format csv "SELECT 'a,b' AS s, '' AS e, NULL AS n, 2.5 AS f, 'say \"hi\"' AS q"
expect_eq "csv: RFC 4180 quoting, null empty, the empty string quoted" 's,e,n,f,q
"a,b","",,2.5,"say ""hi"""' "$OUT"

run_status "$EDDY" query --format jsonl --out "$T/out.jsonl" --threads 1 "$Q"
expect_eq "--out: nothing on stdout" "" "$OUT"
expect_eq "--out: the rows in the file" 4 "$(wc -l <"$T/out.jsonl")"

printf '%s\n' "$Q" >"$T/q.sql"
run_status "$EDDY" query --format csv -f "$T/q.sql"
expect_eq "-f FILE" "customer,total
c3,40
c2,30
c1,17
c4,12" "$OUT"
run_status "$EDDY" query --format csv -f - <"$T/q.sql"
expect_eq "-f - reads stdin" 5 "$(printf '%s\n' "$OUT" | wc -l)"

run_status "$EDDY" query --format jsonl "SELECT orderId INTO '$T/into.jsonl' FROM 'orders.jsonl' WHERE amount > 20; SELECT COUNT(*) AS n FROM 'orders.jsonl'"
expect_eq "INTO 'file': that statement's rows go there" '{"orderId":101}
{"orderId":103}' "$(cat "$T/into.jsonl")"
expect_eq "INTO 'file': the other statement's rows on stdout" '{"n":6}' "$OUT"

run_status "$EDDY" query "SELECT temprature FROM 'events.jsonl'"
expect_eq "a query error exits 2" 2 "$STATUS"
expect_contains "a query error names the nearest column" "did you mean 'temperature'?" "$ERR"
expect_contains "a query error has a caret" "^~~~~~~~~~" "$ERR"
run_status "$EDDY" query "SELECT * FROM 'missing.jsonl'"
expect_eq "a missing file exits 1" 1 "$STATUS"
run_status "$EDDY" query "SELECT CAST(customer AS bigint) AS n FROM 'orders.jsonl'"
expect_eq "a value that does not convert exits 1" 1 "$STATUS"
expect_contains "and says which" 'cannot convert nvarchar(max) "c1" to bigint' "$ERR"
run_status "$EDDY" query --format xml "SELECT 1 AS x"
expect_eq "an unknown format is a usage error" 2 "$STATUS"
run_status "$EDDY" query --threads 0 "SELECT 1 AS x"
expect_eq "--threads 0 is a usage error" 2 "$STATUS"
run_status "$EDDY" query
expect_eq "no query is a usage error" 2 "$STATUS"
run_status "$EDDY" query --help
expect_eq "--help exits 0" 0 "$STATUS"
expect_contains "--help shows the options" "--format FMT" "$OUT"

finish
