#!/usr/bin/env bash
# eddy consume --group and eddy groups: a group reads a hub in two runs
# without a gap or a duplicate, committing what it printed; eddy groups
# list/describe show the group, committed offsets, end offsets and the lag
# per partition; two members share the partitions.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"
start_hub --partitions 3
B=127.0.0.1:$HUB_PORT

run_client "eddy produce 3000 events" "$EDDY" produce --hub gh --bootstrap "$B" --count 3000 -q
run_client_to "$T/run1.jsonl" "first run of group g1: 1000 events" \
    "$EDDY" consume --hub gh --bootstrap "$B" --group g1 --from earliest --count 1000
expect_eq "first run printed 1000" 1000 "$(wc -l <"$T/run1.jsonl")"

run_status "$EDDY" groups list --bootstrap "$B"
expect_eq "eddy groups list exits 0" 0 "$STATUS"
expect_contains "the group is listed, empty now" "g1" "$(printf '%s\n' "$OUT" | grep '^g1 ')"
run_status "$EDDY" groups describe g1 --bootstrap "$B" --hub gh
echo "$OUT"
expect_eq "eddy groups describe exits 0" 0 "$STATUS"
# Per partition: committed (or - where the group has none), end, lag = end - committed.
lagcheck=$(printf '%s\n' "$OUT" | awk '
    $1 == "gh" { rows++; ends += $4; if ($3 != "-") { committed += $3; if ($5 != $4 - $3) bad++; lag += $5 } }
    /^total lag: / { total = $3 }
    END { print rows, ends, committed, bad + 0, (lag == total) }')
expect_eq "3 partitions, 3000 events, 1000 committed, lag = end - committed, total adds up" \
    "3 3000 1000 0 1" "$lagcheck"

run_client_to "$T/run2.jsonl" "second run of group g1 to the end" \
    "$EDDY" consume --hub gh --bootstrap "$B" --group g1 --from earliest --until-end
cat "$T/run1.jsonl" "$T/run2.jsonl" >"$T/all.jsonl"
check=$("$PY" -c '
import json, sys
seen = [(o["partition"], o["offset"]) for o in map(json.loads, open(sys.argv[1]))]
print(len(seen), len(set(seen)))' "$T/all.jsonl")
expect_eq "the two runs read all 3000 exactly once" "3000 3000" "$check"
run_status "$EDDY" groups describe g1 --bootstrap "$B" --hub gh
lagcheck=$(printf '%s\n' "$OUT" | awk '$1 == "gh" && $3 == $4 && $5 == 0 { n++ } END { print n + 0 }')
expect_eq "every partition committed to its end, lag 0" 3 "$lagcheck"
expect_contains "no lag left" "total lag: 0" "$OUT"

# Two members: the group shares the partitions between them; between them
# they print every event once, and commit it when they stop.
spawn "$EDDY" consume --hub gh --bootstrap "$B" --group g2 --from earliest
m1=$SPAWNED
m1_log=$T/spawn-$((${#PIDS[@]} - 1)).log
spawn "$EDDY" consume --hub gh --bootstrap "$B" --group g2 --from earliest
m2=$SPAWNED
m2_log=$T/spawn-$((${#PIDS[@]} - 1)).log
members=0 held=0
for _ in $(seq 150); do
    run_status "$EDDY" groups describe g2 --bootstrap "$B" --hub gh
    members=$(printf '%s\n' "$OUT" | grep -c '^  member ' || true)
    held=$(printf '%s\n' "$OUT" | awk '$1 == "gh" && $6 != "-"' | wc -l)
    [ "$members" = 2 ] && [ "$held" = 3 ] && break
    sleep 0.2
done
echo "$OUT"
expect_eq "two members hold the three partitions" "2 3" "$members $held"
distinct=0
for _ in $(seq 150); do
    distinct=$(cat "$m1_log" "$m2_log" | "$PY" -c '
import json, sys
print(len({(o["partition"], o["offset"]) for o in map(json.loads, filter(str.strip, sys.stdin))}))')
    [ "$distinct" = 3000 ] && break
    sleep 0.2
done
expect_eq "the two members printed all 3000 events" 3000 "$distinct"
kill -TERM "$m1" "$m2"
wait_exit "$m1" 30
expect_eq "member 1 exits 0 on SIGTERM" 0 "$EXIT_STATUS"
wait_exit "$m2" 30
expect_eq "member 2 exits 0 on SIGTERM" 0 "$EXIT_STATUS"
run_status "$EDDY" groups describe g2 --bootstrap "$B" --hub gh
echo "$OUT"
lagcheck=$(printf '%s\n' "$OUT" | awk '$1 == "gh" && $3 == $4 && $5 == 0 { n++ } END { print n + 0 }')
expect_eq "the members committed what they printed on the way out" 3 "$lagcheck"
expect_contains "and the group is empty again" "group g2: Empty, 0 members" "$OUT"

run_status "$EDDY" groups frobnicate --bootstrap "$B"
expect_eq "unknown action exits 2" 2 "$STATUS"
run_status "$EDDY" groups describe --bootstrap "$B"
expect_eq "describe without a group exits 2" 2 "$STATUS"

hub_alive "after the groups"
hub_no_errors
finish
