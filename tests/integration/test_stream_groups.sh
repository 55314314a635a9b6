#!/usr/bin/env bash
# Scale-out of a streaming query: processes started with the same --group
# split a hub's partitions, and with GROUP BY PartitionId (every group of
# rows within one partition) and a TumblingWindow their outputs together
# are exactly one process's output.
#
# A hub of 4 partitions gets 20,000 telemetry events keyed by deviceId
# (a device stays in one partition). One `eddy query --group g1
# --from earliest --until-end` writes one.csv; then two processes with
# --group g2 start together and write two.a.csv and two.b.csv. The hub
# waits --group-initial-rebalance-delay (2 s) before the first generation
# of a new group, so both processes join it and each gets partitions;
# with --until-end each stops when its partitions reach the end offsets
# seen at assignment. Checks: both outputs are non-empty, they share no
# partition, together they read every event once, and their rows together
# equal one.csv's (sorted).
#
# The first process to finish commits its end offsets and leaves the group;
# the hub rebalances, and a process still reading gets the leaver's
# partitions on a later assignment, where it goes on from the committed
# offsets (--from applies to a process's first assignment only): it finds
# nothing left to read, so no event is counted twice.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../clients/hublib.sh"

BOOT=127.0.0.1:$HUB_PORT
start_hub --partitions 4 --group-initial-rebalance-delay 2s
# 5,000 events/s: about 4 s of enqueued time, several 1 s windows.
run_client "eddy produce sends 20000 telemetry events keyed by deviceId" \
    "$EDDY" produce --hub T --bootstrap "$BOOT" --generator telemetry -n 20000 --rate 5000 \
    --devices 40 --seed 11 --quiet

Q="SELECT PartitionId, deviceId, System.Timestamp() AS wend, COUNT(*) AS n, SUM(seq) AS s, \
MIN(temperature) AS lo, MAX(temperature) AS hi FROM hub('T') TIMESTAMP BY EventEnqueuedUtcTime \
GROUP BY PartitionId, deviceId, TumblingWindow(second, 1)"

# One process: the reference.
run_client "one process in group g1" \
    "$EDDY" query --bootstrap "$BOOT" --group g1 --from earliest --until-end \
    --format csv --out "$T/one.csv" -q "$Q"

# Two processes in group g2, started together.
two() {
    "$EDDY" query --bootstrap "$BOOT" --group g2 --from earliest --until-end \
        --format csv --out "$T/two.$1.csv" "$Q" 2>"$T/two.$1.err"
}
two a &
pa=$!
PIDS+=("$pa")
two b &
pb=$!
PIDS+=("$pb")
for who in a b; do
    pid=pa
    [ "$who" = b ] && pid=pb
    wait_exit "${!pid}" 120
    expect_eq "process $who of group g2 ends with status 0" 0 "$EXIT_STATUS"
    [ "$EXIT_STATUS" = 0 ] || head -c 1000 "$T/two.$who.err" >&2
done
# read COUNTERS-FILE: the events the process read (its exit counters).
read_n() { sed -n 's/^eddy query: \([0-9]*\) events read.*/\1/p' "$1" | tail -n 1; }
ra=$(read_n "$T/two.a.err")
rb=$(read_n "$T/two.b.err")
expect_eq "the two processes read every event once between them ($ra + $rb)" 20000 \
    $((${ra:-0} + ${rb:-0}))

# rows FILE: the CSV's data rows, sorted.
rows() { tail -n +2 "$1" | LC_ALL=C sort; }
parts() { tail -n +2 "$1" | cut -d, -f1 | LC_ALL=C sort -u | tr '\n' ' '; }

n1=$(rows "$T/one.csv" | wc -l)
if [ "$n1" -gt 0 ]; then echo "ok   one process wrote $n1 rows"; else fail "one.csv holds no rows"; fi
expect_eq "one process saw every partition" "0 1 2 3 " "$(parts "$T/one.csv")"
expect_eq "one process counted every event" 20000 \
    "$(tail -n +2 "$T/one.csv" | awk -F, '{ n += $4 } END { print n }')"
for who in a b; do
    if [ -s "$T/two.$who.csv" ] && [ "$(rows "$T/two.$who.csv" | wc -l)" -gt 0 ]; then
        echo "ok   process $who wrote rows of partitions $(parts "$T/two.$who.csv")"
    else
        fail "process $who of group g2 wrote no rows (did it get no partition?)"
    fi
done
expect_eq "the two processes share no partition" "" \
    "$(comm -12 <(parts "$T/two.a.csv" | tr ' ' '\n' | sed '/^$/d') \
        <(parts "$T/two.b.csv" | tr ' ' '\n' | sed '/^$/d') | tr '\n' ' ')"
head -n 1 "$T/one.csv" >"$T/two.csv"
cat <(tail -n +2 "$T/two.a.csv") <(tail -n +2 "$T/two.b.csv") >>"$T/two.csv"
if [ "$(rows "$T/one.csv")" = "$(rows "$T/two.csv")" ]; then
    echo "ok   the two processes' rows together equal the one process's ($n1 rows)"
else
    fail "the two processes' rows together differ from the one process's"
    diff <(rows "$T/one.csv") <(rows "$T/two.csv") | head -n 10 >&2 || true
fi

hub_alive "after the queries"
stop_hub
hub_no_errors
finish
